import { describe, expect, test } from "vitest";
import { defaultFleet } from "./default-fleet.js";
import { FleetValidationError, parseFleet } from "./schema.js";

const minimalModel = {
  modelKey: "m",
  type: "llm",
  format: "gguf",
  path: "pub/m/m.gguf",
  sizeBytes: 1000,
  maxContextLength: 4096,
  kvBytesPerToken: 10,
};

describe("default fleet", () => {
  test("models the realistic fleet of LMSTRIX-SPEC.md", () => {
    const { models } = defaultFleet;
    expect(models).toHaveLength(57);
    expect(models.filter((model) => model.type === "embedding")).toHaveLength(7);
    const llmContexts = models.filter((model) => model.type === "llm").map((model) => model.maxContextLength);
    expect(Math.min(...llmContexts)).toBe(4096);
    expect(Math.max(...llmContexts)).toBe(1_073_152);
    const around128k = llmContexts.filter((ctx) => ctx >= 128_000 && ctx <= 131_072);
    expect(around128k.length).toBeGreaterThanOrEqual(20);
    expect(models.filter((model) => model.modelKey.includes("@")).length).toBeGreaterThanOrEqual(8);
  });
});

describe("parseFleet", () => {
  test("fills in defaults", () => {
    const fleet = parseFleet({ memoryBytes: 1e9, models: [minimalModel] });
    expect(fleet.models[0]).toMatchObject({
      displayName: "m",
      publisher: "lmstudio-community",
      vision: false,
      trainedForToolUse: false,
      effectiveContext: 4096,
      loadSecondsPerGiB: 1.5,
      faults: [],
    });
  });

  test("errors name the offending field", () => {
    const bad = {
      memoryBytes: 1e9,
      models: [minimalModel, { ...minimalModel, modelKey: "x", sizeBytes: "big" }],
    };
    expect(() => parseFleet(bad)).toThrow(FleetValidationError);
    expect(() => parseFleet(bad)).toThrow(/models\[1\]\.sizeBytes/);
    expect(() =>
      parseFleet({ memoryBytes: 1e9, models: [{ ...minimalModel, faults: ["explode"] }] }),
    ).toThrow(/models\[0\]\.faults\[0\]: unknown fault/);
    expect(() => parseFleet({ memoryBytes: 1e9, models: [{ ...minimalModel, colour: "red" }] })).toThrow(
      /colour/,
    );
    expect(() => parseFleet({ memoryBytes: 1e9, models: [minimalModel, minimalModel] })).toThrow(
      /duplicate modelKey/,
    );
    expect(() => parseFleet({ models: [] })).toThrow(/memoryBytes/);
  });
});
