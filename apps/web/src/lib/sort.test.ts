import { describe, expect, it } from "vitest";
import { compareSortValues, nextSort, paginate, sortRows } from "./sort";

describe("sortRows", () => {
  const rows = [
    { key: "b-model", limit: 60_000 },
    { key: "a-model", limit: null },
    { key: "model-10", limit: 4_096 },
    { key: "model-9", limit: 131_072 },
  ];

  it("sorts numbers both ways and keeps missing values last", () => {
    expect(sortRows(rows, (r) => r.limit, "ascending").map((r) => r.limit)).toEqual([
      4_096,
      60_000,
      131_072,
      null,
    ]);
    expect(sortRows(rows, (r) => r.limit, "descending").map((r) => r.limit)).toEqual([
      131_072,
      60_000,
      4_096,
      null,
    ]);
  });

  it("sorts text naturally (9 before 10) and case-insensitively", () => {
    expect(sortRows(rows, (r) => r.key, "ascending").map((r) => r.key)).toEqual([
      "a-model",
      "b-model",
      "model-9",
      "model-10",
    ]);
  });

  it("sorts dates and is stable on ties", () => {
    const dated = [
      { id: 1, at: new Date("2025-01-02") },
      { id: 2, at: new Date("2025-01-01") },
      { id: 3, at: new Date("2025-01-02") },
    ];
    expect(sortRows(dated, (r) => r.at, "descending").map((r) => r.id)).toEqual([1, 3, 2]);
  });

  it("compares booleans as numbers", () => {
    expect(compareSortValues(true, false, "ascending")).toBeGreaterThan(0);
  });
});

describe("nextSort", () => {
  it("flips the current column and starts a new one in its first direction", () => {
    const current = { key: "model", direction: "ascending" } as const;
    expect(nextSort(current, "model")).toEqual({ key: "model", direction: "descending" });
    expect(nextSort(current, "size", "descending")).toEqual({ key: "size", direction: "descending" });
  });
});

describe("paginate", () => {
  const rows = Array.from({ length: 250 }, (_, index) => index);

  it("returns one page and the page count", () => {
    const page = paginate(rows, 3, 100);
    expect(page).toMatchObject({ page: 3, pageCount: 3, start: 200 });
    expect(page.rows).toHaveLength(50);
  });

  it("clamps a page that filtering made disappear", () => {
    expect(paginate(rows.slice(0, 10), 3, 100)).toMatchObject({ page: 1, pageCount: 1 });
    expect(paginate([], 1, 100)).toMatchObject({ page: 1, pageCount: 1, rows: [] });
  });
});
