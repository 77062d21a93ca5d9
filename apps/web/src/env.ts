import { z } from "zod";

/** The web server's configuration, validated once; nothing else in the app reads `process.env`. */
const envSchema = z.object({
  LMSTUDIO_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/[^\s/]+/, "LMSTUDIO_URL must look like ws://127.0.0.1:1234")
    .default("ws://127.0.0.1:1234"),
  LMSTRIX_LISTEN: z.string().trim().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  LMSTRIX_TOKEN: z.string().min(16, "LMSTRIX_TOKEN must be at least 16 characters").optional(),
  /** Team mode: a sign-in lasts this many days, then the user signs in again. */
  LMSTRIX_SESSION_DAYS: z.coerce
    .number()
    .int("LMSTRIX_SESSION_DAYS must be a whole number of days")
    .min(1, "LMSTRIX_SESSION_DAYS must be at least 1")
    .max(3_650, "LMSTRIX_SESSION_DAYS must be at most 3650 (ten years)")
    .default(30),
  /** A host's lease without a heartbeat for this long is taken over (its process is presumed dead). */
  LMSTRIX_LEASE_STALE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LMSTRIX_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  /** How long a run waits for a host that went away before failing. */
  LMSTRIX_RECONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(120_000),
  /** How long a model load may take before it is given up as hung (then retried twice, as any timeout). */
  LMSTRIX_LOAD_TIMEOUT_MS: z.coerce.number().int().min(1).max(86_400_000).default(600_000),
  /** A load whose progress has not moved for this long is given up as stalled (not retried); 0: never. */
  LMSTRIX_LOAD_STALL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Pause before retrying a probe that timed out. */
  LMSTRIX_TIMEOUT_PAUSE_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  /** How often the server looks for queued runs (also picks up runs queued by the CLI). */
  LMSTRIX_QUEUE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Snapshots kept in the data directory (older ones are pruned). */
  LMSTRIX_SNAPSHOT_KEEP: z.coerce.number().int().min(1).max(1_000).default(10),
});

export type WebEnv = z.infer<typeof envSchema>;

let cached: WebEnv | undefined;

/** Parses the environment; throws an error that names every bad variable. */

export function env(): WebEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

export function parseEnv(source: NodeJS.ProcessEnv): WebEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/** Whether the server may listen where asked: anything beyond this machine needs an access token. */
export function listenProblem(config: WebEnv): string | null {
  if (LOOPBACK.test(config.LMSTRIX_LISTEN) || config.LMSTRIX_TOKEN) return null;
  return `LMSTRIX_LISTEN=${config.LMSTRIX_LISTEN} would let other machines in, so LMSTRIX_TOKEN must be set (at least 16 characters). Set a token, or listen on 127.0.0.1.`;
}
