import { type Emulator, type EmulatorOptions, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll } from "vitest";
import { type TempDir, tempDataDir, testEnv } from "./cli";

/** Every field is required so that each test file states its machine, its speed and its randomness. */
export type EmulatorHostOptions = Required<Pick<EmulatorOptions, "fleet" | "timeScale" | "seed">>;

/**
 * For the tests of the enclosing `describe`: an emulator (on a free port) with `options`, and one data
 * directory they share, both gone after the last test. Call it first in the `describe`: vitest runs `beforeAll`
 * hooks in the order they were registered, so a `beforeAll` that runs the CLI must come after this one.
 */
export function useEmulatorHost(options: EmulatorHostOptions) {
  let emulator: Emulator | undefined;
  let data: TempDir | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, ...options });
    data = tempDataDir();
  });
  afterAll(async () => {
    await emulator?.close();
    data?.dispose();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the emulator host exists only while the describe's tests run");
    return value;
  };
  return {
    get emulator(): Emulator {
      return started(emulator);
    },
    get dataDir(): string {
      return started(data).dir;
    },
    /** LM Studio back on the same port (and URL) after a test closed it; `changed`: e.g. another fleet. */
    async restart(changed: Partial<EmulatorHostOptions> = {}): Promise<Emulator> {
      emulator = await startEmulator({ port: started(emulator).port, ...options, ...changed });
      return emulator;
    },
    /** The CLI's environment for this emulator and data directory, with `extra` on top. */
    env(extra?: Record<string, string>): Record<string, string> {
      return testEnv(started(emulator).url, started(data).dir, extra);
    },
  };
}
