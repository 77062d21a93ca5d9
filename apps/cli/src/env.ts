import path from "node:path";
import { millisecondsSetting, parseEnvironment, sharedSettingsSchema } from "@lmstrix/core/config";
import { z } from "zod";

/**
 * The CLI's configuration: the settings it shares with the dashboard, and its own. The only place it reads
 * the environment. Timings are here (not constants) so that tests can shrink leases, heartbeats and
 * timeouts; the defaults match the web server's.
 */
const envSchema = sharedSettingsSchema.extend({
  /** pnpm sets it to the directory the user ran `pnpm lmstrix` from (the script itself runs at the root). */
  INIT_CWD: z.string().min(1).optional(),
  /** First pause between reconnection attempts (doubles up to 15 s). */
  LMSTRIX_RECONNECT_PAUSE_MS: millisecondsSetting("LMSTRIX_RECONNECT_PAUSE_MS", 1, 60_000, 1_000),
  /** Per-call limits of the LM Studio connection (see the adapter's README). */
  LMSTRIX_CONNECT_TIMEOUT_MS: millisecondsSetting("LMSTRIX_CONNECT_TIMEOUT_MS", 1, 600_000, 10_000),
  LMSTRIX_PREDICT_TIMEOUT_MS: millisecondsSetting("LMSTRIX_PREDICT_TIMEOUT_MS", 1, 86_400_000, 300_000),
  /** How often a following process reads new run events from the database. */
  LMSTRIX_POLL_MS: millisecondsSetting("LMSTRIX_POLL_MS", 10, 60_000, 250),
  /** How often a waiting process asks again for the host's lease. */
  LMSTRIX_QUEUE_RETRY_MS: millisecondsSetting("LMSTRIX_QUEUE_RETRY_MS", 10, 60_000, 1_000),
  /** LM Studio's home folder, when not ~/.lmstudio (LM Studio's own setting): the default host's, for `apply`. */
  LMSTUDIO_HOME: z.string().trim().min(1).optional(),
});

export type CliEnv = z.infer<typeof envSchema> & {
  /** Absolute data directory, or undefined for the database package's default (`data/` at the repo root). */
  dataDir: string | undefined;
  /** Where the user typed the command: relative paths they give (files to import, export to) start here. */
  cwd: string;
};

/** The process's environment, for `processIo`; everything else gets the parsed `CliEnv`. */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}

/** Parses the environment; a bad value is an `INVALID_ENVIRONMENT` error naming it (exit 2). */
export function readEnv(env: Record<string, string | undefined>): CliEnv {
  const data = parseEnvironment(envSchema, env);
  const base = data.INIT_CWD ?? process.cwd();
  return {
    ...data,
    cwd: base,
    dataDir: data.LMSTRIX_DATA_DIR ? path.resolve(base, data.LMSTRIX_DATA_DIR) : undefined,
  };
}

/** A path the user typed, made absolute from where they typed it (pnpm runs the script at the repo root). */
export function userPath(env: Pick<CliEnv, "cwd">, file: string): string {
  return path.resolve(env.cwd, file);
}
