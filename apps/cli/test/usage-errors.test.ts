import { existsSync } from "node:fs";
import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksum, runInProcess, runSpawned, type TempDir, tempDataDir, testEnv } from "./support/cli";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

describe("bad usage exits 2 with a clear message and leaves the database alone", () => {
  let emulator: Emulator;
  const dirs: TempDir[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      fleet: { memoryBytes: 8 * GiB, models: [llm("qwen/qwen3-8b")] },
      timeScale: 0.001,
    });
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) dir.dispose();
  });

  function dataDir(): TempDir {
    const dir = tempDataDir();
    dirs.push(dir);
    return dir;
  }

  it("creates no database file for bad flags, numbers, commands or hosts (real processes)", async () => {
    const data = dataDir();
    const env = testEnv(emulator.url, data.dir);
    const cases: [string[], RegExp][] = [
      [
        ["test", "--all", "--threshold", "abc"],
        /--threshold must be a whole number between 1 and 10,000,000; got "abc"/,
      ],
      [["test", "--all", "--ctx", "-5"], /--ctx must be a whole number between 1 and 10,000,000; got "-5"/],
      [["test", "--all", "--bogus"], /unknown flag --bogus for "test"/],
      [["frobnicate"], /unknown command "frobnicate"/],
      [["backup"], /unknown command "backup"/],
      [
        ["test", "--all", "--host", "nowhere"],
        /unknown host "nowhere" \(known: local \(the default, ws:\/\/127\.0\.0\.1:\d+\)\); add it with: lmstrix host add nowhere/,
      ],
      [
        ["test", "qwen/qwen3-8b", "--cooldown", "later"],
        /--cooldown must be a number between 0 and 600; got "later"/,
      ],
    ];
    const results = await Promise.all(cases.map(([argv]) => runSpawned(argv, env)));
    results.forEach((result, index) => {
      const [argv, message] = cases[index]!;
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).toMatch(message);
      expect(result.stderr).toMatch(/Run "pnpm lmstrix help/);
      expect(result.stdout).toBe("");
    });
    expect(existsSync(data.dbFile)).toBe(false);
  });

  it("keeps an existing database byte for byte on an unknown model, host or run", async () => {
    const data = dataDir();
    const env = testEnv(emulator.url, data.dir);
    // In a process of its own: the last connection to close folds SQLite's write-ahead log into the file, so
    // the checksum below compares the database itself, not how much of the log was checkpointed.
    expect((await runSpawned(["scan"], env)).code).toBe(0);
    const before = checksum(data.dbFile);
    expect(before).not.toBeNull();

    const cases: [string[], RegExp][] = [
      [
        ["test", "qwen/qwen3-8"],
        /unknown model key "qwen\/qwen3-8" on host local; did you mean "qwen\/qwen3-8b"\?/,
      ],
      [["test", "qwen/qwen3-8b", "nope"], /unknown model key "nope" on host local/],
      [["list", "--host", "gpu-box"], /unknown host "gpu-box"/],
      [["scan", "--host", "gpu-box"], /unknown host "gpu-box"/],
      [["cancel", "42"], /unknown run #42/],
      [["infer", "hi", "--model", "nope"], /unknown model key "nope"/],
      [
        ["test", "--all", "--precision", "0"],
        /--precision must be a whole number between 1 and 1,000,000; got "0"/,
      ],
    ];
    const results = await Promise.all(cases.map(([argv]) => runSpawned(argv, env)));
    results.forEach((result, index) => {
      const [argv, message] = cases[index]!;
      expect(result.code, `${argv.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    });
    expect(checksum(data.dbFile)).toBe(before);
    const { store, close } = await openStore(data.dir);
    try {
      expect(await store.listRuns({})).toEqual([]);
      expect((await store.listHosts()).map((host) => host.name)).toEqual(["local"]);
    } finally {
      await close();
    }
  });

  it("prints help and exits 0; no command at all is bad usage", async () => {
    const env = testEnv(emulator.url, dataDir().dir);
    const help = await runInProcess(["help", "test"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: lmstrix test MODEL_KEY... | --all");
    const none = await runInProcess([], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no command given");
    expect(none.stderr).toContain("Commands:");
  });
});
