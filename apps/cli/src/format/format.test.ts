import { type ModelSummary, parseRunEvent, type RunEvent } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { renderFinalResults, resultsFromEvents } from "./final-results";
import { renderModelsTable, sortModels } from "./models-table";
import { efficiency, formatAge, formatCount, formatDuration, formatGb, formatSize, oneLine } from "./numbers";
import { describeEvent, ProgressPrinter } from "./progress";

type Listed = Parameters<typeof renderModelsTable>[0][number];

function model(modelKey: string, extra: Partial<ModelSummary> = {}): Listed {
  return {
    modelKey,
    sizeBytes: 4_920_000_000,
    declaredContext: 131_072,
    loadableLimit: null,
    effectiveLimit: null,
    effectiveThreshold: null,
    lastGoodContext: null,
    lastBadContext: null,
    testStatus: "untested",
    ...extra,
  };
}

let nextId = 1;
/** An event as the CLI reads it back from the database (a row that does not parse is a broken fixture). */
function event(type: RunEvent["type"], payload: Record<string, unknown>): RunEvent {
  const parsed = parseRunEvent({ id: nextId++, runId: 7, type, payload, createdAt: new Date(0) });
  if (!parsed) throw new Error(`fixture ${type} ${JSON.stringify(payload)} does not parse`);
  return parsed;
}

describe("numbers", () => {
  it("formats like lmstrix: separators, '-' for none, GB = bytes / 1024³ with 2 decimals", () => {
    expect(formatCount(31_744)).toBe("31,744");
    expect(formatCount(null)).toBe("-");
    expect(formatGb(4_920_000_000)).toBe("4.58");
    expect(formatGb(1024 ** 3)).toBe("1.00");
    expect(efficiency(60_000, 131_072)).toBe(45.8);
    expect(efficiency(null, 131_072)).toBeNull();
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4_200)).toBe("4.2 s");
    expect(formatDuration(192_000)).toBe("3 min 12 s");
  });
});

describe("oneLine", () => {
  it("keeps a short first line whole and cuts a long one where a clause or word ends, never mid-word", () => {
    expect(oneLine("  first line \nsecond")).toBe("first line");
    const reason =
      "the recall curve fitted through every filled probe crosses the threshold 85.6% at 13,793 prompt tokens: the limit lies in 13,284–14,266 tokens";
    expect(oneLine(reason, 120)).toBe(
      "the recall curve fitted through every filled probe crosses the threshold 85.6% at 13,793 prompt tokens…",
    );
    expect(oneLine("alpha beta gamma delta", 15)).toBe("alpha beta…");
  });
});

describe("sizes and ages", () => {
  it("prints sizes in B/KB/MB/GB with separators, and ages like '3 h ago'", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(126_976)).toBe("124 KB");
    expect(formatSize(12.34 * 1024 ** 2)).toBe("12.3 MB");
    expect(formatSize(1_536 * 1024 ** 2)).toBe("1.50 GB");
    expect(formatSize(2_000 * 1024 ** 3)).toBe("2,000.00 GB");
    expect(formatAge(400)).toBe("just now");
    expect(formatAge(42_000)).toBe("42 s ago");
    expect(formatAge(12 * 60_000)).toBe("12 min ago");
    expect(formatAge(3 * 3_600_000 + 1)).toBe("3 h ago");
    expect(formatAge(5 * 86_400_000)).toBe("5 days ago");
  });
});

