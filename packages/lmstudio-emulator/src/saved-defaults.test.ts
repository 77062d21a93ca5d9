import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createStrictClient, type StrictClient } from "../test/support/strict-client.js";
import { testFleet } from "../test/support/test-fleet.js";
import { savedLoadDefaultsFile } from "./saved-load-defaults.js";
import { type Emulator, startEmulator } from "./server.js";

const MODEL_PATH = "test/test-8b/test-8b-Q4_K_M.gguf";

let home: string;
let emulator: Emulator;
let sdk: StrictClient;
let warnings: string[];

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-"));
  warnings = [];
  emulator = await startEmulator({
    fleet: testFleet,
    timeScale: 0,
    lmstudioHome: home,
    logger: { warn: (...args: unknown[]) => warnings.push(args.join(" ")) },
  });
  sdk = createStrictClient(emulator.url);
});

afterEach(async () => {
  await sdk.dispose();
  await emulator.close();
  await rm(home, { recursive: true, force: true });
  expect(sdk.problems).toEqual([]);
});

/** Writes `<home>/.internal/user-concrete-model-default-config/<model path>.json` as LM Studio lays it out. */
async function saveDefaults(modelPath: string, contents: string): Promise<string> {
  const file = savedLoadDefaultsFile(home, { path: modelPath });
  if (file === null) throw new Error("path outside the settings folder");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, contents);
  return file;
}

const lmStudioFile = (fields: unknown[]) =>
  JSON.stringify({
    preset: "",
    operation: { fields: [{ key: "llm.prediction.temperature", value: 0.2 }] },
    load: { fields },
  });

const loadWithoutContext = () => sdk.client.llm.load("test-8b", { verbose: false });

describe("LM Studio's saved default load settings (--lmstudio-home)", () => {
  test("a load without a context length uses the model's saved llm.load.contextLength", async () => {
    const file = await saveDefaults(
      MODEL_PATH,
      lmStudioFile([
        { key: "llm.load.llama.flashAttention", value: true },
        { key: "llm.load.contextLength", value: 32_768 },
      ]),
    );
    expect(file).toBe(
      path.join(home, ".internal", "user-concrete-model-default-config", `${MODEL_PATH}.json`),
    );
    const llm = await loadWithoutContext();
    expect(await llm.getContextLength()).toBe(32_768);
    await llm.unload();
    // client.llm.model() (getOrLoad) loads the same way.
    expect(await (await sdk.client.llm.model("test-8b", { verbose: false })).getContextLength()).toBe(32_768);
    expect(warnings).toEqual([]);
  });

  test("a context length in the request wins over the saved one", async () => {
    await saveDefaults(MODEL_PATH, lmStudioFile([{ key: "llm.load.contextLength", value: 32_768 }]));
    const llm = await sdk.client.llm.load("test-8b", { config: { contextLength: 8_000 }, verbose: false });
    expect(await llm.getContextLength()).toBe(8_000);
  });

  test("without a file, or without the field, the emulator's default applies, silently", async () => {
    const llm = await loadWithoutContext();
    expect(await llm.getContextLength()).toBe(4_096);
    await llm.unload();
    await saveDefaults(MODEL_PATH, lmStudioFile([{ key: "llm.load.llama.flashAttention", value: true }]));
    expect(await (await loadWithoutContext()).getContextLength()).toBe(4_096);
    expect(warnings).toEqual([]);
  });

  test.each([
    ["not JSON", "{ preset: ", /not valid JSON/],
    ["another shape", JSON.stringify({ load: { fields: "32768" } }), /expected \{"load": \{"fields"/],
    [
      "a bad value",
      lmStudioFile([{ key: "llm.load.contextLength", value: -5 }]),
      /must be a positive integer, got -5/,
    ],
    ["a string value", lmStudioFile([{ key: "llm.load.contextLength", value: "32768" }]), /got "32768"/],
  ])("a file with %s is ignored with a warning, never a crash", async (_what, contents, reason) => {
    const file = await saveDefaults(MODEL_PATH, contents);
    const llm = await loadWithoutContext();
    expect(await llm.getContextLength()).toBe(4_096);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`ignoring the saved load settings in ${file}`);
    expect(warnings[0]).toMatch(reason);
  });

  test("a model path that would leave the settings folder is never read", () => {
    expect(savedLoadDefaultsFile(home, { path: "../../etc/passwd" })).toBeNull();
  });
});
