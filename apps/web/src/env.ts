import {
  millisecondsSetting,
  parseEnvironment,
  sharedSettingsSchema,
  wholeNumberSetting,
} from "@lmstrix/core/config";
import { z } from "zod";

/**
 * The web server's configuration: the settings it shares with the CLI, and its own. Validated once; nothing
 * else in the app reads `process.env`.
 */
const envSchema = sharedSettingsSchema.extend({
  LMSTRIX_LISTEN: z.string().trim().min(1).default("127.0.0.1"),
  PORT: wholeNumberSetting("PORT", 1, 65_535, 3000),
  LMSTRIX_TOKEN: z.string().min(16, "LMSTRIX_TOKEN must be at least 16 characters").optional(),
  /** Team mode: a sign-in lasts this many days, then the user signs in again. */
  LMSTRIX_SESSION_DAYS: z.coerce
    .number()
    .int("LMSTRIX_SESSION_DAYS must be a whole number of days")
    .min(1, "LMSTRIX_SESSION_DAYS must be at least 1")
    .max(3_650, "LMSTRIX_SESSION_DAYS must be at most 3650 (ten years)")
    .default(30),
  /** How often the server looks for queued runs (also picks up runs queued by the CLI). */
  LMSTRIX_QUEUE_POLL_MS: millisecondsSetting("LMSTRIX_QUEUE_POLL_MS", 50, 60_000, 1_000),
  /** The wait before a failed webhook is tried again (then doubling, four tries in all). */
  LMSTRIX_WEBHOOK_RETRY_MS: millisecondsSetting("LMSTRIX_WEBHOOK_RETRY_MS", 0, 600_000, 1_000),
  /**
   * Tests only: the scheduler's clock stands at this time (ISO 8601) and moves only when a test moves it
   * (`schedule.setTestTime`, which exists only then), so a test proves "every night at 03:00" without waiting.
   */
  LMSTRIX_TEST_CLOCK: z.iso
    .datetime({ offset: true, error: "LMSTRIX_TEST_CLOCK must be an ISO time like 2026-12-07T02:59:00Z" })
    .transform((value) => new Date(value))
    .optional(),
});

export type WebEnv = z.infer<typeof envSchema>;

let cached: WebEnv | undefined;

/** The server's configuration, parsed on first use; throws an error that names every bad variable. */
export function env(): WebEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

export function parseEnv(source: Record<string, string | undefined>): WebEnv {
  return parseEnvironment(envSchema, source);
}

/** `pnpm demo`'s own settings, beside the dashboard's (which the dashboard checks when it starts). */
const demoEnvSchema = sharedSettingsSchema.pick({ LMSTRIX_DATA_DIR: true }).extend({
  /** How much faster than real time the emulator runs: 0.01 makes a minute-long load take 0.6 s. */
  LMSTRIX_DEMO_TIME_SCALE: z.coerce
    .number({ error: "LMSTRIX_DEMO_TIME_SCALE must be a number ≥ 0" })
    .min(0, "LMSTRIX_DEMO_TIME_SCALE must be a number ≥ 0")
    .refine(Number.isFinite, "LMSTRIX_DEMO_TIME_SCALE must be a number ≥ 0")
    .default(1),
});

export function demoEnv(): z.infer<typeof demoEnvSchema> {
  return parseEnvironment(demoEnvSchema, process.env);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/** Whether the server may listen where asked: anything beyond this machine needs an access token. */
export function listenProblem(config: WebEnv): string | null {
  if (LOOPBACK.test(config.LMSTRIX_LISTEN) || config.LMSTRIX_TOKEN) return null;
  return `LMSTRIX_LISTEN=${config.LMSTRIX_LISTEN} would let other machines in, so LMSTRIX_TOKEN must be set (at least 16 characters). Set a token, or listen on 127.0.0.1.`;
}
