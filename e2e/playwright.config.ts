import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * The config is evaluated by the runner and again by every worker; values kept in process.env are decided
 * once by the runner and inherited by the workers, so all of them talk to the same server and database.
 */
process.env.LMSTRIX_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "lmstrix-e2e-"));
process.env.LMSTRIX_E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
]).toString();

const port = Number(process.env.LMSTRIX_E2E_PORT);
const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: "specs",
  outputDir: "test-results",
  globalTeardown: "./support/global-teardown.ts",
  forbidOnly: isCI,
  retries: 0,
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node ../apps/web/scripts/serve.mjs",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      LMSTRIX_LISTEN: "127.0.0.1",
      LMSTRIX_DATA_DIR: process.env.LMSTRIX_E2E_DATA_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
