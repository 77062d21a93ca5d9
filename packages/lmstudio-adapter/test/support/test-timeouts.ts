import type { LmStudioTimeouts } from "../../src/options";

/**
 * Short limits for tests against the emulator (which answers in milliseconds at timeScale 0), so that a
 * hang fails within the test's own timeout with a TIMEOUT that names the call.
 */
export const TEST_TIMEOUTS: LmStudioTimeouts = {
  connectMs: 3_000,
  listMs: 5_000,
  loadMs: 10_000,
  predictMs: 10_000,
  unloadMs: 5_000,
  tokenizeMs: 5_000,
};
