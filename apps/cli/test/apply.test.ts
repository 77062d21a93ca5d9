import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { savedLoadDefaultsFile } from "@lmstrix/core/lmstudio-home";
import { type Emulator, type FleetInput, parseFleet, startEmulator } from "@lmstrix/lmstudio-emulator";
import { LMStudioClient } from "@lmstudio/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, type TempDir, tempDataDir, testEnv } from "./support/cli";
import { GiB, llm } from "./support/fleet";

/** One model that fits 106,496 tokens in memory on an 8 GiB machine (1 GiB, 64 KiB per token). */
const FLEET: FleetInput = { memoryBytes: 8 * GiB, lmStudioVersion: "0.3.31", models: [llm("apply-me")] };
const MODEL = parseFleet(FLEET).models[0]!;

/** What LM Studio and other tools left in the model's settings file: other fields and keys, all kept. */
const EXISTING = `${JSON.stringify(
  {
    preset: "",
    operation: { fields: [{ key: "llm.prediction.temperature", value: 0.3 }] },
    load: {
      fields: [
        { key: "llm.load.llama.flashAttention", value: true },
        { key: "llm.load.contextLength", value: 4096 },
      ],
    },
    someToolsOwnKey: { keep: true },
  },
  null,
  2,
)}\n`;

describe("lmstrix apply: the measured limit becomes LM Studio's default, and LM Studio loads at it", () => {
  let home: string;
  let settingsFile: string;
  let emulator: Emulator;
  let data: TempDir;
  const cli = (argv: string[]) => runInProcess(argv, testEnv(emulator.url, data.dir));

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-"));
    settingsFile = savedLoadDefaultsFile(home, MODEL)!;
    await mkdir(path.dirname(settingsFile), { recursive: true });
    await writeFile(settingsFile, EXISTING);
    emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.001, seed: 5, lmstudioHome: home });
    data = tempDataDir();
  });
  afterAll(async () => {
    await emulator.close();
    data.dispose();
    await rm(home, { recursive: true, force: true });
  });

  it("tests the model, shows the change on a dry run, applies it, and undoes it", {
    timeout: 120_000,
  }, async () => {
    const added = await cli(["host", "add", "box", emulator.url, "--lmstudio-home", home]);
    expect(added.code, added.stderr).toBe(0);
    const tested = await cli(["test", "apply-me", "--host", "box", "--cooldown", "0", "--json"]);
    expect(tested.code, tested.stderr).toBe(0);
    const limit = (JSON.parse(tested.stdout) as { results: { limit: number }[] }).results[0]!.limit;
    expect(limit).toBeGreaterThan(4096);

    const dryRun = await cli(["apply", "apply-me", "--host", "box", "--dry-run"]);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(
      `would set llm.load.contextLength 4,096 → ${limit.toLocaleString("en-US")}`,
    );
    expect(dryRun.stdout).toContain(settingsFile);
    expect(await readFile(settingsFile, "utf8")).toBe(EXISTING);

    const applied = await cli(["apply", "apply-me", "--host", "box"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("lmstrix apply --undo apply-me --host box");
    const written = JSON.parse(await readFile(settingsFile, "utf8"));
    const expected = JSON.parse(EXISTING);
    expected.load.fields[1].value = limit;
    expect(written).toEqual(expected);
    const backup = path.join(data.dir, "lmstudio-backups", "box", `${MODEL.path}.json`);
    expect(await readFile(backup, "utf8")).toBe(EXISTING);

    // A tool that loads the model without a context length now gets the measured limit.
    const client = new LMStudioClient({ baseUrl: emulator.url, logger: quietLogger });
    try {
      const model = await client.llm.load("apply-me", { verbose: false });
      expect(await model.getContextLength()).toBe(limit);
      await model.unload();
    } finally {
      await client[Symbol.asyncDispose]();
    }

    const limits = await cli(["export", "--format", "limits", "--host", "box"]);
    expect(limits.code, limits.stderr).toBe(0);
    const report = JSON.parse(limits.stdout);
    expect(report.format).toBe("lmstrix-limits");
    expect(report.hosts.box.models["apply-me"]).toMatchObject({
      loadable: limit,
      effective: null,
      lmStudioVersion: "0.3.31",
    });
    expect(Date.parse(report.hosts.box.models["apply-me"].measuredAt)).not.toBeNaN();

    const undone = await cli(["apply", "--undo", "apply-me", "--host", "box"]);
    expect(undone.code, undone.stderr).toBe(0);
    expect(await readFile(settingsFile, "utf8")).toBe(EXISTING);
    const again = await cli(["apply", "--undo", "apply-me", "--host", "box"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("nothing was applied to undo");
  });

  it("refuses a settings file that is not JSON and leaves it as it was", { timeout: 30_000 }, async () => {
    await writeFile(settingsFile, "{ not json");
    const refused = await cli(["apply", "apply-me", "--host", "box"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("left untouched");
    expect(await readFile(settingsFile, "utf8")).toBe("{ not json");
    await writeFile(settingsFile, EXISTING);
  });

  it("refuses a host whose LM Studio home is not on this machine, naming the command to run there", async () => {
    expect((await cli(["host", "add", "far", "ws://10.9.9.9:1234"])).code).toBe(0);
    const refused = await cli(["apply", "apply-me", "--host", "far"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("lmstrix apply apply-me --host far");
  });
});

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
