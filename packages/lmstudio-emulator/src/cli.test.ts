import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, expect, test } from "vitest";
import { createStrictClient } from "../test/support/strict-client.js";
import { defaultFleet } from "./fleet/default-fleet.js";
import { savedLoadDefaultsFile } from "./saved-load-defaults.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const children: ChildProcess[] = [];

/** `node --import tsx src/cli.ts …`: one process, so killing it by pid stops the emulator. */
function startCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

/** The URL the CLI prints once it listens (the built-in fleet's banner). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
      const match =
        /LM Studio emulator listening on (ws:\/\/127\.0\.0\.1:(\d+)) \(57 models, 16\.00 GB memory\)/.exec(
          out,
        );
      if (match?.[1] !== undefined && match[2] !== "0") resolve(match[1]);
    });
    child.once("exit", () => reject(new Error(`CLI exited early: ${out}`)));
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

test("the CLI serves the real SDK: the standalone smoke script passes against it", {
  timeout: 60_000,
}, async () => {
  const child = startCli(["--port", "0", "--time-scale", "0", "--quiet"]);
  const exited = exitOf(child);
  const url = await listeningUrl(child);

  const { stdout } = await run(
    process.execPath,
    ["scripts/sdk-smoke.mjs", url, "meta-llama-3.1-8b-instruct", "32768"],
    {
      cwd: packageDir,
    },
  );
  expect(JSON.parse(stdout)).toMatchObject({ ok: true, models: 57, contextLength: 32768, reply: "5" });

  child.kill("SIGTERM");
  expect((await exited).code).toBe(0);
});

test("bad flags print usage and exit 2", { timeout: 30_000 }, async () => {
  const result = await exitOf(startCli(["--port", "http"]));
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("--port must be an integer");
  expect(result.stderr).toContain("Usage: lmstudio-emulator");
});

test("an invalid fleet file names the field and exits 1", { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "lmstudio-emulator-"));
  const file = join(dir, "fleet.json");
  await writeFile(file, JSON.stringify({ memoryBytes: 1e9, models: [{ modelKey: "x", type: "llm" }] }));
  const result = await exitOf(startCli(["--fleet", file]));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("models[0].format");
});

test("--lmstudio-version and --lmstudio-home: the version reported, saved load defaults used", {
  timeout: 60_000,
}, async () => {
  const home = await mkdtemp(join(tmpdir(), "lmstudio-home-"));
  const model = defaultFleet.models.find((candidate) => candidate.modelKey === "meta-llama-3.1-8b-instruct");
  const file = model && savedLoadDefaultsFile(home, model);
  if (!file) throw new Error("no settings file for the model");
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    JSON.stringify({ preset: "", load: { fields: [{ key: "llm.load.contextLength", value: 24_576 }] } }),
  );
  const withHome = startCli([
    "--port",
    "0",
    "--time-scale",
    "0",
    "--quiet",
    "--lmstudio-version",
    "0.4.23+1",
    "--lmstudio-home",
    home,
  ]);
  const sdk = createStrictClient(await listeningUrl(withHome));
  try {
    expect(await sdk.client.system.getLMStudioVersion()).toEqual({ version: "0.4.23", build: 1 });
    const llm = await sdk.client.llm.load("meta-llama-3.1-8b-instruct", { verbose: false });
    expect(await llm.getContextLength()).toBe(24_576);
  } finally {
    await sdk.dispose();
    await rm(home, { recursive: true, force: true });
  }
  expect(sdk.problems).toEqual([]);
});

test("a bad --lmstudio-version or a missing --lmstudio-home folder is a usage error", {
  timeout: 30_000,
}, async () => {
  const version = await exitOf(startCli(["--lmstudio-version", "0.4"]));
  expect(version.code).toBe(2);
  expect(version.stderr).toContain(
    '--lmstudio-version: LM Studio version must look like "0.4.23" or "0.4.23+2"',
  );
  const home = await exitOf(startCli(["--lmstudio-home", "/no/such/folder"]));
  expect(home.code).toBe(2);
  expect(home.stderr).toContain('--lmstudio-home must be an existing folder, got "/no/such/folder"');
});
