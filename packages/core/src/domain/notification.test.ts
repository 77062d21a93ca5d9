import { describe, expect, it } from "vitest";
import type { RunEventRow } from "./event";
import { notificationsOfRun, runLink } from "./notification";

let nextId = 1;
const row = (type: string, payload: Record<string, unknown>): RunEventRow => ({
  id: nextId++,
  runId: 5,
  type,
  payload,
  createdAt: new Date(),
});
const finished = (modelKey: string, status: string) =>
  row("model.finished", { modelKey, status, limit: null, declared: 8192, reason: null, errorCategory: null });

describe("the notifications of a run", () => {
  const run = { id: 5, host: { id: 2, name: "gpu-box" } };

  it("builds the link from the public URL", () => {
    expect(runLink("http://dash.lan:3000/", 5)).toBe("http://dash.lan:3000/runs/5");
  });

  it("counts each model's last end and sends one regression per lowered limit", () => {
    const events = [
      finished("a", "failed"),
      finished("a", "completed"),
      finished("b", "failed"),
      finished("c", "skipped"),
      row("model.limitChanged", {
        modelKey: "a",
        kind: "loadable",
        from: 60_000,
        to: 48_000,
        direction: "regression",
        description: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
      }),
      row("model.limitChanged", {
        modelKey: "b",
        kind: "loadable",
        from: 4_000,
        to: 8_000,
        direction: "improvement",
        description: "4,000 → 8,000",
      }),
      row("run.finished", { status: "completed", message: null }),
    ];
    expect(notificationsOfRun(run, events, "http://127.0.0.1:3000")).toEqual([
      {
        event: "run.finished",
        runId: 5,
        host: { id: 2, name: "gpu-box" },
        status: "completed",
        message: null,
        models: { completed: 1, failed: 1, skipped: 1 },
        link: "http://127.0.0.1:3000/runs/5",
      },
      {
        event: "model.regression",
        runId: 5,
        host: { id: 2, name: "gpu-box" },
        model: "a",
        kind: "loadable",
        from: 60_000,
        to: 48_000,
        description: "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21",
        link: "http://127.0.0.1:3000/runs/5",
      },
    ]);
  });

  it("has no run end for a run that has not ended", () => {
    expect(notificationsOfRun(run, [finished("a", "completed")], "http://x")).toEqual([]);
  });
});
