import { describe, expect, it } from "vitest";
import { speedPoints } from "../_lib/speed";
import { speedSummary } from "./speed-chart";

const probe = (id: number, contextRequested: number, kind = "loadable") => ({
  id,
  runId: 1,
  kind,
  contextRequested,
  contextApplied: null,
  outcome: "pass",
  loadMs: 1_000,
  timeToFirstTokenMs: 500,
  promptTokensPerSec: 800,
  genTokensPerSec: 40,
});

describe("speedSummary", () => {
  it("counts the checks with their noun agreeing, and gives one size as one", () => {
    expect(speedSummary(speedPoints([probe(1, 131_072)]))).toMatch(/^1 short check at 131,072 tokens: /);
    expect(speedSummary(speedPoints([probe(1, 4_096), probe(2, 8_192)]))).toMatch(
      /^2 short checks from 4,096 to 8,192 tokens: generation 40(\.0)? tok\/s/,
    );
  });
});
