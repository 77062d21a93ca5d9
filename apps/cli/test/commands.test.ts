import { createLmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, type TempDir, tempDataDir, testEnv } from "./support/cli";
import { embedding, GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("alpha", { maxContextLength: 8_192 }),
    llm("beta", { maxContextLength: 16_384, sizeBytes: 2 * GiB }),
    llm("broken", { faults: ["memoryCacheNull"] }),
    embedding("embedder"),
  ],
};

/** The same machine a day later: alpha's metadata changed, broken was deleted, gamma downloaded. */
const FLEET_LATER: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("alpha", { maxContextLength: 4_096 }),
    llm("beta", { maxContextLength: 16_384, sizeBytes: 2 * GiB }),
    llm("gamma"),
    embedding("embedder"),
  ],
};

describe("scan, list, test --ctx, infer, host, runs", () => {
  let emulator: Emulator;
  let data: TempDir;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runInProcess(argv, env);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fleet: FLEET, timeScale: 0.001, seed: 2 });
    data = tempDataDir();
    env = testEnv(emulator.url, data.dir);
  });
  afterAll(async () => {
    await emulator.close();
    data.dispose();
  });

  it("scan reads the host's models; list shows them in every form", async () => {
    const scan = await cli("scan");
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toContain(`Scanned local (${emulator.url}): 4 models, 3 LLMs, 1 embedding model`);
    expect(scan.stdout).toContain("new (4): alpha, beta, broken, embedder");

    expect((await cli("list", "--show", "id", "--sort", "sized")).stdout).toBe(
      "beta\nalpha\nbroken\nembedder\n",
    );
    expect((await cli("list", "--show", "path")).stdout.split("\n")[0]).toBe("test/alpha/alpha-Q4_K_M.gguf");
    const json = JSON.parse((await cli("list", "--show", "json")).stdout) as { id: string; ctx_in: number }[];
    expect(json.map((model) => [model.id, model.ctx_in])).toEqual([
      ["alpha", 8_192],
      ["beta", 16_384],
      ["broken", 131_072],
      ["embedder", 2_048],
    ]);
    const table = (await cli("list")).stdout;
    expect(table).toContain("LM Studio Models");
    expect(table).toMatch(/│ beta +│ +2\.00 │ +16,384 │ +- │ +- │ +- │ +- │ Untested +│/);
  });

  it("unloads models loaded before a run and says which", async () => {
    const runtime = createLmStudioRuntime({ url: emulator.url });
    await runtime.load("beta", { contextLength: 4_096 });
    await runtime.close();
    const result = await cli("test", "alpha", "--cooldown", "0");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /⚠ Unloading models loaded before the run: beta:lmstrix-\w+ \(4,096 tokens\)/,
    );
    expect(result.stdout).toMatch(/│ alpha +│ ✓ Completed +│ +8,192 │ +8,192 │ +100\.0% │/);
    expect(emulator.state.loaded).toEqual([]);
  });

  it("--keep-loaded keeps them (and says so)", async () => {
    const runtime = createLmStudioRuntime({ url: emulator.url });
    const handle = await runtime.load("alpha", { contextLength: 2_048 });
    const result = await cli("test", "beta", "--keep-loaded", "--cooldown", "0");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("⚠ Keeping loaded models, as asked");
    expect(emulator.state.loaded.map((instance) => instance.identifier)).toEqual([handle.identifier]);
    await runtime.unload(handle);
    await runtime.close();
  });

  it("test --ctx N tests exactly N; above the declared size it is skipped", async () => {
    const fixed = await cli("test", "beta", "--ctx", "12000", "--json");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout).results).toEqual([
      expect.objectContaining({ modelKey: "beta", status: "completed", limit: 12_000, declared: 16_384 }),
    ]);
    const above = await cli("test", "alpha", "--ctx", "20000");
    expect(above.code).toBe(0);
    expect(above.stdout).toContain("20,000 is above the declared 8,192; skipped");
  });

  it("--all skips completed models; a failed model makes the exit code 1 and scan --failed clears it", async () => {
    const all = await cli("test", "--all", "--cooldown", "0", "--json");
    expect(all.code).toBe(1);
    const report = JSON.parse(all.stdout) as {
      results: { modelKey: string; status: string; errorCategory: string }[];
    };
    expect(report.results).toEqual([
      expect.objectContaining({
        modelKey: "broken",
        status: "failed",
        errorCategory: "MEMORY_CACHE_CORRUPTED",
      }),
    ]);
    const cleared = await cli("scan", "--failed");
    expect(cleared.stdout).toContain("Cleared the test results of 1 failed model\n");
    expect((await cli("list")).stdout).toMatch(/│ broken +│.*│ Untested +│/);
  });

  it("infer loads at the tested limit, streams the answer and unloads", async () => {
    const result = await cli("infer", "2+3=", "--model", "alpha", "--max-tokens", "16", "--temperature", "0");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Loading alpha at 8,192 tokens");
    expect(result.stdout).toMatch(/\b5\b/);
    expect(emulator.state.loaded).toEqual([]);
  });

  it("infer refuses while a run holds the host", async () => {
    const { store, close } = await openStore(data.dir);
    try {
      expect(await store.acquireHostLease(1, "web:elsewhere:1", 99, 60_000)).toBe(true);
      const result = await cli("infer", "hello", "--model", "alpha");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("host local is busy with run #99 (web:elsewhere:1)");
      await store.releaseHostLease(1, "web:elsewhere:1");
    } finally {
      await close();
    }
  });

  it("runs lists recent runs, newest first", async () => {
    const result = await cli("runs");
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n").filter((line) => /^│ +#\d/.test(line));
    expect(rows[0]).toMatch(/^│ +#\d+ │ local │ completed │ all +│/);
    expect(rows.at(-1)).toMatch(/^│ +#1 │ local │ completed │ alpha +│/);
  });

  it("host add / list / remove, and scan marks gone models absent", async () => {
    expect((await cli("host", "add", "gpu-box", "ws://10.0.0.5:1234")).code).toBe(0);
    expect((await cli("host", "add", "gpu-box", "ws://10.0.0.6:1234")).code).toBe(2);
    const hosts = (await cli("host", "list")).stdout;
    expect(hosts).toMatch(/│ gpu-box │ ws:\/\/10\.0\.0\.5:1234 +│ yes +│ +0 │ - +│/);
    expect(hosts).toMatch(/│ local +│ ws:\/\/127\.0\.0\.1:\d+ +│ yes +│ +4 │ - +│/);
    const removed = (await cli("host", "remove", "gpu-box")).stdout;
    // Its models and history go with it, after a snapshot that brings them back.
    const snapshot = removed.match(
      /^Removed host gpu-box .*\(snapshot (lmstrix-\S+-before-remove\.db) taken before/,
    )?.[1];
    expect(snapshot, removed).toBeDefined();
    expect((await cli("snapshot", "list")).stdout).toContain(snapshot!);
    expect((await cli("host", "remove", "gpu-box")).code).toBe(2);

    // An LM Studio home is an existing folder on this machine; a typo is refused before anything is written.
    const refused = await cli(
      "host",
      "add",
      "far",
      "ws://10.0.0.8:1234",
      "--lmstudio-home",
      "/no/such/lmstudio",
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "there is no folder /no/such/lmstudio on this machine (LM Studio home must be an existing folder here)",
    );
    expect((await cli("host", "list")).stdout).not.toContain("far");
    // A host is edited in place: URL, name and LM Studio home; its history stays with it.
    expect((await cli("host", "add", "lab-2", "ws://10.0.0.9:1234")).code).toBe(0);
    const edited = await cli(
      "host",
      "edit",
      "lab-2",
      "--url",
      "ws://10.0.0.10:1234",
      "--lmstudio-home",
      data.dir,
    );
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toBe(`Host lab-2: ws://10.0.0.10:1234, LM Studio home ${data.dir}\n`);
    const badHome = await cli("host", "edit", "lab-2", "--lmstudio-home", "/no/such/lmstudio");
    expect(badHome.code).toBe(2);
    const renamed = await cli("host", "edit", "lab-2", "--rename", "lab-3", "--lmstudio-home", "none");
    expect(renamed.stdout).toBe("Host lab-3: ws://10.0.0.10:1234, LM Studio home not on this machine\n");
    const taken = await cli("host", "edit", "lab-3", "--rename", "LOCAL");
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('A host named "local" exists already');
    expect((await cli("host", "edit", "lab-3")).stderr).toContain("host edit needs what to change");
    // Names are found in any case; the default host keeps its name (commands without --host would make it again).
    expect((await cli("host", "edit", "LAB-3", "--url", "ws://10.0.0.11:1234")).code).toBe(0);
    const renameLocal = await cli("host", "edit", "local", "--rename", "main");
    expect(renameLocal.code).toBe(2);
    expect(renameLocal.stderr).toContain(
      '"local" is the default host (from LMSTUDIO_URL) and keeps its name',
    );
    // Without a home of its own, the default host's apply writes to $LMSTUDIO_HOME, else ~/.lmstudio.
    const localHome = await cli("host", "edit", "local", "--lmstudio-home", "none");
    expect(localHome.stdout).toContain(
      "LM Studio home $LMSTUDIO_HOME, else ~/.lmstudio (the default host's)",
    );
    expect((await cli("host", "edit", "nowhere", "--url", "ws://10.0.0.1:1")).stderr).toContain(
      'unknown host "nowhere"',
    );
    expect((await cli("host", "remove", "lab-3")).code).toBe(0);

    // The machine changes; LM Studio comes back on the same address.
    const port = emulator.port;
    await emulator.close();
    emulator = await startEmulator({ port, fleet: FLEET_LATER, timeScale: 0.001, seed: 2 });
    const scan = await cli("scan");
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toContain("new (1): gamma");
    expect(scan.stdout).toContain("changed (1): alpha");
    expect(scan.stdout).toContain("gone, kept and marked absent (1): broken");
    const { store, close } = await openStore(data.dir);
    try {
      expect(await store.getModel(1, "broken")).toMatchObject({ isPresent: false });
    } finally {
      await close();
    }
    expect((await cli("list", "--show", "id")).stdout).toBe("alpha\nbeta\nembedder\ngamma\n");
  });

  it("a host that does not answer fails the run with a message a person understands", async () => {
    const port = emulator.port;
    await emulator.close();
    try {
      const result = await runInProcess(
        ["test", "beta", "--reset"],
        testEnv(`ws://127.0.0.1:${port}`, data.dir, { LMSTRIX_RECONNECT_TIMEOUT_MS: "300" }),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        new RegExp(
          `Run #\\d+ failed: LM Studio at ws://127\\.0\\.0\\.1:${port} is not reachable .*Start LM Studio`,
        ),
      );
      const scan = await cli("scan");
      expect(scan.code).toBe(1);
      expect(scan.stderr).toMatch(/lmstrix: LM Studio at ws:\/\/127\.0\.0\.1:\d+ is not reachable/);
      // A user who forgot --host learns which hosts the database has besides the one it tried.
      expect((await cli("host", "add", "lab", "ws://10.0.0.7:1234")).code).toBe(0);
      expect((await cli("scan")).stderr).toContain("The database has other hosts too: --host lab.");
      expect((await cli("host", "remove", "lab")).code).toBe(0);
      const { store, close } = await openStore(data.dir);
      try {
        expect((await store.listModels({ status: "testing" })).length).toBe(0);
      } finally {
        await close();
      }
    } finally {
      emulator = await startEmulator({ port, fleet: FLEET_LATER, timeScale: 0.001, seed: 2 });
    }
  });
});
