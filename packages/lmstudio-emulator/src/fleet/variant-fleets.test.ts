import { describe, expect, test } from "vitest";
import { emulatorSessions } from "../../test/support/emulator-session.js";
import { errorOf } from "../../test/support/strict-client.js";
import { resolveFaults } from "../faults.js";
import { hiddenInMemoryLimit, hiddenLoadableLimit } from "../memory.js";
import { largestContextWithRecall } from "../recall.js";
import { defaultFleet } from "./default-fleet.js";
import type { Fleet } from "./schema.js";
import { lmStudio04Fleet, noGuardrailFleet, recallFleet } from "./variant-fleets.js";

const sessions = emulatorSessions();
const serve = (fleet: Fleet) => sessions.serve({ fleet });

const llms = (fleet: Fleet) => fleet.models.filter((model) => model.type === "llm");
const keysWith = (fleet: Fleet, test: (faults: ReturnType<typeof resolveFaults>) => boolean) =>
  llms(fleet)
    .filter((model) => test(resolveFaults(model)))
    .map((model) => model.modelKey);

test("building the variants leaves the built-in fleet as it was", () => {
  const before = JSON.stringify(defaultFleet);
  lmStudio04Fleet();
  noGuardrailFleet();
  recallFleet();
  expect(JSON.stringify(defaultFleet)).toBe(before);
});

describe("the 0.4-like fleet", () => {
  const fleet = lmStudio04Fleet();

  test("mixes rounding everywhere, ignored requests, auto-fit and the guardrail on the built-in models", () => {
    expect(fleet.lmStudioVersion).toBe("0.4.23");
    expect(fleet.models).toHaveLength(defaultFleet.models.length);
    expect(keysWith(fleet, (faults) => faults.roundContext === 256)).toHaveLength(llms(fleet).length);
    expect(keysWith(fleet, (faults) => faults.ignoresRequestedContext !== null)).toEqual([
      "qwen2.5-3b-instruct",
      "llama-3.2-1b-instruct",
      "deepseek-r1-distill-qwen-1.5b",
      "qwen2.5-vl-7b-instruct",
    ]);
    const autoFitted = keysWith(fleet, (faults) => faults.autoFit);
    const tooLarge = llms(fleet).filter(
      (model) => hiddenLoadableLimit({ ...model, faults: [] }, fleet.memoryBytes) < model.maxContextLength,
    );
    // Every other model whose declared context does not fit is auto-fitted; the rest meet the guardrail.
    expect(autoFitted.length).toBe(Math.ceil(tooLarge.length / 2));
    expect(autoFitted.every((key) => tooLarge.some((model) => model.modelKey === key))).toBe(true);
    // The faults the built-in models carry stay.
    expect(keysWith(fleet, (faults) => faults.hangAbove === 65_536)).toEqual([
      "nvidia_llama-3.1-8b-ultralong-512k-instruct",
    ]);
  });

  test("through the SDK: rounded, ignored and fitted loads, and the 0.4 version", async () => {
    const { client } = await serve(fleet);
    expect(await client.system.getLMStudioVersion()).toMatchObject({ version: "0.4.23" });
    const applied = async (key: string, contextLength: number) => {
      const llm = await client.llm.load(key, { config: { contextLength }, verbose: false });
      const length = await llm.getContextLength();
      await llm.unload();
      return length;
    };
    expect(await applied("meta-llama-3.1-8b-instruct", 40_000)).toBe(40_192);
    expect(await applied("qwen2.5-vl-7b-instruct", 4_096)).toBe(165_120);
    const fitted = llms(fleet).find((model) => model.modelKey === "qwen2.5-14b-instruct");
    if (fitted === undefined) throw new Error("no qwen2.5-14b-instruct");
    expect(await applied("qwen2.5-14b-instruct", 131_072)).toBe(
      hiddenLoadableLimit(fitted, fleet.memoryBytes),
    );
    const refused = await errorOf(applied("gemma-3-12b-it", 131_072));
    expect(refused.message).toContain("insufficient system resources");
  });
});

describe("the no-guardrail fleet", () => {
  const fleet = noGuardrailFleet();

  test("has no guardrail anywhere and spills on every third LLM", () => {
    expect(fleet.models.every((model) => resolveFaults(model).noGuardrail)).toBe(true);
    const spilling = keysWith(fleet, (faults) => faults.spillToRam === 2);
    expect(spilling).toHaveLength(Math.floor(llms(fleet).length / 3));
    const reachFurther: string[] = [];
    for (const model of llms(fleet)) {
      const loadable = hiddenLoadableLimit(model, fleet.memoryBytes);
      const inMemory = hiddenInMemoryLimit(model, fleet.memoryBytes);
      if (!spilling.includes(model.modelKey)) expect(loadable, model.modelKey).toBe(inMemory);
      else if (loadable > inMemory) reachFurther.push(model.modelKey);
    }
    // Spilling reaches further, except where another fault caps the load (loadFailsAbove 65,536 here).
    expect(spilling.filter((key) => !reachFurther.includes(key))).toEqual([
      "llama-3-8b-instruct-gradient-1048k",
    ]);
  });

  test("through the SDK: a late out-of-memory failure, or a slow load that spills", async () => {
    const { client } = await serve(fleet);
    const oom = await errorOf(
      client.llm.load("gemma-3-12b-it", { config: { contextLength: 131_072 }, verbose: false }),
    );
    expect(oom.message).toContain("cudaMalloc failed: out of memory");
    const spilled = await client.llm.load("gemma-2-9b-it", {
      config: { contextLength: 60_000 },
      verbose: false,
    });
    expect(await spilled.getContextLength()).toBe(60_000);
    expect(sessions.emulator().state.loaded).toMatchObject([
      { modelKey: "gemma-2-9b-it", spillsToSystemMemory: true },
    ]);
  });
});

describe("the recall fleet", () => {
  const fleet = recallFleet();

  test("gives every LLM a fading recall curve with varied parameters, and nothing else that goes wrong", () => {
    expect(fleet.models).toHaveLength(llms(defaultFleet).length);
    expect(fleet.models.every((model) => model.type === "llm" && model.faults.length === 0)).toBe(true);
    const curves = fleet.models.map((model) => model.recall);
    expect(curves.every((curve) => curve !== undefined)).toBe(true);
    expect(new Set(curves.map((curve) => curve?.middleDip)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(curves.map((curve) => curve?.base)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(curves.map((curve) => curve?.at50)).size).toBeGreaterThan(fleet.models.length / 2);
  });

  test("at a RULER-like threshold every model's truth lies inside what it can load", () => {
    for (const model of fleet.models) {
      if (model.recall === undefined) throw new Error(`${model.modelKey} has no curve`);
      const truth = largestContextWithRecall(model.recall, 0.856);
      const loadable = Math.min(model.maxContextLength, hiddenLoadableLimit(model, fleet.memoryBytes));
      expect(truth, model.modelKey).toBeGreaterThan(0);
      expect(truth, model.modelKey).toBeLessThan(loadable);
    }
  });
});