describe("models table", () => {
  it("renders lmstrix's columns, the effective context when measured, statuses and number formats", () => {
    const table = renderModelsTable([
      model("qwen/qwen3-8b", {
        loadableLimit: 60_000,
        effectiveLimit: 39_777,
        lastGoodContext: 60_000,
        lastBadContext: 60_608,
        testStatus: "completed",
      }),
      model("gemma-3-1b", { sizeBytes: 600_000_000, declaredContext: 32_768, testStatus: "testing" }),
      model("broken", { testStatus: "failed", lastBadContext: 2_048 }),
      model("new-one"),
    ]);
    expect(table).toMatchInlineSnapshot(`
      "                                            LM Studio Models
      ┌───────────────┬───────────┬──────────┬────────────────┬───────────┬───────────┬──────────┬────────────┐
      │ Model ID      │ Size (GB) │ Declared │ Loadable limit │ Effective │ Last good │ Last bad │ Status     │
      ├───────────────┼───────────┼──────────┼────────────────┼───────────┼───────────┼──────────┼────────────┤
      │ qwen/qwen3-8b │      4.58 │  131,072 │         60,000 │    39,777 │    60,000 │   60,608 │ ✓ Tested   │
      │ gemma-3-1b    │      0.56 │   32,768 │              - │         - │         - │        - │ Testing... │
      │ broken        │      4.58 │  131,072 │              - │         - │         - │    2,048 │ ✗ Failed   │
      │ new-one       │      4.58 │  131,072 │              - │         - │         - │        - │ Untested   │
      └───────────────┴───────────┴──────────┴────────────────┴───────────┴───────────┴──────────┴────────────┘
      "
    `);
  });

  it("adds a Host column only when several hosts are shown", () => {
    expect(renderModelsTable([{ ...model("a"), hostName: "local" }])).not.toContain("Host");
    const table = renderModelsTable([
      { ...model("a"), hostName: "local" },
      { ...model("a"), hostName: "gpu-box" },
    ]);
    expect(table.split("\n")[2]).toMatch(/^│ Host +│ Model ID/);
  });

  it("sorts by id, loadable limit, declared and size, 'd' for descending", () => {
    const models = [
      model("b", { loadableLimit: 8_000, declaredContext: 4_096, sizeBytes: 3 }),
      model("a", { loadableLimit: null, declaredContext: 131_072, sizeBytes: 1 }),
      model("c", { loadableLimit: 30_000, declaredContext: 32_768, sizeBytes: 2 }),
    ];
    const keys = (sort: Parameters<typeof sortModels>[1]) => sortModels(models, sort).map((m) => m.modelKey);
    expect(keys("id")).toEqual(["a", "b", "c"]);
    expect(keys("idd")).toEqual(["c", "b", "a"]);
    expect(keys("ctx")).toEqual(["a", "b", "c"]);
    expect(keys("ctxd")).toEqual(["c", "b", "a"]);
    expect(keys("dtx")).toEqual(["b", "c", "a"]);
    expect(keys("dtxd")).toEqual(["a", "c", "b"]);
    expect(keys("size")).toEqual(["a", "c", "b"]);
    expect(keys("sized")).toEqual(["b", "c", "a"]);
  });
});

describe("final results", () => {
  it("takes each model's last model.finished event and renders lmstrix's closing table", () => {
    const results = resultsFromEvents([
      event("model.finished", { modelKey: "a", status: "completed", limit: 106_463, declared: 131_072 }),
      event("probe.finished", { modelKey: "b", outcome: "fail" }),
      event("model.finished", {
        modelKey: "b",
        status: "failed",
        limit: null,
        declared: 32_768,
        errorCategory: "INSUFFICIENT_RESOURCES",
        reason: "does not load and answer even at 2,048 tokens",
      }),
    ]);
    expect(results[0]).toEqual({
      modelKey: "a",
      status: "completed",
      limit: 106_463,
      declared: 131_072,
      efficiency: 81.2,
      errorCategory: null,
      reason: null,
    });
    expect(renderFinalResults(results)).toMatchInlineSnapshot(`
      "                                    Final Results
      ┌───────┬───────────────────────────────────┬────────────────┬──────────┬────────────┐
      │ Model │ Status                            │ Loadable limit │ Declared │ Efficiency │
      ├───────┼───────────────────────────────────┼────────────────┼──────────┼────────────┤
      │ a     │ ✓ Completed                       │        106,463 │  131,072 │      81.2% │
      │ b     │ ✗ Failed (INSUFFICIENT_RESOURCES) │              - │   32,768 │          - │
      └───────┴───────────────────────────────────┴────────────────┴──────────┴────────────┘
      "
    `);
  });
});

