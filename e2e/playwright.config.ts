import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./support/chromium";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, "../node_modules/.bin/tsx");

function freePort(): string {
  return execFileSync(process.execPath, [
    "-e",
    "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
}

/**
 * The config is evaluated by the runner and again by every worker; values kept in process.env are decided
 * once by the runner and inherited by the workers, so all of them talk to the same servers and database.
 */
process.env.LMSTRIX_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "lmstrix-e2e-"));
process.env.LMSTRIX_E2E_PORT ??= freePort();
process.env.LMSTRIX_E2E_EMULATOR_PORT ??= freePort();
process.env.LMSTRIX_E2E_TEAM_PORT ??= freePort();
process.env.LMSTRIX_E2E_TEAM_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "lmstrix-e2e-team-"));
// Only for the team-mode server; a fresh one per test run.
process.env.LMSTRIX_E2E_TEAM_TOKEN ??= `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}`;

const port = Number(process.env.LMSTRIX_E2E_PORT);
const emulatorPort = Number(process.env.LMSTRIX_E2E_EMULATOR_PORT);
const teamPort = Number(process.env.LMSTRIX_E2E_TEAM_PORT);
const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: "specs",
  outputDir: "test-results",
  globalTeardown: "./support/global-teardown.ts",
  forbidOnly: isCI,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: [
    {
      // An LM Studio stand-in with a small fleet; loads take a few hundred milliseconds so progress is visible.
      command: `${tsx} ../packages/lmstudio-emulator/src/cli.ts --port ${emulatorPort} --fleet fixtures/fleet.json --time-scale 0.05 --quiet`,
      port: emulatorPort,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `${tsx} ../apps/web/scripts/serve.ts`,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(port),
        LMSTRIX_LISTEN: "127.0.0.1",
        LMSTRIX_DATA_DIR: process.env.LMSTRIX_E2E_DATA_DIR,
        LMSTUDIO_URL: `ws://127.0.0.1:${emulatorPort}`,
        LMSTRIX_LEASE_STALE_MS: "3000",
        LMSTRIX_HEARTBEAT_MS: "300",
        LMSTRIX_QUEUE_POLL_MS: "200",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
    {
      // The same dashboard in team mode: listening beyond loopback needs (and gets) an access token.
      command: `${tsx} ../apps/web/scripts/serve.ts`,
      url: `http://127.0.0.1:${teamPort}/sign-in`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(teamPort),
        LMSTRIX_LISTEN: "0.0.0.0",
        LMSTRIX_TOKEN: process.env.LMSTRIX_E2E_TEAM_TOKEN,
        LMSTRIX_DATA_DIR: process.env.LMSTRIX_E2E_TEAM_DATA_DIR,
        LMSTUDIO_URL: `ws://127.0.0.1:${emulatorPort}`,
        LMSTRIX_QUEUE_POLL_MS: "200",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  ],
});
