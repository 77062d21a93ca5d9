import { describe, expect, it } from "vitest";
import {
  applyPlaygroundUpdate,
  defaultContextFor,
  IDLE_OUTPUT,
  type PlaygroundUpdate,
  parsePlaygroundForm,
} from "./playground-state";

describe("defaultContextFor", () => {
  it("uses the measured limit, else 4,096 capped at what the model declares", () => {
    expect(defaultContextFor({ loadableLimit: 60_000, declaredContext: 131_072 })).toBe(60_000);
    expect(defaultContextFor({ loadableLimit: null, declaredContext: 131_072 })).toBe(4_096);
    expect(defaultContextFor({ loadableLimit: null, declaredContext: 2_048 })).toBe(2_048);
    expect(defaultContextFor(undefined)).toBe(4_096);
  });
});

describe("parsePlaygroundForm", () => {
  it("reads numbers as people type them", () => {
    expect(
      parsePlaygroundForm({ contextLength: "8,192", prompt: "2+3=", maxTokens: "64", temperature: "0.2" }),
    ).toEqual({
      ok: true,
      request: { contextLength: 8_192, prompt: "2+3=", maxTokens: 64, temperature: 0.2 },
    });
  });

  it("names every bad field", () => {
    const result = parsePlaygroundForm({
      contextLength: "0",
      prompt: "  ",
      maxTokens: "many",
      temperature: "3",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      "contextLength",
      "maxTokens",
      "prompt",
      "temperature",
    ]);
  });
});

describe("applyPlaygroundUpdate", () => {
  it("collects status lines, appends fragments and ends with the stats", () => {
    const updates: PlaygroundUpdate[] = [
      { type: "status", message: "Loading…" },
      { type: "fragment", text: "2+3" },
      { type: "fragment", text: " = 5" },
      {
        type: "done",
        appliedContext: 4_096,
        loadMs: 300,
        stats: {
          stopReason: "eosFound",
          promptTokens: 9,
          predictedTokens: 4,
          timeToFirstTokenMs: 80,
          tokensPerSecond: 40,
        },
      },
    ];
    const output = updates.reduce(applyPlaygroundUpdate, { ...IDLE_OUTPUT, phase: "streaming" });
    expect(output.statuses).toEqual(["Loading…"]);
    expect(output.answer).toBe("2+3 = 5");
    expect(output.phase).toBe("done");
    expect(output.result?.appliedContext).toBe(4_096);
  });
});
