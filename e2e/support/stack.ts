import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, type EmulatorOptions, startEmulator } from "@lmstrix/lmstudio-emulator";

/**
 * Servers a stress spec owns: the built dashboard as a real `next start` process (so it can be killed with
 * SIGKILL and started again on the same port and data directory) and an in-process emulator (so a spec can
 * stop it, start it again on the same port and read its counters).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
const webDir = path.join(repoRoot, "apps/web");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `lmstrix-${prefix}-`));
}

/** Polls `check` until it returns something other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface WebServerOptions {
  dataDir: string;
  lmStudioUrl: string;
  port?: number;
  /** Extra environment (timings, a token…); merged over quick defaults for tests. */
  env?: Record<string, string>;
}

export interface WebServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** Everything the server printed (stdout and stderr) since it was first started. */
  output(): string;
  /** Sends SIGKILL and waits for the process to be gone: no shutdown handler runs. */
  kill(): Promise<void>;
  /** SIGTERM, as a service manager would stop it. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data directory; `env` goes over the first start's. */
  restart(env?: Record<string, string>): Promise<void>;
  readonly process: ChildProcess;
}

const quickTimings = {
  LMSTRIX_LEASE_STALE_MS: "3000",
  LMSTRIX_HEARTBEAT_MS: "300",
  LMSTRIX_QUEUE_POLL_MS: "200",
  NEXT_TELEMETRY_DISABLED: "1",
};

/** Starts the built dashboard (`pnpm test:e2e` builds it) with `next start` and waits for /api/health. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const nextBin = createRequire(path.join(webDir, "package.json")).resolve("next/dist/bin/next");
  let log = "";
  let child: ChildProcess;

  const launch = async (restartEnv: Record<string, string> = {}) => {
    child = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: webDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...quickTimings,
        PORT: String(port),
        LMSTRIX_LISTEN: "127.0.0.1",
        LMSTRIX_DATA_DIR: options.dataDir,
        LMSTUDIO_URL: options.lmStudioUrl,
        // As apps/web/scripts/start-dashboard.ts: the app, not Next, handles SIGTERM/SIGINT.
        NEXT_MANUAL_SIG_HANDLE: "true",
        ...options.env,
        ...restartEnv,
      },
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) =>
        reject(new Error(`the dashboard exited (${signal ?? code}) while starting:\n${log.slice(-4000)}`)),
      ),
    );
    exited.catch(() => {});
    try {
      await Promise.race([
        exited,
        waitFor(
          `the dashboard at ${baseUrl}`,
          async () => {
            // Not only "something answers": an emulator may hold a port picked as free, and it answers 404
            // to every path it does not serve. The dashboard answers 200, or 401 in team mode.
            const { status } = await fetch(`${baseUrl}/api/health`);
            return (status < 500 && status !== 404) || undefined;
          },
          { timeoutMs: 60_000, intervalMs: 200 },
        ),
      ]);
    } catch (error) {
      // A server that never answered must not outlive the spec (holding its port and the CPU).
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await gone;
      }
      throw error;
    }
  };

  const waitForExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });

  await launch();
  return {
    baseUrl,
    port,
    dataDir: options.dataDir,
    output: () => log,
    kill: () => waitForExit("SIGKILL"),
    stop: () => waitForExit("SIGTERM"),
    restart: (env) => launch(env),
    get process() {
      return child;
    },
  };
}

export interface RestartableEmulator {
  readonly url: string;
  readonly port: number;
  /** The running emulator; undefined while stopped. */
  readonly current: Emulator | undefined;
  stop(): Promise<void>;
  /**
   * Starts a fresh emulator (same fleet, same port): LM Studio coming back after a restart; `changed`: what is
   * different this time (another fleet, another LM Studio version).
   */
  start(changed?: Partial<Omit<EmulatorOptions, "port">>): Promise<void>;
}

/** An emulator that can be stopped and started again on the same port. */
export async function startRestartableEmulator(
  options: Omit<EmulatorOptions, "port"> & { port?: number },
): Promise<RestartableEmulator> {
  const port = options.port ?? (await freePort());
  let current: Emulator | undefined = await startEmulator({ ...options, port });
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get current() {
      return current;
    },
    async stop() {
      await current?.close();
      current = undefined;
    },
    async start(changed = {}) {
      current ??= await startEmulator({ ...options, ...changed, port });
    },
  };
}

/**
 * A fingerprint of the database files' bytes (main file and write-ahead log; the `-shm` index is rebuilt by
 * readers and is not data). Equal fingerprints mean nothing was written.
 */
export function databaseBytes(dataDir: string): string {
  const hash = createHash("sha256");
  for (const suffix of ["", "-wal"]) {
    const file = path.join(dataDir, `lmstrix.db${suffix}`);
    hash.update(`${suffix}:`);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they arrived, interleaved. */
  output: string;
}

/** A script running as a child process; what it printed so far can be read while it runs. */
export interface RunningScript {
  output(): string;
  /** Settles when the process has exited; rejects when it could not be started. */
  readonly exited: Promise<ScriptResult>;
  /** SIGKILL, unless it has already exited. */
  kill(): void;
}

/** Runs a TypeScript file of the repository through tsx, from the repository root; `env` is its whole environment. */
export function startScript(script: string, args: string[], env: NodeJS.ProcessEnv): RunningScript {
  const child = spawn(tsx, [path.join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  const exited = new Promise<ScriptResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr, output }));
  });
  // Whoever awaits `exited` sees the failure; a script nobody waits for must not crash the test run with it.
  exited.catch(() => {});
  return {
    output: () => output,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Waits for the script to end by itself; kills it and fails after `timeoutMs` (`what` names it then). */
export async function finishScript(
  script: RunningScript,
  what: string,
  timeoutMs: number,
): Promise<ScriptResult> {
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      script.kill();
      reject(new Error(`${what} did not finish in ${timeoutMs} ms\n${script.output()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([script.exited, tooLong]);
  } finally {
    clearTimeout(timer);
  }
}

/** The lmstrix CLI (through tsx, as `pnpm lmstrix` runs it), its output readable while it runs. */
export function startCli(args: string[], env: Record<string, string>): RunningScript {
  return startScript("apps/cli/src/main.ts", args, { ...process.env, NO_COLOR: "1", ...env });
}

/** Runs the lmstrix CLI to its end and collects what it printed. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  { timeoutMs = 120_000 } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await finishScript(
    startCli(args, env),
    `lmstrix ${args.join(" ")}`,
    timeoutMs,
  );
  return { code, stdout, stderr };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
