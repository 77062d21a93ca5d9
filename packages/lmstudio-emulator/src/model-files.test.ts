import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./server.js";
import { GiB, llm } from "./testing/index.js";

let home: string | undefined;
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe("model files under the LM Studio home", () => {
  it("makes a small file with the fleet's modification time for each model that has one", async () => {
    home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-"));
    const fleet = {
      memoryBytes: 8 * GiB,
      models: [llm("dated", { modifiedAt: "2026-11-02T10:00:00Z" }), llm("undated")],
    };
    emulator = await startEmulator({ fleet, timeScale: 0, lmstudioHome: home });
    const dated = await stat(path.join(home, "models", "test/dated/dated-Q4_K_M.gguf"));
    expect(dated.mtime.toISOString()).toBe("2026-11-02T10:00:00.000Z");
    expect(dated.size).toBeLessThan(1024);
    await expect(stat(path.join(home, "models", "test/undated/undated-Q4_K_M.gguf"))).rejects.toThrow();

    // Started again with a newer time: the same file, re-downloaded as far as its time says.
    await emulator.close();
    emulator = await startEmulator({
      fleet: { ...fleet, models: [llm("dated", { modifiedAt: "2026-12-01T08:30:00Z" })] },
      timeScale: 0,
      lmstudioHome: home,
    });
    const again = await stat(path.join(home, "models", "test/dated/dated-Q4_K_M.gguf"));
    expect(again.mtime.toISOString()).toBe("2026-12-01T08:30:00.000Z");
  });
});
