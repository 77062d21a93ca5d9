import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runOptionsSchema } from "@lmstrix/core";
import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksum, runInProcess, runSpawned, type TempDir, tempDataDir, testEnv } from "./support/cli";
import { corruptFile, databaseChecksum, FLEET_FILE } from "./support/fixtures";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

const NO_HOST = "ws://127.0.0.1:9";
const OPTIONS = runOptionsSchema.parse({ modelKeys: ["qwen3-8b"] });

interface HealthJson {
  status: string;
  database: { path: string; sizeBytes: number; migrationVersion: string | null };
  integrity: { ok: boolean; foreignKeyViolations: unknown[] };
  counts: { hosts: number; models: number; runs: number; probes: number } | null;
  problems: { kind: string; severity: string; message: string; repairable: boolean }[];
  snapshots: { name: string; reason: string; sizeBytes: number; createdAt: string; ageMs: number }[];
  repair: {
    snapshot: { name: string; reason: string } | null;
    changes: { kind: string; message: string }[];
  } | null;
}

describe("health", () => {
  const dirs: TempDir[] = [];
  function fresh() {
    const dir = tempDataDir();
    dirs.push(dir);
    return { dir, env: testEnv(NO_HOST, dir.dir) };
  }
  let healthy: ReturnType<typeof fresh>;

  beforeAll(async () => {
    healthy = fresh();
    // In a process of its own, so that the database file is complete (write-ahead log folded in) afterwards.
    expect((await runSpawned(["import", FLEET_FILE], healthy.env)).code).toBe(0);
  });
  afterAll(() => {
    for (const dir of dirs) dir.dispose();
  });

  it("reports a healthy database: exit 0, a summary, and a JSON report (real processes)", async () => {
    const [text, json] = await Promise.all([
      runSpawned(["health"], healthy.env),
      runSpawned(["health", "--json"], healthy.env),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe("Health: OK — no problems found");
    expect(text.stdout).toMatch(/^ {2}file {9}.*lmstrix\.db$/m);
    expect(text.stdout).toMatch(/^ {2}size {9}\d+ KB/m);
    expect(text.stdout).toMatch(/^ {2}migration {4}\d+_\w+ \(up to date\)$/m);
    expect(text.stdout).toContain("  contents     1 host, 54 models, 1 run, 56 probes");
    expect(text.stdout).toMatch(
      // Taken while the fixture was built: under a second ago on a quick machine, a few seconds on a busy one.
      /│ lmstrix-.*-before-import\.db │ before-import │ +\d+ KB │ .* │ +(just now|\d+ s ago) │/,
    );

    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as HealthJson;
    expect(report).toMatchObject({
      status: "ok",
      database: { path: healthy.dir.dbFile, migrationVersion: expect.stringMatching(/^\d+_/) },
      integrity: { ok: true, foreignKeyViolations: [] },
      counts: { hosts: 1, models: 54, runs: 1, probes: 56 },
      problems: [],
      repair: null,
    });
    expect(report.snapshots).toEqual([
      expect.objectContaining({ reason: "before-import", name: expect.stringMatching(/before-import\.db$/) }),
    ]);
  });

  it("lists planted problems with exit 1; --repair fixes what is safe after a snapshot and says what it changed", async () => {
    const planted = fresh();
    cpSync(healthy.dir.dir, planted.dir.dir, { recursive: true });
    const { store, close } = await openStore(planted.dir.dir);
    try {
      const [host] = await store.listHosts();
      const model = async (key: string) => (await store.getModel(host!.id, key))!;
      await store.updateModelSummary((await model("qwen3-8b")).id, {
        lastGoodContext: 30_000,
        lastBadContext: 20_000,
      });
      await store.updateModelSummary((await model("gemma-3-4b-it")).id, { testStatus: "testing" });
      const stale = await store.createRun({
        hostId: host!.id,
        mode: "single",
        options: OPTIONS,
        startedBy: "cli:gone:1",
      });
      await store.setRunStatus(stale.id, "running");
      const ended = await store.createRun({
        hostId: host!.id,
        mode: "single",
        options: OPTIONS,
        startedBy: "test",
      });
      await store.startProbe({
        runId: ended.id,
        modelId: (await model("llama-3.2-1b-instruct")).id,
        contextRequested: 4_096,
        kind: "loadable",
      });
      await store.setRunStatus(ended.id, "completed");
    } finally {
      await close();
    }
    const db = await import("@lmstrix/db");
    const raw = await db.openDatabase({ dataDir: planted.dir.dir });
    await raw.prisma.$executeRawUnsafe(
      `UPDATE "Model" SET "declaredContext" = 20000000 WHERE "modelKey" = 'phi-4'`,
    );
    await raw.close();

    const before = await runSpawned(["health"], planted.env);
    expect(before.code).toBe(1);
    expect(before.stdout.split("\n")[0]).toMatch(/^Health: ERROR — 1 error, \d+ warnings/);
    expect(before.stdout).toMatch(
      /✗ error {4}Model "phi-4" on host "local": declared context 20000000 is outside 1\.\.10,000,000/,
    );
    expect(before.stdout).toMatch(
      /⚠ warning {2}Model "qwen3-8b" .*last known good 30,000 is not below last known bad 20,000/,
    );
    expect(before.stdout).toMatch(
      /⚠ warning {2}Run #2 on host "local" is marked running but .*\[--repair fixes it\]/,
    );
    expect(before.stdout).toMatch(/Model "gemma-3-4b-it" .*stuck at "testing".*\[--repair fixes it\]/);
    expect(before.stdout).toMatch(
      /Probe #\d+ of "llama-3\.2-1b-instruct" at 4,096 in run #3 \(completed\) has no outcome/,
    );
    expect(before.stdout).toContain('Run "pnpm lmstrix health --repair" to fix the 4 repairable problems');

    const repaired = await runInProcess(["health", "--repair"], planted.env);
    expect(repaired.code).toBe(1); // out-of-range and good ≥ bad need a retest, not a repair
    expect(repaired.stdout).toMatch(
      /^Repair: 4 changes, after taking snapshot lmstrix-.*-before-repair\.db:$/m,
    );
    expect(repaired.stdout).toMatch(
      /✓ Run #2 on host "local" was running without a live worker: now interrupted/,
    );
    expect(repaired.stdout).toMatch(
      /✓ Model "gemma-3-4b-it" on host "local" was stuck at "testing": now "completed"/,
    );
    expect(repaired.stdout).toMatch(/✓ Probe #\d+ .* had no outcome: now cancelled/);

    const after = JSON.parse((await runInProcess(["health", "--json"], planted.env)).stdout) as HealthJson;
    expect(after.status).toBe("error");
    expect(after.problems.filter((problem) => problem.repairable)).toEqual([]);
    expect(after.problems.map((problem) => problem.kind).sort()).toEqual(
      expect.arrayContaining(["context-out-of-range", "good-not-below-bad"]),
    );
    expect(after.snapshots.map((snapshot) => snapshot.reason)).toContain("before-repair");
    const again = await runInProcess(["health", "--repair", "--json"], planted.env);
    expect((JSON.parse(again.stdout) as HealthJson).repair).toEqual({ snapshot: null, changes: [] });
  });

  it("reports a corrupted database without a stack trace, and restore brings the data back (real processes)", async () => {
    const broken = fresh();
    cpSync(healthy.dir.dir, broken.dir.dir, { recursive: true });
    corruptFile(broken.dir.dbFile);
    const [text, json] = await Promise.all([
      runSpawned(["health"], broken.env),
      runSpawned(["health", "--json", "--repair"], broken.env),
    ]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe("");
    expect(text.stdout.split("\n")[0]).toBe("Health: ERROR — 1 error");
    expect(text.stdout).toMatch(/✗ error {4}The database (file is damaged|is damaged)/);
    expect(text.stdout).toMatch(
      /Restore a snapshot to get the data back: pnpm lmstrix snapshot restore lmstrix-.*-before-import\.db/,
    );
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as HealthJson & { repair: { refused: string } };
    expect(report.status).toBe("error");
    expect(report.repair.refused).toMatch(/damaged/);

    const list = await runSpawned(["list"], broken.env);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(
      /^lmstrix: cannot open the database .* Check it with: pnpm lmstrix health\n$/,
    );

    const name = report.snapshots[0]!.name;
    const recovered = await runInProcess(["snapshot", "restore", name, "--yes"], broken.env);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/^Recovered the database from snapshot .*before-import\.db/);
    expect(recovered.stdout).toMatch(/the damaged files were moved to: .*damaged/);
    expect((await runInProcess(["health"], broken.env)).code).toBe(0);
  });
});

describe("snapshots", () => {
  let emulator: Emulator;
  const dirs: TempDir[] = [];
  function fresh(extra: Record<string, string> = {}) {
    const dir = tempDataDir();
    dirs.push(dir);
    return { dir, env: testEnv(emulator.url, dir.dir, extra) };
  }

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      fleet: { memoryBytes: 8 * GiB, models: [llm("alpha", { maxContextLength: 8_192 })] },
      timeScale: 0.001,
      seed: 3,
    });
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) dir.dispose();
  });

  it("a test run takes a before-run snapshot first; they are pruned to LMSTRIX_SNAPSHOT_KEEP", async () => {
    const { env } = fresh({ LMSTRIX_SNAPSHOT_KEEP: "2" });
    const taken: string[] = [];
    for (let run = 1; run <= 3; run += 1) {
      const result = await runInProcess(["test", "alpha", "--ctx", "2048", "--cooldown", "0"], env);
      expect(result.code, result.stderr).toBe(0);
      const name = /Snapshot of the database taken: (lmstrix-\S+-before-run\.db)/.exec(result.stdout)?.[1];
      expect(name, result.stdout).toBeDefined();
      taken.push(name!);
      // Taken before the run started: the line comes before "started".
      expect(result.stdout.indexOf("Snapshot of the database taken")).toBeLessThan(
        result.stdout.indexOf(`Run #${run} started`),
      );
    }
    const list = await runInProcess(["snapshot", "list", "--json"], env);
    const snapshots = JSON.parse(list.stdout) as { name: string; reason: string }[];
    expect(snapshots.map((snapshot) => snapshot.name)).toEqual([taken[2], taken[1]]);
    expect(snapshots.map((snapshot) => snapshot.reason)).toEqual(["before-run", "before-run"]);
    const table = await runInProcess(["snapshot", "list"], env);
    expect(table.stdout).toMatch(/│ lmstrix-.*-before-run\.db │ before-run │/);
    expect(table.stdout).toContain("the newest 2 are kept (LMSTRIX_SNAPSHOT_KEEP)");
  });

  it("a snapshot that cannot be taken leaves a warning on the run, which goes on", async () => {
    const { dir, env } = fresh();
    writeFileSync(path.join(dir.dir, "snapshots"), "not a folder");
    const result = await runInProcess(["test", "alpha", "--ctx", "2048", "--cooldown", "0"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /⚠ Before the run: could not take a snapshot of the database \(.+\); the run goes on/,
    );
    expect(result.stdout).toMatch(/Run #1 completed/);
  });

  it("restore brings back earlier data; it asks first, and refuses without --yes where nobody can answer", async () => {
    const { dir, env } = fresh();
    const cli = (...argv: string[]) => runInProcess(argv, env);
    expect((await cli("scan")).code).toBe(0);
    const created = await cli("snapshot", "create");
    expect(created.code, created.stderr).toBe(0);
    const name = /Snapshot (lmstrix-\S+-manual\.db) taken \(\d+ KB\)/.exec(created.stdout)?.[1];
    expect(name, created.stdout).toBeDefined();
    const earlier = (await cli("list")).stdout;

    expect((await cli("test", "alpha", "--ctx", "4096", "--cooldown", "0")).code).toBe(0);
    expect((await cli("host", "add", "gpu-box", "ws://10.0.0.5:1234")).code).toBe(0);
    expect((await cli("list")).stdout).not.toBe(earlier);

    // A script (no terminal): refused with exit 2, before the database is touched.
    const before = await databaseChecksum(dir.dir);
    const refused = await runSpawned(["snapshot", "restore", name!], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/confirm with --yes \(there is no terminal to ask on\)/);
    expect(checksum(dir.dbFile)).not.toBeNull();
    expect(await databaseChecksum(dir.dir)).toBe(before);

    // A person at a terminal who says no.
    const questions: string[] = [];
    const declined = await runInProcess(["snapshot", "restore", name!], env, {
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toBe("Not restored; nothing changed.\n");
    expect(questions[0]).toMatch(
      /^Replace all data in .*lmstrix\.db with snapshot .*manual\.db \(manual, taken (just now|.* ago), \d+ KB\)\?/,
    );

    // Refused while a run is running (the library's message).
    const { store, close } = await openStore(dir.dir);
    const running = await store.createRun({ hostId: 1, mode: "single", options: OPTIONS, startedBy: "test" });
    await store.setRunStatus(running.id, "running");
    const busy = await cli("snapshot", "restore", name!, "--yes");
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `lmstrix: Cannot restore while a run is running (run #${running.id}); wait for it to finish or cancel it, then restore\n`,
    );
    await store.setRunStatus(running.id, "cancelled");
    await close();

    const restored = await runInProcess(["snapshot", "restore", name!], env, { confirm: async () => true });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      /^Restored snapshot .*manual\.db .*: 1 host, 1 model, 0 runs, 0 probes$/m,
    );
    expect(restored.stdout).toMatch(
      /^Undo with: pnpm lmstrix snapshot restore lmstrix-.*-before-restore\.db --yes$/m,
    );
    expect((await cli("list")).stdout).toBe(earlier);
    expect((await cli("host", "list")).stdout).not.toContain("gpu-box");

    const names = JSON.parse((await cli("snapshot", "list", "--json")).stdout) as { reason: string }[];
    expect(names.map((snapshot) => snapshot.reason)).toContain("before-restore");
    expect((await cli("snapshot", "restore", "lmstrix-nope.db", "--yes")).code).toBe(2);
  });
});
