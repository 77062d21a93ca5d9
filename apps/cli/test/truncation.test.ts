import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

/**
 * `lmstrix test --effective` on a model whose LM Studio silently cuts long prompts (the emulator's
 * `truncatePromptAbove` fault keeps only the last 12,000 tokens and reports 12,000 prompt tokens). The run uses
 * a low recall threshold (40 %) that the tail of a cut prompt still reaches — the needle at 90 % depth and the
 * tail canary are two of five — so only the truncation itself can stop the window from being credited.
 */
const KEPT = 12_000;
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("truncating", { maxContextLength: 32_768, faults: [{ truncatePromptAbove: KEPT }] }),
    // The same model without the fault: at this threshold the whole window is credited.
    llm("uncut", { maxContextLength: 32_768 }),
  ],
};
const precision = (size: number) => Math.max(256, Math.ceil(size / 100));

interface Report {
  run: { id: number; status: string };
  results: { modelKey: string; status: string; limit: number; effective?: { limit: number | null } }[];
}

describe("lmstrix test --effective on a model that silently truncates long prompts", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0, seed: 5 });
  let report: Report;
  let stderr: string;

  beforeAll(async () => {
    const argv = [
      "test",
      "truncating",
      "uncut",
      "--effective",
      "--recall",
      "0.4",
      "--cooldown",
      "0",
      "--json",
    ];
    const result = await runInProcess(argv, lmStudio.env());
    expect(result.code, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as Report;
    stderr = result.stderr;
  }, 120_000);

  const resultOf = (key: string) => report.results.find((candidate) => candidate.modelKey === key)!;

  it("credits the uncut model's whole window at this threshold (the control)", () => {
    expect(report.run.status).toBe("completed");
    expect(resultOf("uncut")).toMatchObject({
      status: "completed",
      limit: 32_768,
      effective: { limit: 32_768 },
    });
  });

  it("records every cut filled check as truncated and failed, and warns about it", async () => {
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      const stored = (await store.getModel(1, "truncating"))!;
      const filled = (await store.listRunProbes(report.run.id)).filter(
        (probe) => probe.modelId === stored.id && probe.kind === "effective",
      );
      const cut = filled.filter((probe) => probe.promptTokensSent! > KEPT);
      expect(cut.length).toBeGreaterThan(0);
      for (const probe of cut) {
        // LM Studio reported processing only the tail it kept, fewer tokens than were sent.
        expect(probe.promptTokens).toBe(KEPT);
        expect(probe.isTruncated).toBe(true);
        // The tail alone reaches the threshold, yet a window the model never saw whole is not a pass.
        expect(probe.recall).toBeGreaterThanOrEqual(0.4);
        expect(probe.outcome).toBe("fail");
      }
      // Prompts that fit are processed whole and recalled in full.
      const whole = filled.filter((probe) => probe.promptTokensSent! <= KEPT);
      expect(whole.length).toBeGreaterThan(0);
      for (const probe of whole) {
        expect(probe).toMatchObject({ isTruncated: false, outcome: "pass", recall: 1 });
      }
      expect(stderr).toContain("the prompt was silently truncated");
    } finally {
      await close();
    }
  });

  it("does not credit an effective limit above the tokens LM Studio kept", async () => {
    const result = resultOf("truncating");
    expect(result).toMatchObject({ status: "completed", limit: 32_768 });
    const effective = result.effective!.limit!;
    expect(effective).toBeLessThanOrEqual(KEPT);
    expect(KEPT - effective).toBeLessThanOrEqual(precision(32_768));
    const { store, close } = await openStore(lmStudio.dataDir);
    try {
      expect((await store.getModel(1, "truncating"))!.effectiveLimit).toBe(effective);
    } finally {
      await close();
    }
    // `lmstrix list` shows both measured effective contexts, next to the loadable limits.
    const list = await runInProcess(["list"], lmStudio.env());
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/│ Loadable limit │ Effective │/);
    expect(list.stdout).toMatch(
      new RegExp(`│ truncating +│ +1\\.00 │ +32,768 │ +32,768 │ +${effective.toLocaleString("en-US")} │`),
    );
    expect(list.stdout).toMatch(/│ uncut +│ +1\.00 │ +32,768 │ +32,768 │ +32,768 │/);
  });
});
