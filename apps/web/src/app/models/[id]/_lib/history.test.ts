import { answerReserve } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import {
  type HistoryProbe,
  probePoints,
  recallPoints,
  runLimits,
  timeDomain,
  timeTickFormatter,
} from "./history";

const at = (seconds: number) => new Date(Date.UTC(2025, 6, 1, 10, 0, seconds));

const probes: HistoryProbe[] = [
  {
    id: 1,
    runId: 1,
    contextRequested: 2_048,
    contextApplied: 2_048,
    outcome: "pass",
    startedAt: at(0),
    finishedAt: at(1),
  },
  {
    id: 2,
    runId: 1,
    contextRequested: 31_744,
    contextApplied: 31_000,
    outcome: "pass",
    startedAt: at(2),
    finishedAt: at(3),
  },
  {
    id: 3,
    runId: 1,
    contextRequested: 65_536,
    contextApplied: null,
    outcome: "fail",
    startedAt: at(4),
    finishedAt: at(5),
  },
  {
    id: 4,
    runId: 2,
    contextRequested: 2_048,
    contextApplied: null,
    outcome: "error",
    startedAt: at(6),
    finishedAt: at(7),
  },
  {
    id: 5,
    runId: 3,
    contextRequested: 4_096,
    contextApplied: null,
    outcome: "cancelled",
    startedAt: at(8),
    finishedAt: null,
  },
];

describe("probePoints", () => {
  it("splits probes into pass, fail (errors too) and other, passes at the applied size", () => {
    const points = probePoints(probes);
    expect(points.pass.map((p) => p.context)).toEqual([2_048, 31_000]);
    expect(points.fail.map((p) => p.probeId)).toEqual([3, 4]);
    expect(points.other.map((p) => p.outcome)).toEqual(["cancelled"]);
    expect(points.other[0]?.time).toBe(at(8).getTime());
  });
});

describe("runLimits", () => {
  it("gives each run its largest pass at the time of its last probe, and skips runs without one", () => {
    expect(runLimits(probes)).toEqual([{ runId: 1, context: 31_000, time: at(5).getTime() }]);
  });
});

describe("timeDomain", () => {
  it("never collapses to one instant", () => {
    const [from, to] = timeDomain([1_000_000, 1_000_000]);
    expect(to - from).toBe(2_000);
  });
});

describe("timeTickFormatter", () => {
  it("shows seconds within a run and dates across months", () => {
    const at = Date.UTC(2025, 6, 1, 10, 0, 5);
    expect(timeTickFormatter([at, at + 60_000])(at)).toMatch(/:\d{2}:\d{2}/);
    expect(timeTickFormatter([at, at + 90 * 86_400_000])(at)).toContain("2025");
  });
});

describe("recallPoints", () => {
  it("plots only filled-context probes with a recall, by window size, in percent", () => {
    const base = { runId: 3, outcome: "pass", isTruncated: false };
    const points = recallPoints([
      { ...base, id: 1, kind: "loadable", contextRequested: 2_048, contextApplied: 2_048, recall: null },
      { ...base, id: 2, kind: "effective", contextRequested: 65_536, contextApplied: 65_536, recall: 0 },
      { ...base, id: 3, kind: "effective", contextRequested: 32_768, contextApplied: 32_000, recall: 2 / 3 },
      { ...base, id: 4, kind: "effective", contextRequested: 8_192, contextApplied: null, recall: null },
      {
        ...base,
        id: 5,
        kind: "effective",
        contextRequested: 4_096,
        contextApplied: 4_096,
        recall: 1,
        isTruncated: true,
      },
    ]);
    // Probes that kept no prompt size are placed where a filled prompt of their window would end.
    const prompt = (window: number) => window - answerReserve(window);
    expect(points).toEqual([
      { context: 4_096, promptTokens: prompt(4_096), recall: 100, probeId: 5, runId: 3, isTruncated: true },
      {
        context: 32_000,
        promptTokens: prompt(32_000),
        recall: 66.7,
        probeId: 3,
        runId: 3,
        isTruncated: false,
      },
      { context: 65_536, promptTokens: prompt(65_536), recall: 0, probeId: 2, runId: 3, isTruncated: false },
    ]);
  });

  it("places each check at the prompt tokens the effective limit is counted in: sent, never more than processed", () => {
    const probe = {
      id: 1,
      runId: 3,
      kind: "effective",
      outcome: "pass",
      contextRequested: 16_384,
      contextApplied: 16_384,
      recall: 0.9,
      isTruncated: false,
      promptTokensSent: 14_020,
    };
    expect(recallPoints([{ ...probe, promptTokens: 14_028 }])[0]?.promptTokens).toBe(14_020);
    expect(recallPoints([{ ...probe, promptTokens: 12_000, isTruncated: true }])[0]?.promptTokens).toBe(
      12_000,
    );
  });
});
