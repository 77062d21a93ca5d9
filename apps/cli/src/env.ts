import path from "node:path";
import { DEFAULT_SNAPSHOT_KEEP } from "@lmstrix/db";
import { z } from "zod";
import { UsageError } from "./errors";

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The CLI's configuration: the only place it reads the environment. Timings are here (not constants) so that
 * tests can shrink leases, heartbeats and timeouts; the defaults match the web server's.
 */
const envSchema = z.object({
  /** The default host "local" is created with this URL the first time a command needs it. */
  LMSTUDIO_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/[^\s/]+/, "LMSTUDIO_URL must look like ws://127.0.0.1:1234")
    .default("ws://127.0.0.1:1234"),
  /** Where the database lives; relative paths are taken from where the user typed the command. */
  LMSTRIX_DATA_DIR: z.string().trim().min(1, "LMSTRIX_DATA_DIR must not be empty").optional(),
  /** pnpm sets it to the directory the user ran `pnpm lmstrix` from (the script itself runs at the root). */
  INIT_CWD: z.string().min(1).optional(),
  /** A host's lease without a heartbeat for this long is taken over (its process is presumed dead). */
  LMSTRIX_LEASE_STALE_MS: ms(100, 3_600_000, 30_000),
  LMSTRIX_HEARTBEAT_MS: ms(20, 600_000, 2_000),
  /** How long a run waits for a host that went away before failing. */
  LMSTRIX_RECONNECT_TIMEOUT_MS: ms(0, 86_400_000, 120_000),
  /** First pause between reconnection attempts (doubles up to 15 s). */
  LMSTRIX_RECONNECT_PAUSE_MS: ms(1, 60_000, 1_000),
  /** Pause before retrying a probe that timed out (lmstrix: 2 s). */
  LMSTRIX_TIMEOUT_PAUSE_MS: ms(0, 600_000, 2_000),
  /** Per-call limits of the LM Studio connection (see the adapter's README). */
  LMSTRIX_CONNECT_TIMEOUT_MS: ms(1, 600_000, 10_000),
  LMSTRIX_LOAD_TIMEOUT_MS: ms(1, 86_400_000, 600_000),
  /** A load whose progress has not moved for this long is given up as stalled (0: never). */
  LMSTRIX_LOAD_STALL_MS: ms(0, 86_400_000, 60_000),
  LMSTRIX_PREDICT_TIMEOUT_MS: ms(1, 86_400_000, 300_000),
  /** How often a following process reads new run events from the database. */
  LMSTRIX_POLL_MS: ms(10, 60_000, 250),
  /** How often a waiting process asks again for the host's lease. */
  LMSTRIX_QUEUE_RETRY_MS: ms(10, 60_000, 1_000),
  /** How many snapshots of the database are kept (the newest; one is taken before every run and import). */
  LMSTRIX_SNAPSHOT_KEEP: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_SNAPSHOT_KEEP),
});

export type CliEnv = z.infer<typeof envSchema> & {
  /** Absolute data directory, or undefined for the database package's default (`data/` at the repo root). */
  dataDir: string | undefined;
  /** Where the user typed the command: relative paths they give (files to import, export to) start here. */
  cwd: string;
};

export function readEnv(env: Record<string, string | undefined>): CliEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new UsageError(`invalid environment: ${problems.join("; ")}`);
  }
  const data = parsed.data;
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
