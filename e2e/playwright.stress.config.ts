import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./support/chromium";

/**
 * Crash, outage, fault, concurrency and bad-input proofs. Each spec starts (and kills) its own dashboard
 * process and emulator, so there are no shared web servers here; the dashboard must be built first
 * (`pnpm test:stress` does that).
 */
export default defineConfig({
  testDir: "stress",
  outputDir: "test-results/stress",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
});
