import { parseEnvironment, sharedSettingsSchema } from "@lmstrix/core/config";

/**
 * The database package's settings, for its own tools (the Prisma CLI's configuration, `migrate:dev`): the
 * apps pass the data directory they read in their env modules instead.
 */
const envSchema = sharedSettingsSchema.pick({ LMSTRIX_DATA_DIR: true });

export function readDbEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnvironment(envSchema, source);
}
