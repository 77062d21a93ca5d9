import { isFinishedRunStatus } from "@lmstrix/core";
import { expect } from "@playwright/test";
import { type WebServer, waitFor } from "../support/stack";
import { ok, trpcGet } from "../support/trpc";

/** What the concurrency proofs read: the host's runs through the dashboard. */

export interface RunRow {
  id: number;
  status: string;
  mode: string;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

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

export async function listRuns(web: WebServer, hostId: number): Promise<RunRow[]> {
  return ok(await trpcGet<RunRow[]>(web.baseUrl, "run.list", { hostId }), "run.list");
}

/** Waits until every run of the host has ended (`what` names them in a timeout) and returns them. */
export function waitForHostRunsToEnd(web: WebServer, hostId: number, what: string): Promise<RunRow[]> {
  return waitFor(
    what,
    async () => {
      const runs = await listRuns(web, hostId);
      return runs.every((run) => isFinishedRunStatus(run.status)) && runs;
    },
    { timeoutMs: 150_000, intervalMs: 250 },
  );
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