describe("final results with the effective context", () => {
  it("adds an Effective column when the run measured it", () => {
    const results = resultsFromEvents([
      event("model.finished", {
        modelKey: "a",
        status: "completed",
        limit: 106_463,
        declared: 131_072,
        effectiveLimit: 39_777,
        effectiveReason: "reaches 100% recall with 39,777 prompt tokens",
      }),
      event("model.finished", {
        modelKey: "b",
        status: "completed",
        limit: 8_192,
        declared: 32_768,
        effectiveLimit: null,
        effectiveReason: "does not pass the filled check even at 2,048 tokens",
      }),
    ]);
    expect(results[0]?.effective).toEqual({
      limit: 39_777,
      reason: "reaches 100% recall with 39,777 prompt tokens",
    });
    const table = renderFinalResults(results);
    expect(table).toContain("│ Loadable limit │ Effective │");
    expect(table).toMatch(/│ a +│ ✓ Completed │ +106,463 │ +39,777 │ +131,072 │/);
    expect(table).toMatch(/│ b +│ ✓ Completed │ +8,192 │ +- │ +32,768 │/);
    expect(
      describeEvent(
        event("model.finished", {
          modelKey: "a",
          status: "completed",
          limit: 106_463,
          declared: 131_072,
          effectiveLimit: 39_777,
          effectiveReason: "reaches 100% recall",
        }),
      ),
    ).toBe("■ a: ✓ loadable limit 106,463 of 131,072 (81.2%); effective limit 39,777 (reaches 100% recall)");
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "a",
          context: 8_192,
          applied: 8_192,
          outcome: "pass",
          kind: "effective",
          recall: 1,
          isTruncated: true,
        }),
      ),
    ).toBe("  ✓ a at 8,192 filled, recall 100%, truncated: pass");
  });
});

