import { z } from "zod";
import { webhookUrlSchema } from "../domain/notification";
import { millisecondsSetting, wholeNumberSetting } from "./environment";

/**
 * The settings the dashboard and the CLI share, declared once so that both accept the same values: a CLI run
 * and the web server drive the same hosts through the same leases and must agree on their timings. Each app
 * extends this with its own settings (`apps/web/src/env.ts`, `apps/cli/src/env.ts`).
 */
export const sharedSettingsSchema = z.object({
  /** The default host "local" is created with this URL the first time it is needed. */
  LMSTUDIO_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/[^\s/]+/, "LMSTUDIO_URL must look like ws://127.0.0.1:1234")
    .default("ws://127.0.0.1:1234"),
  /** Where the database and its snapshots live; unset: `data/` at the repo root. */
  LMSTRIX_DATA_DIR: z.string().trim().min(1, "LMSTRIX_DATA_DIR must not be empty").optional(),
  /** A host's lease without a heartbeat for this long is taken over (its process is presumed dead). */
  LMSTRIX_LEASE_STALE_MS: millisecondsSetting("LMSTRIX_LEASE_STALE_MS", 100, 3_600_000, 30_000),
  LMSTRIX_HEARTBEAT_MS: millisecondsSetting("LMSTRIX_HEARTBEAT_MS", 20, 600_000, 2_000),
  /** How long a run waits for a host that went away before failing. */
  LMSTRIX_RECONNECT_TIMEOUT_MS: millisecondsSetting("LMSTRIX_RECONNECT_TIMEOUT_MS", 0, 86_400_000, 120_000),
  /** The pause between models of a run that names none (lmstrix: 3 s; `--cooldown` and the API's option set it). */
  LMSTRIX_COOLDOWN_MS: millisecondsSetting("LMSTRIX_COOLDOWN_MS", 0, 600_000, 3_000),
  /** Pause before retrying a probe that timed out (lmstrix: 2 s). */
  LMSTRIX_TIMEOUT_PAUSE_MS: millisecondsSetting("LMSTRIX_TIMEOUT_PAUSE_MS", 0, 600_000, 2_000),
  /** How long a model load may take before it is given up as hung (then retried twice, as any timeout). */
  LMSTRIX_LOAD_TIMEOUT_MS: millisecondsSetting("LMSTRIX_LOAD_TIMEOUT_MS", 1, 86_400_000, 600_000),
  /** A load whose progress has not moved for this long is given up as stalled (not retried); 0: never. */
  LMSTRIX_LOAD_STALL_MS: millisecondsSetting("LMSTRIX_LOAD_STALL_MS", 0, 86_400_000, 60_000),
  /** Snapshots kept in the data directory: the newest; one is taken before every run, import and restore. */
  LMSTRIX_SNAPSHOT_KEEP: wholeNumberSetting("LMSTRIX_SNAPSHOT_KEEP", 1, 10_000, 10),
  /** Where a JSON POST goes when a run ends or a regression is found (a host's own URL replaces it); unset: none. */
  LMSTRIX_WEBHOOK_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    webhookUrlSchema.optional(),
  ),
  /** Where people reach the dashboard: the base of the run links in notifications. */
  LMSTRIX_PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/]+/, "LMSTRIX_PUBLIC_URL must look like http://127.0.0.1:3000")
    .default("http://127.0.0.1:3000"),
});

export type SharedSettings = z.infer<typeof sharedSettingsSchema>;
