import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "@playwright/test";
import { ok, repoRoot, trpcGet, type WebServer } from "../support/stack";

/** What the concurrency proofs read and start: the host's runs through the dashboard, and a live CLI. */

export interface RunRow {
  id: number;
  status: string;
  mode: string;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const FINISHED = ["completed", "failed", "cancelled"];

/** Samplers still reading; the spec's cleanup ends them when a test failed before it could. */
export const activeSamplers = new Set<() => Promise<void>>();

/**
 * Reads the host's runs every 100 ms until `stop()`; fails the spec if one reading shows two runs `running`.
 * Returns every reading, so a spec can also check what it saw.
 */
export function sampleRuns(web: WebServer, hostId: number) {
  const readings: RunRow[][] = [];
  let isReading = true;
  const done = (async () => {
    while (isReading) {
      // A reading that fails (the server busy) is simply missing; the next one comes 100 ms later.
      const reply = await trpcGet<RunRow[]>(web.baseUrl, "run.list", { hostId }).catch(() => undefined);
      if (reply?.data) readings.push(reply.data);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const halt = async () => {
    isReading = false;
    activeSamplers.delete(halt);
    await done;
  };
  activeSamplers.add(halt);
  return {
    readings,
    async stop() {
      await halt();
      const overlapping = readings.filter(
        (runs) => runs.filter((run) => run.status === "running").length > 1,
      );
      expect(overlapping, "readings with two runs running on the host at once").toEqual([]);
      return readings;
    },
  };
}

/** The CLI as a child process whose output can be read while it runs (`runCli` gives it at the end only). */
export function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    [path.join(repoRoot, "apps/cli/src/main.ts"), ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return {
    output: () => stdout + stderr,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

export async function listRuns(web: WebServer, hostId: number): Promise<RunRow[]> {
  return ok(await trpcGet<RunRow[]>(web.baseUrl, "run.list", { hostId }), "run.list");
}

export async function localHostId(web: WebServer): Promise<number> {
  const hosts = ok(await trpcGet<{ id: number; name: string }[]>(web.baseUrl, "host.list"), "host.list");
  return hosts.find((host) => host.name === "local")!.id;
}

/** Every run of the host ran after the one before it ended, in the order they were queued. */
export function expectOneAfterAnother(runs: RunRow[]) {
  const byStart = [...runs].sort((a, b) => a.id - b.id);
  for (let i = 1; i < byStart.length; i++) {
    const before = byStart[i - 1]!;
    const after = byStart[i]!;
    expect(
      Date.parse(after.startedAt!),
      `run #${after.id} started before run #${before.id} ended`,
    ).toBeGreaterThanOrEqual(Date.parse(before.finishedAt!));
  }
}
