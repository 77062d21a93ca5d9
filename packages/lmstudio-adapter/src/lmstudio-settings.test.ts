import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isLmstrixError, type LoadDefaultsTarget } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLmStudioSettings } from "./lmstudio-settings";

let root: string;
let home: string;
let backupDir: string;

const MODEL = {
  modelKey: "qwen3-8b",
  path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
  type: "llm",
};
const target = (model = MODEL): LoadDefaultsTarget => ({ lmstudioHome: home, hostName: "local", model });

function fileOf(model = MODEL) {
  return path.join(home, ".internal", "user-concrete-model-default-config", `${model.path}.json`);
}

/** A file as LM Studio and other tools leave it: other load fields, prediction fields, keys of their own. */
const EXISTING = {
  preset: "my-preset",
  operation: { fields: [{ key: "llm.prediction.temperature", value: 0.2 }] },
  load: {
    fields: [
      { key: "llm.load.llama.acceleration.offloadRatio", value: 1 },
      { key: "llm.load.contextLength", value: 4096 },
      { key: "llm.load.llama.flashAttention", value: true },
    ],
  },
  otherTool: { keep: ["me", 1, null] },
};

async function writeExisting(contents: string) {
  await mkdir(path.dirname(fileOf()), { recursive: true });
  await writeFile(fileOf(), contents);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (caught: unknown) => caught,
  );
  if (!isLmstrixError(error)) throw error;
  return error;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "lmstrix-settings-"));
  home = path.join(root, "lmstudio-home");
  backupDir = path.join(root, "data", "lmstudio-backups");
  await mkdir(home, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("LM Studio's saved load settings", () => {
  it("writes the context length, keeping every other field and key, with a backup of the old file", async () => {
    const original = `${JSON.stringify(EXISTING, null, 4)}\n`;
    await writeExisting(original);
    const settings = createLmStudioSettings({ backupDir });

    const applied = await settings.writeContextLength(target(), 32_768);

    expect(applied).toMatchObject({
      file: fileOf(),
      key: "llm.load.contextLength",
      before: 4096,
      after: 32_768,
    });
    const written = JSON.parse(await readFile(fileOf(), "utf8"));
    const expected = structuredClone(EXISTING);
    expected.load.fields[1]!.value = 32_768;
    expect(written).toEqual(expected);
    expect(applied.backup).toBe(path.join(backupDir, "local", `${MODEL.path}.json`));
    expect(await readFile(applied.backup, "utf8")).toBe(original);
    // Atomic: the temporary file was renamed into place, none is left beside it.
    expect(await readdir(path.dirname(fileOf()))).toEqual([path.basename(fileOf())]);
  });

  it("adds the field to a file without one, and creates the file in LM Studio's shape when there is none", async () => {
    await writeExisting(
      JSON.stringify({ preset: "", load: { fields: [{ key: "llm.load.seed", value: 7 }] } }),
    );
    const settings = createLmStudioSettings({ backupDir });
    await settings.writeContextLength(target(), 8192);
    expect(JSON.parse(await readFile(fileOf(), "utf8")).load.fields).toEqual([
      { key: "llm.load.seed", value: 7 },
      { key: "llm.load.contextLength", value: 8192 },
    ]);

    const other = { ...MODEL, modelKey: "other", path: "publisher/other/other.gguf" };
    expect(await settings.planContextLength(target(other), 16_384)).toMatchObject({
      before: null,
      createsFile: true,
    });
    await settings.writeContextLength(target(other), 16_384);
    expect(JSON.parse(await readFile(fileOf(other), "utf8"))).toEqual({
      preset: "",
      operation: { fields: [] },
      load: { fields: [{ key: "llm.load.contextLength", value: 16_384 }] },
    });
  });

  it("plans the change without writing anything", async () => {
    const original = JSON.stringify(EXISTING);
    await writeExisting(original);
    const settings = createLmStudioSettings({ backupDir });
    expect(await settings.planContextLength(target(), 20_000)).toEqual({
      file: fileOf(),
      key: "llm.load.contextLength",
      before: 4096,
      after: 20_000,
      createsFile: false,
    });
    expect(await readFile(fileOf(), "utf8")).toBe(original);
    await expect(readdir(backupDir)).rejects.toThrow(/ENOENT/);
  });

  it("undo restores the file byte for byte, or removes the one it created; then there is nothing to undo", async () => {
    const original = JSON.stringify(EXISTING);
    await writeExisting(original);
    const settings = createLmStudioSettings({ backupDir });
    await settings.writeContextLength(target(), 32_768);
    expect(await settings.undo(target())).toEqual({
      file: fileOf(),
      outcome: "restored",
      contextLength: 4096,
    });
    expect(await readFile(fileOf(), "utf8")).toBe(original);
    expect((await refusal(settings.undo(target()))).code).toBe("NOTHING_TO_UNDO");

    const fresh = { ...MODEL, path: "publisher/fresh/fresh.gguf" };
    await settings.writeContextLength(target(fresh), 4096);
    expect(await settings.undo(target(fresh))).toMatchObject({ outcome: "removed", contextLength: null });
    await expect(readFile(fileOf(fresh), "utf8")).rejects.toThrow(/ENOENT/);
  });

  for (const [what, contents] of [
    ["not JSON", '{"load": {"fields": ['],
    ["another shape", JSON.stringify({ load: { fields: "32768" } })],
    ["a field without a key", JSON.stringify({ load: { fields: [{ value: 1 }] } })],
    ["an array", "[]"],
  ] as const) {
    it(`refuses a file that is ${what}, leaving it byte-identical and taking no backup`, async () => {
      await writeExisting(contents);
      const settings = createLmStudioSettings({ backupDir });
      const error = await refusal(settings.writeContextLength(target(), 8192));
      expect(error.code).toBe("INVALID_LMSTUDIO_SETTINGS");
      expect(error.message).toContain("left untouched");
      expect((await refusal(settings.planContextLength(target(), 8192))).code).toBe(
        "INVALID_LMSTUDIO_SETTINGS",
      );
      expect(await readFile(fileOf(), "utf8")).toBe(contents);
      await expect(readdir(backupDir)).rejects.toThrow(/ENOENT/);
    });
  }

  it("refuses model paths and host names that leave their folders", async () => {
    const settings = createLmStudioSettings({ backupDir });
    const escaping = { ...MODEL, path: "../../../outside" };
    expect((await refusal(settings.writeContextLength(target(escaping), 8192))).code).toBe("INVALID_INPUT");
    const badHost = { ...target(), hostName: ".." };
    expect((await refusal(settings.writeContextLength(badHost, 8192))).code).toBe("INVALID_INPUT");
    expect(await readdir(root)).toEqual(["lmstudio-home"]);
  });

  it("finds the local LM Studio home from LMSTUDIO_HOME or ~/.lmstudio, only when the folder exists", async () => {
    expect(createLmStudioSettings({ backupDir, env: { LMSTUDIO_HOME: home } }).localHome()).toBe(home);
    expect(createLmStudioSettings({ backupDir, env: {}, userHome: root }).localHome()).toBeNull();
    await mkdir(path.join(root, ".lmstudio"));
    expect(createLmStudioSettings({ backupDir, env: {}, userHome: root }).localHome()).toBe(
      path.join(root, ".lmstudio"),
    );
  });
});
