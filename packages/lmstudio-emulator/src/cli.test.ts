import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, expect, test } from "vitest";

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

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

test("the CLI serves the real SDK: the standalone smoke script passes against it", {
  timeout: 60_000,
}, async () => {
  const child = startCli(["--port", "0", "--time-scale", "0", "--quiet"]);
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
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