describe("progress lines", () => {
  it("says when a re-test moved a limit, and what changed in between", () => {
    const payload = { modelKey: "a", kind: "loadable", from: 60_000, to: 48_000, direction: "regression" };
    const description = "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21";
    expect(describeEvent(event("model.limitChanged", { ...payload, description }))).toBe(
      "  ▼ a: loadable limit regression: 60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
    );
  });

  it("describes each step of a run", () => {
    expect(describeEvent(event("model.started", { modelKey: "a", declared: 131_072 }))).toBe(
      "▶ a (declared 131,072)",
    );
    expect(describeEvent(event("probe.started", { modelKey: "a", context: 31_744 }))).toBe(
      "  → a at 31,744 tokens: loading",
    );
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "a",
          context: 8_192,
          applied: 8_192,
          outcome: "pass",
          loadMs: 1_500,
        }),
      ),
    ).toBe("  ✓ a at 8,192: pass, load 1.5 s");
    expect(
      describeEvent(
        event("probe.finished", { modelKey: "a", context: 16_384, applied: 9_000, outcome: "pass" }),
      ),
    ).toBe("  ✓ a at 16,384: pass (LM Studio loaded 9,000)");
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "a",
          context: 65_536,
          outcome: "fail",
          errorCategory: "INSUFFICIENT_RESOURCES",
          errorMessage: "Model loading was stopped\nmore text",
        }),
      ),
    ).toBe("  ✗ a at 65,536: fail — INSUFFICIENT_RESOURCES: Model loading was stopped");
    // The guardrail's figure, which its three sentences bury, is what the line keeps.
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "a",
          context: 65_536,
          outcome: "fail",
          errorCategory: "INSUFFICIENT_RESOURCES",
          errorMessage:
            "Model loading was stopped due to insufficient system resources. Under the current settings, …",
          requiredBytes: Math.round(16.38 * 1024 ** 3),
        }),
      ),
    ).toBe(
      "  ✗ a at 65,536: fail — INSUFFICIENT_RESOURCES: LM Studio refused the load, which needs about 16.38 GB of memory",
    );
    expect(
      describeEvent(event("probe.finished", { modelKey: "a", context: 2_048, outcome: "fail", reply: "15" })),
    ).toBe('  ✗ a at 2,048: fail — wrong answer "15"');
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "a",
          context: 2_048,
          outcome: "fail",
          kind: "loadable",
          reply: "15\n7",
          expectedAnswer: "96\n5",
        }),
      ),
    ).toBe('  ✗ a at 2,048: fail — wrong answer "15" (expected 96, then 5)');
    // A filled check's reply is a list of codes, mostly right: the recall is why it failed, not the first code.
    const filled = {
      modelKey: "a",
      context: 32_768,
      outcome: "fail",
      kind: "effective",
      reply: "26227\n41305",
    };
    expect(describeEvent(event("probe.finished", { ...filled, recall: 0.73 }))).toBe(
      "  ✗ a at 32,768 filled, recall 73%: fail — recall below the threshold",
    );
    // To the tenth it has: 121 of 128 is below a threshold of 95 %, and does not read "95%".
    expect(describeEvent(event("probe.finished", { ...filled, recall: 121 / 128 }))).toBe(
      "  ✗ a at 32,768 filled, recall 94.5%: fail — recall below the threshold",
    );
    expect(describeEvent(event("probe.finished", { ...filled, recall: 0.9, isTruncated: true }))).toBe(
      "  ✗ a at 32,768 filled, recall 90%, truncated: fail — LM Studio cut the prompt",
    );
    expect(describeEvent(event("probe.loadProgress", { progress: 0.5 }))).toBeNull();
    expect(describeEvent(event("warning", { modelKey: "a", message: "careful" }))).toBe("  ⚠ a: careful");
    expect(describeEvent(event("warning", { modelKey: "a", context: 8_192, message: "Timed out" }))).toBe(
      "  ⚠ a at 8,192 tokens: Timed out",
    );
    expect(
      describeEvent(
        event("model.finished", { modelKey: "a", status: "failed", errorCategory: "MEMORY_CACHE_CORRUPTED" }),
      ),
    ).toBe("■ a: ✗ failed MEMORY_CACHE_CORRUPTED");
    expect(
      describeEvent(event("run.finished", { status: "failed", message: "LM Studio is not reachable" })),
    ).toBe("Run #7 failed: LM Studio is not reachable");
  });

  it("shows stalled loads, skip requests and skipped models", () => {
    expect(
      describeEvent(
        event("probe.finished", {
          modelKey: "ultralong",
          context: 131_072,
          outcome: "fail",
          errorCategory: "STALLED",
          errorMessage: "No load progress for 60 s (stuck at 99%); given up as stalled",
        }),
      ),
    ).toBe(
      "  ✗ ultralong at 131,072: fail — STALLED: No load progress for 60 s (stuck at 99%); given up as stalled",
    );
    expect(describeEvent(event("model.skipRequested", { modelKey: "slow", by: "alice" }))).toBe(
      "  ⏭ slow: skip asked by alice",
    );
    expect(
      describeEvent(
        event("model.finished", { modelKey: "slow", status: "skipped", reason: "skipped by alice" }),
      ),
    ).toBe("■ slow: ⏭ skipped by alice");
    const results = resultsFromEvents([
      event("model.finished", { modelKey: "slow", status: "skipped", limit: null, declared: 8_192 }),
    ]);
    expect(results[0]?.status).toBe("skipped");
    expect(renderFinalResults(results)).toMatch(/│ slow +│ ⏭ Skipped +│/);
  });

  it("says after each model how many are done and the time left, from the run's own probe times", () => {
    const at = (seconds: number) => new Date(Date.parse("2026-01-01T00:00:00Z") + seconds * 1_000);
    const timed = (type: RunEvent["type"], payload: Record<string, unknown>, seconds: number) => ({
      ...event(type, payload),
      createdAt: at(seconds),
    });
    const lines: string[] = [];
    const printer = new ProgressPrinter(
      { write: (text) => lines.push(text), isTTY: false },
      { host: { probeMs: null, probesPerModel: null }, cooldownMs: 0 },
    );
    const finished = { status: "completed", limit: 8_192, declared: 8_192 };
    for (const step of [
      timed("log", { message: "Testing 3 model(s)", modelKeys: ["a", "b", "c"] }, 0),
      timed("probe.started", { probeId: 1, modelKey: "a", context: 2_048 }, 0),
      timed("probe.finished", { probeId: 1, modelKey: "a", context: 2_048, outcome: "pass" }, 300),
      timed("model.finished", { modelKey: "a", ...finished }, 300),
      timed("probe.started", { probeId: 2, modelKey: "b", context: 2_048 }, 300),
      timed("probe.finished", { probeId: 2, modelKey: "b", context: 2_048, outcome: "pass" }, 600),
      timed("model.finished", { modelKey: "b", ...finished }, 600),
      timed("probe.started", { probeId: 3, modelKey: "c", context: 2_048 }, 600),
      timed("probe.finished", { probeId: 3, modelKey: "c", context: 2_048, outcome: "pass" }, 900),
      timed("model.finished", { modelKey: "c", ...finished }, 900),
    ]) {
      printer.print(step);
    }
    const ends = lines.filter((line) => line.startsWith("■"));
    expect(ends[0]).toContain("(1 of 3 models done, about 10 min left)");
    expect(ends[1]).toContain("(2 of 3 models done, about 5 min left)");
    // The last one says nothing more: nothing is left.
    expect(ends[2]).toBe("■ c: ✓ loadable limit 8,192 of 8,192 (100.0%)\n");
  });

  it("redraws the probe line with load progress on a terminal, writes whole lines elsewhere", () => {
    const steps = [
      event("probe.started", { modelKey: "a", context: 4_096 }),
      event("probe.loadProgress", { progress: 0.5 }),
      event("probe.finished", { modelKey: "a", context: 4_096, outcome: "pass" }),
    ];
    const tty: string[] = [];
    const onTerminal = new ProgressPrinter({ write: (text) => tty.push(text), isTTY: true });
    for (const step of steps) onTerminal.print(step);
    expect(tty.join("")).toContain("\r\x1b[2K  → a at 4,096 tokens: loading 50%");
    expect(tty.join("").endsWith("  ✓ a at 4,096: pass\n")).toBe(true);

    const piped: string[] = [];
    const onPipe = new ProgressPrinter({ write: (text) => piped.push(text), isTTY: false });
    for (const step of steps) onPipe.print(step);
    expect(piped.join("")).toBe("  → a at 4,096 tokens: loading\n  ✓ a at 4,096: pass\n");
  });

  it("in a pipe, writes a long load's progress every 30 s of the run's time", () => {
    const at = (ms: number, step: RunEvent) => ({ ...step, createdAt: new Date(ms) });
    const piped: string[] = [];
    const onPipe = new ProgressPrinter({ write: (text) => piped.push(text), isTTY: false });
    for (const step of [
      at(0, event("probe.started", { modelKey: "big", context: 131_072 })),
      at(10_000, event("probe.loadProgress", { progress: 0.1 })),
      at(31_000, event("probe.loadProgress", { progress: 0.3 })),
      at(40_000, event("warning", { modelKey: "big", context: 131_072, message: "Timed out; trying again" })),
      at(45_000, event("probe.loadProgress", { progress: 0.45 })),
      at(62_000, event("probe.loadProgress", { progress: 0.62 })),
      at(70_000, event("probe.finished", { modelKey: "big", context: 131_072, outcome: "pass" })),
      // Progress of no probe in flight writes nothing.
      at(200_000, event("probe.loadProgress", { progress: 0.9 })),
    ])
      onPipe.print(step);
    expect(piped).toEqual([
      "  → big at 131,072 tokens: loading\n",
      "  → big at 131,072 tokens: loading 30%\n",
      "  ⚠ big at 131,072 tokens: Timed out; trying again\n",
      "  → big at 131,072 tokens: loading 62%\n",
      "  ✓ big at 131,072: pass\n",
    ]);
  });
});
