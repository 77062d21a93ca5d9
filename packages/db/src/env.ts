import { z } from "zod";

/** The only place `packages/db` reads the environment. */
const envSchema = z.object({
  LMSTRIX_DATA_DIR: z.string().trim().min(1, "LMSTRIX_DATA_DIR must not be empty").optional(),
});

export function readDbEnv(env: NodeJS.ProcessEnv = process.env): z.infer<typeof envSchema> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
  }
  return parsed.data;
}
