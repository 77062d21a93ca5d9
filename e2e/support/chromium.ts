import type { LaunchOptions } from "@playwright/test";

/**
 * Debian's Chromium (Playwright's own browser downloads are not reachable here), headless and quiet: no
 * background networking, updates or sync that would add requests or stalls to the tests.
 */
export const chromiumLaunchOptions: LaunchOptions = {
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
};
