import { describe, expect, it } from "vitest";
import {
  countUntested,
  efficiency,
  filterModels,
  groupByHost,
  type ModelRow,
  NO_MODEL_FILTERS,
  replaceRows,
  sortModels,
} from "./model-rows";

function row(overrides: Partial<ModelRow> & Pick<ModelRow, "id" | "modelKey">): ModelRow {
  return {
    displayName: overrides.modelKey,
    type: "llm",
    sizeBytes: 1,
    declaredContext: 32_768,
    loadableLimit: null,
    effectiveLimit: null,
    effectiveThreshold: null,
    lastGoodContext: null,
    lastBadContext: null,
    testStatus: "untested",
    lastTestedAt: null,
    isPresent: true,
    stale: [],
    host: { id: 1, name: "local" },
    ...overrides,
  };
}

const rows: ModelRow[] = [
  row({
    id: 1,
    modelKey: "qwen3-4b",
    displayName: "Qwen3 4B",
    loadableLimit: 32_768,
    testStatus: "completed",
  }),
  row({
    id: 2,
    modelKey: "llama-3.1-8b",
    declaredContext: 131_072,
    loadableLimit: 60_000,
    effectiveLimit: 40_000,
    testStatus: "completed",
  }),
  row({ id: 3, modelKey: "nomic-embed", type: "embedding", declaredContext: 2_048 }),
  row({ id: 4, modelKey: "gemma-3-12b", testStatus: "failed", host: { id: 2, name: "gpu-box" } }),
  row({ id: 5, modelKey: "old-model", isPresent: false }),
];

describe("efficiency", () => {
  it("is the loadable limit over the declared context, or null when untested", () => {
    expect(efficiency(rows[1]!)).toBeCloseTo(0.4578, 3);
    expect(efficiency(rows[2]!)).toBeNull();
  });
});

describe("filterModels", () => {
  it("keeps everything without filters", () => {
    expect(filterModels(rows, NO_MODEL_FILTERS)).toHaveLength(5);
  });

  it("filters by host, type, status and words in key, name or host", () => {
    expect(filterModels(rows, { ...NO_MODEL_FILTERS, hostId: 2 }).map((r) => r.id)).toEqual([4]);
    expect(filterModels(rows, { ...NO_MODEL_FILTERS, type: "embedding" }).map((r) => r.id)).toEqual([3]);
    expect(filterModels(rows, { ...NO_MODEL_FILTERS, status: "completed" }).map((r) => r.id)).toEqual([1, 2]);
    expect(filterModels(rows, { ...NO_MODEL_FILTERS, text: "QWEN 4b" }).map((r) => r.id)).toEqual([1]);
    expect(filterModels(rows, { ...NO_MODEL_FILTERS, text: "gpu" }).map((r) => r.id)).toEqual([4]);
  });
});

describe("sortModels", () => {
  it("sorts by efficiency with untested models last", () => {
    const sorted = sortModels(rows, { key: "efficiency", direction: "descending" });
    expect(sorted.map((r) => r.id).slice(0, 2)).toEqual([1, 2]);
  });

  it("sorts by effective limit, largest first, unmeasured models last", () => {
    const sorted = sortModels(rows, { key: "effective", direction: "descending" });
    expect(sorted[0]?.id).toBe(2);
    expect(sorted.slice(1).every((r) => r.effectiveLimit === null)).toBe(true);
  });

  it("sorts none found below every effective limit found and above the models never searched", () => {
    const noneFound = row({
      id: 6,
      modelKey: "forgetful",
      loadableLimit: 32_768,
      effectiveThreshold: 0.856,
      testStatus: "completed",
    });
    for (const direction of ["descending", "ascending"] as const) {
      const sorted = sortModels([...rows, noneFound], { key: "effective", direction });
      // Largest first, or smallest first; models never searched stay last either way.
      expect(sorted.map((r) => r.id).slice(0, 2)).toEqual(direction === "descending" ? [2, 6] : [6, 2]);
    }
  });

  it("sorts statuses with work in progress and failures first", () => {
    const sorted = sortModels(rows, { key: "status", direction: "ascending" });
    expect(sorted[0]?.testStatus).toBe("failed");
    expect(sorted.at(-1)?.testStatus).toBe("completed");
  });
});

describe("countUntested and groupByHost", () => {
  it("counts present, not completed LLMs of a host", () => {
    expect(countUntested(rows, 1)).toBe(0);
    expect(countUntested(rows, 2)).toBe(1);
  });

  it("groups models into one run per host", () => {
    expect(groupByHost([rows[0]!, rows[3]!, rows[1]!])).toEqual([
      { hostId: 1, modelKeys: ["qwen3-4b", "llama-3.1-8b"] },
      { hostId: 2, modelKeys: ["gemma-3-12b"] },
    ]);
  });
});

describe("replaceRows", () => {
  it("puts a run's changed rows in their place and leaves the others, keeping the table's order", () => {
    const table = [
      row({ id: 1, modelKey: "a" }),
      row({ id: 2, modelKey: "b" }),
      row({ id: 3, modelKey: "c" }),
    ];
    const changed = [
      row({ id: 3, modelKey: "c", testStatus: "completed", loadableLimit: 8_192 }),
      row({ id: 1, modelKey: "a", testStatus: "testing" }),
      // A row this table does not show (another host's list): not added.
      row({ id: 9, modelKey: "z", testStatus: "testing" }),
    ];
    const next = replaceRows(table, changed);
    expect(next.map((r) => `${r.modelKey}:${r.testStatus}:${r.loadableLimit}`)).toEqual([
      "a:testing:null",
      "b:untested:null",
      "c:completed:8192",
    ]);
    expect(next[1]).toBe(table[1]);
  });
});
