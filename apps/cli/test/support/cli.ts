import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli";
import type { Io } from "../../src/io";

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Short leases, heartbeats and pauses so that the integration tests stay quick; everything else is as a user
 * would run it.
 */
export function testEnv(
  url: string,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    LMSTUDIO_URL: url,
    LMSTRIX_DATA_DIR: dataDir,
    LMSTRIX_LEASE_STALE_MS: "1500",
    LMSTRIX_HEARTBEAT_MS: "100",
    LMSTRIX_RECONNECT_TIMEOUT_MS: "5000",
    LMSTRIX_RECONNECT_PAUSE_MS: "50",
    LMSTRIX_TIMEOUT_PAUSE_MS: "20",
    LMSTRIX_CONNECT_TIMEOUT_MS: "3000",
    LMSTRIX_LOAD_TIMEOUT_MS: "10000",
    LMSTRIX_PREDICT_TIMEOUT_MS: "10000",
    LMSTRIX_POLL_MS: "40",
    LMSTRIX_QUEUE_RETRY_MS: "100",
    ...extra,
  };
}

/**
 * Runs a command line in this process (fast), capturing its output. Output streams are not terminals and
 * nobody answers questions, unless `confirm` plays the person at the terminal.
 */
export async function runInProcess(
  argv: string[],
  env: Record<string, string>,
  options: { confirm?: (question: string) => Promise<boolean> } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
      },
      isTTY: false,
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY: false,
    },
    env,
    onInterrupt: () => () => {},
    exitNow: (code) => {
      throw new Error(`exitNow(${code}) called in-process`);
    },
    confirm: options.confirm,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export interface SpawnedCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  /** Signals the whole process group (the tsx launcher and the node process it starts), like a terminal does. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts `src/main.ts …` in a process group of its own, as a user's shell would: one node process with tsx's
 * loader. Not the tsx launcher: it relays a signal to its child unless the child acknowledges it within 30 ms,
 * and kills the child after 60 ms, so a SIGINT to the group could arrive twice or end in SIGKILL on a busy
 * test machine.
 */
export function spawnCli(argv: string[], env: Record<string, string>): SpawnedCli {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...argv], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    signal: (signal) => {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    },
  };
}

export function runSpawned(argv: string[], env: Record<string, string>): Promise<CliResult> {
  return spawnCli(argv, env).exited;
}

export interface TempDir {
  dir: string;
  dbFile: string;
  dispose(): void;
}

export function tempDataDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-cli-"));
  return {
    dir,
    dbFile: path.join(dir, "lmstrix.db"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** sha256 of a file, or null when it does not exist. */
export function checksum(file: string): string | null {
  if (!existsSync(file)) return null;
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
