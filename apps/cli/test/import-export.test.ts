import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, runSpawned, type TempDir, tempDataDir, testEnv } from "./support/cli";
import { databaseChecksum, FLEET_FILE, LEGACY_FILE, MALFORMED_DIR } from "./support/fixtures";

/** No LM Studio is involved: import, export and list only read and write the database. */
const NO_HOST = "ws://127.0.0.1:9";

describe("import and export", () => {
  const dirs: TempDir[] = [];
  let data: TempDir;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => runInProcess(argv, env);
  const snapshotCount = (dir: string) =>
    existsSync(path.join(dir, "snapshots")) ? readdirSync(path.join(dir, "snapshots")).length : 0;

  function fresh(): { dir: TempDir; env: Record<string, string> } {
    const dir = tempDataDir();
    dirs.push(dir);
    return { dir, env: testEnv(NO_HOST, dir.dir) };
  }

  beforeAll(() => {
    ({ dir: data, env } = fresh());
  });
  afterAll(() => {
    for (const dir of dirs) dir.dispose();
  });

  it("a dry run on a new data directory says what would be created and creates nothing, not even the file", async () => {
    const result = await cli("import", FLEET_FILE, "--dry-run");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Dry run, nothing written");
    expect(result.stdout).toMatch(/to create \(54\): text-embedding-nomic-embed-text-v1\.5, /);
    expect(result.stdout).toContain("measurements to add to the history: 56");
    expect(existsSync(data.dbFile)).toBe(false);
  });

  it("imports the realistic lmstrix.json after a snapshot; list shows the imported limits", async () => {
    const result = await cli("import", FLEET_FILE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("(lmstrix format, 54 entries) into host local:");
    expect(result.stdout).toMatch(/created \(54\): /);
    expect(result.stdout).toMatch(/measurements added to the history: 56 \(import run #1\)/);
    expect(result.stdout).toMatch(/snapshot taken before: lmstrix-.*-before-import\.db/);
    // lmstrix's unfinished "testing" entries, one warning each.
    expect(result.stderr.match(/lmstrix: warning: /g)).toHaveLength(3);

    const list = await cli("list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /│ mistral-small-24b-instruct-2501 +│ +\d+\.\d\d │ +32,768 │ +22,847 │ +- │ +22,847 │ +25,132 │ ✓ Tested +│/,
    );
    expect(list.stdout).toMatch(/│ phi-4 +│.*│ +- │ +- │ +2,048 │ ✗ Failed +│/);
    expect(list.stdout).toContain("54 of them imported and not seen on the host by a scan since");
    const json = JSON.parse((await cli("list", "--show", "json")).stdout) as { id: string }[];
    expect(json).toHaveLength(54);
  });

  it("importing the same file again changes nothing, and says so", async () => {
    const before = await databaseChecksum(data.dir);
    const snapshots = snapshotCount(data.dir);
    const again = await cli("import", FLEET_FILE);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Nothing changed: the 54 entries of .*lmstrix-fleet\.json \(lmstrix format\) match host local already \(it was imported before, in run #1\)\.$/m,
    );
    expect(await databaseChecksum(data.dir)).toBe(before);
    expect(snapshotCount(data.dir)).toBe(snapshots);
  });

  it("--dry-run lists what would change field by field and writes nothing (checksum)", async () => {
    const { dir, env: other } = fresh();
    expect((await runInProcess(["import", LEGACY_FILE], other)).code).toBe(0);
    const before = await databaseChecksum(dir.dir);
    const snapshots = snapshotCount(dir.dir);
    const dry = await runInProcess(["import", FLEET_FILE, "--dry-run", "--json"], other);
    expect(dry.code, dry.stderr).toBe(0);
    const result = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      runId: number | null;
      created: unknown[];
      updated: { modelKey: string; changes: { field: string }[] }[];
    };
    expect(result).toMatchObject({ dryRun: true, runId: null });
    expect(result.created.length).toBeGreaterThan(0);
    expect(result.updated.length).toBeGreaterThan(0);
    const text = await runInProcess(["import", FLEET_FILE, "--dry-run"], other);
    expect(text.stdout).toMatch(/to update \(\d+\):\n {4}\S+: /);
    expect(await databaseChecksum(dir.dir)).toBe(before);
    expect(snapshotCount(dir.dir)).toBe(snapshots);
  });

  it("refuses malformed, missing, special and oversized files with exit 2, naming entry and field; the database keeps every byte (real processes)", async () => {
    const before = await databaseChecksum(data.dir);
    const snapshots = snapshotCount(data.dir);
    const garbage = path.join(data.dir, "garbage.json");
    writeFileSync(garbage, Buffer.alloc(1024 * 1024, 0xa5));
    truncateSync(garbage, 100 * 1024 * 1024);
    const malformed = (name: string) => path.join(MALFORMED_DIR, name);
    const cases: [string[], RegExp][] = [
      [["import", malformed("01-not-json.txt")], /01-not-json\.txt: not valid JSON: Unexpected token/],
      [
        ["import", malformed("05-ctx-in-as-text.txt")],
        /: llms\["qwen3-8b"\]\.ctx_in: must be a number \(got "40960"\)\nNothing was imported\. To import the valid entries and skip the others, add --skip-invalid\./,
      ],
      [
        ["import", malformed("07-ctx-in-too-large.txt")],
        /llms\["qwen3-8b"\]\.ctx_in: must be at most 10,000,000 \(got 99999999999\)/,
      ],
      [
        ["import", malformed("09-negative-size.txt"), "--host", "local"],
        /llms\["qwen3-8b"\]\.size_bytes: must not be negative/,
      ],
      [
        ["import", malformed("13-unknown-status.txt"), "--dry-run"],
        /llms\["qwen3-8b"\]\.context_test_status: must be one of/,
      ],
      [
        ["import", malformed("14-duplicated-key.txt")],
        /llms\["qwen3-8b"\]: this key appears more than once in the file/,
      ],
      [
        ["import", malformed("04-llms-is-a-list.txt")],
        /llms: must be an object mapping model keys to entries/,
      ],
      [
        ["import", garbage],
        /the file is larger than 50 MB \(100\.0 MB\); a registry is refused above that size/,
      ],
      [["import", "no-such-registry.json"], /cannot import no-such-registry\.json: no such file/],
      [["import", data.dir], /it is not a regular file \(a directory\)/],
    ];
    const results = await Promise.all(cases.map(([argv]) => runSpawned(argv, env)));
    results.forEach((result, index) => {
      const [argv, message] = cases[index]!;
      expect(result.code, `${argv.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe("");
    });
    expect(await databaseChecksum(data.dir)).toBe(before);
    expect(snapshotCount(data.dir)).toBe(snapshots);
  });

  it("--skip-invalid imports the valid entries with a warning for each skipped one", async () => {
    const { env: other } = fresh();
    const result = await runInProcess(
      ["import", path.join(MALFORMED_DIR, "07-ctx-in-too-large.txt"), "--skip-invalid"],
      other,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'lmstrix: warning: llms["qwen3-8b"] skipped: ctx_in: must be at most 10,000,000 (got 99999999999)',
    );
    expect(result.stdout).toMatch(/created \(2\): gemma-3-12b-it, text-embedding-nomic-embed-text-v1\.5/);
  });

  it("export lmstrix → import into a fresh data directory round-trips (list output equal)", async () => {
    const out = path.join(data.dir, "exported.json");
    const exported = await cli("export", "--format", "lmstrix", "--out", out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(
      /^Exported the lmstrix registry \(54 models\) to .*exported\.json \(\d+ KB\)$/m,
    );

    const { env: other } = fresh();
    const imported = await runInProcess(["import", out], other);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/created \(54\)/);
    for (const show of ["table", "json"]) {
      const original = await cli("list", "--show", show);
      const copy = await runInProcess(["list", "--show", show], other);
      expect(copy.stdout).toBe(original.stdout);
    }
    // And the copy's export is the same text again.
    expect((await runInProcess(["export"], other)).stdout).toBe(readFileSync(out, "utf8"));
  });

  it("export csv and json to --out atomically, refuses to overwrite without --force", async () => {
    const csv = path.join(data.dir, "models.csv");
    const json = path.join(data.dir, "history.json");
    expect((await cli("export", "--format", "csv", "--out", csv)).stdout).toMatch(/54 models as CSV/);
    const lines = readFileSync(csv, "utf8").split("\r\n");
    expect(lines[0]).toBe(
      "host,model_key,display_name,type,size_bytes,declared_context,loadable_limit,effective_limit,last_good_context,last_bad_context,status,last_tested_at,error",
    );
    expect(lines.filter((line) => line.startsWith("local,"))).toHaveLength(54);

    const exportedJson = await cli("export", "--format", "json", "--out", json);
    expect(exportedJson.code).toBe(0);
    const history = JSON.parse(readFileSync(json, "utf8"));
    expect(history).toMatchObject({ format: "lmstrix-history", version: 1 });
    expect(history.models).toHaveLength(54);
    // The history is written as it is read; its summary counts what was written.
    expect(exportedJson.stdout).toContain(
      `Exported the history (54 models, ${history.runs.length} run${history.runs.length === 1 ? "" : "s"}, ${history.probes.length.toLocaleString("en-US")} probes)`,
    );
    // To stdout, the same text (but for the time of the export).
    const withoutTime = (text: string) => text.replace(/"exportedAt": "[^"]+"/, '"exportedAt": ""');
    expect(withoutTime((await cli("export", "--format", "json")).stdout)).toBe(
      withoutTime(readFileSync(json, "utf8")),
    );

    writeFileSync(csv, "keep me");
    const refused = await cli("export", "--format", "csv", "--out", csv);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/models\.csv exists already; add --force to replace it/);
    expect(readFileSync(csv, "utf8")).toBe("keep me");
    expect((await cli("export", "--format", "csv", "--out", csv, "--force")).code).toBe(0);
    expect(readFileSync(csv, "utf8")).toMatch(/^host,model_key,/);
    // No temporary file is left behind.
    expect(readdirSync(data.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("takes FILE and --out FILE from where the user typed the command (INIT_CWD, set by pnpm)", async () => {
    const here = { ...env, INIT_CWD: path.dirname(FLEET_FILE) };
    const dry = await runInProcess(["import", path.basename(FLEET_FILE), "--dry-run"], here);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /^Dry run, nothing written: importing lmstrix-fleet\.json .* would change nothing/,
    );
    const out = await runInProcess(["export", "--out", "relative.csv", "--format", "csv"], {
      ...env,
      INIT_CWD: data.dir,
    });
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(path.join(data.dir, "relative.csv"))).toBe(true);
  });

  it("export lmstrix needs --host when several hosts have models, and lists them", async () => {
    expect((await cli("host", "add", "gpu-box", "ws://10.0.0.5:1234")).code).toBe(0);
    expect((await cli("import", LEGACY_FILE, "--host", "gpu-box")).code).toBe(0);
    const ambiguous = await cli("export");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("choose a host (gpu-box, local): add --host NAME");
    const one = await cli("export", "--host", "gpu-box");
    expect(one.code).toBe(0);
    expect(Object.keys(JSON.parse(one.stdout).llms).length).toBeGreaterThan(0);
    expect((await cli("export", "--host", "nowhere")).code).toBe(2);
  });
});
