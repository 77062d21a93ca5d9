import type { ProbeRecord } from "@lmstrix/core";
import { defaultFleetInput, type FleetInput } from "@lmstrix/lmstudio-emulator";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/** The demo fleet's model whose loads above 65,536 sit at 99.9 % until cancelled. */
const HANGING = "nvidia_llama-3.1-8b-ultralong-512k-instruct";
const HANGS_ABOVE = 65_536;
const FLEET: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [
    llm("quick", { maxContextLength: 8_192 }),
    defaultFleetInput.models.find((model) => model.modelKey === HANGING)!,
    llm("after", { maxContextLength: 16_384 }),
  ],
};

/**
 * A batch with a load that hangs, at the demo's time scale 0.01 and its scaled stall time (1 s), with the
 * load timeout left at its default of 10 minutes: without the stall rule every hung size would cost 30 minutes
 * (three attempts), hours for the batch. It finishes within the test's time limit instead.
 */
describe("lmstrix test with a load that hangs (time scale 0.01)", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0.01, seed: 5 });
  const env = () => lmStudio.env({ LMSTRIX_LOAD_STALL_MS: "1000", LMSTRIX_LOAD_TIMEOUT_MS: "600000" });

  async function probesOf(runId: number): Promise<ProbeRecord[]> {
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const model = (await store.listModels({})).find((candidate) => candidate.modelKey === HANGING)!;
      return (await store.listRunProbes(runId)).filter((probe) => probe.modelId === model.id);
    } finally {
      await close();
    }
  }

  it.each([
    ["--all, lmstrix batch passes", ["--all", "--strategy", "lmstrix"]],
    ["lmstrix single-model search", [HANGING, "--strategy", "lmstrix", "--reset"]],
    ["fit search", [HANGING, "--reset"]],
  ])(
    "%s: each hung size is given up as STALLED once, the limit is found below it, the batch goes on",
    async (_name, args) => {
      const cancelledBefore = lmStudio.emulator.state.counters.loadsCancelled;
      const result = await runInProcess(["test", ...args, "--cooldown", "0", "--json"], env());
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as {
        run: { id: number; status: string };
        results: { modelKey: string; status: string; limit: number }[];
      };
      expect(report.run.status).toBe("completed");
      const hanging = report.results.find((entry) => entry.modelKey === HANGING)!;
      expect(hanging.status).toBe("completed");
      expect(hanging.limit).toBeLessThanOrEqual(HANGS_ABOVE);
      expect(hanging.limit).toBeGreaterThanOrEqual(HANGS_ABOVE - 1_024);
      if (args[0] === "--all") {
        expect(report.results.map((entry) => [entry.modelKey, entry.status])).toEqual(
          expect.arrayContaining([
            ["quick", "completed"],
            ["after", "completed"],
          ]),
        );
      }

      const stalled = (await probesOf(report.run.id)).filter((probe) => probe.contextRequested > HANGS_ABOVE);
      expect(stalled.length).toBeGreaterThan(0);
      for (const probe of stalled) {
        expect(probe).toMatchObject({ outcome: "fail", errorCategory: "STALLED", attempts: 1 });
        expect(probe.errorMessage).toMatch(
          /^No load progress for 1 s \(stuck at 99%\); given up as stalled$/,
        );
      }
      expect(result.stderr).toMatch(/fail — STALLED: No load progress for 1 s/);
      expect(result.stderr).not.toContain("Timed out");
      // Each stalled load was cancelled on the host, and nothing stays loaded.
      expect(lmStudio.emulator.state.counters.loadsCancelled - cancelledBefore).toBe(stalled.length);
      expect(lmStudio.emulator.state.loaded).toEqual([]);
    },
    120_000,
  );
});
