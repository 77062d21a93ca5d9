import { afterEach, expect } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/server.js";
import { createStrictClient, type StrictClient } from "./strict-client.js";

/**
 * For tests that start their own emulator: `serve(options)` starts one with a strict SDK client, and after
 * each test both are closed and the client must have logged no protocol problem.
 */
export function emulatorSessions(): {
  serve(options: EmulatorOptions): Promise<StrictClient>;
  emulator(): Emulator;
} {
  let emulator: Emulator | undefined;
  let sdk: StrictClient | undefined;
  afterEach(async () => {
    await sdk?.dispose();
    await emulator?.close();
    expect(sdk?.problems ?? []).toEqual([]);
    emulator = undefined;
    sdk = undefined;
  });
  return {
    async serve(options) {
      emulator = await startEmulator({ timeScale: 0, ...options });
      sdk = createStrictClient(emulator.url);
      return sdk;
    },
    emulator() {
      if (emulator === undefined) throw new Error("no emulator started in this test");
      return emulator;
    },
  };
}
