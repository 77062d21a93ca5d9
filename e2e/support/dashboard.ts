import { isFinishedRunStatus } from "@lmstrix/core";
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { findLocalHost, type HostRow, ok, parseReply, queryPath, type RunStart } from "./trpc";

export type { HostRow, RunStart };

/**
 * Shortcuts through the dashboard's own tRPC API, for a spec's setup — what a spec is *about* it does through
 * the pages. Paths are relative to the project's baseURL.
 */

async function unwrap<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<T> {
  return ok(parseReply<T>(response.status(), await response.text()), what);
}

export async function trpcQuery<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  return unwrap<T>(await request.get(queryPath(path, input)), path);
}

export async function trpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  return unwrap<T>(await request.post(`/api/trpc/${path}`, { data: { json: input } }), path);
}

/** The host the e2e server registered for the emulator at its first start. */
export async function localHost(request: APIRequestContext): Promise<HostRow> {
  return findLocalHost(await trpcQuery<HostRow[]>(request, "host.list"));
}

/** Makes sure the emulator's models are in the database (a spec may run alone). */
export async function scanLocalHost(request: APIRequestContext): Promise<HostRow> {
  const host = await localHost(request);
  await trpcMutation(request, "host.scan", { id: host.id });
  return host;
}

export async function startRun(request: APIRequestContext, start: RunStart): Promise<number> {
  const { id } = await trpcMutation<{ id: number }>(request, "run.start", start);
  return id;
}

/** Waits until the run has ended (any end) and returns its status. */
export async function waitForRunEnd(
  request: APIRequestContext,
  runId: number,
  timeout = 45_000,
): Promise<string> {
  let status = "";
  await expect
    .poll(
      async () => {
        status = (await trpcQuery<{ status: string }>(request, "run.get", { id: runId })).status;
        return isFinishedRunStatus(status);
      },
      { timeout, message: `run #${runId} should end` },
    )
    .toBe(true);
  return status;
}

/** Cancels every queued or running run, so that a spec starts with a free host. */
export async function cancelActiveRuns(request: APIRequestContext): Promise<void> {
  const runs = await trpcQuery<{ id: number; status: string }[]>(request, "run.list", { take: 500 });
  const active = runs.filter((run) => !isFinishedRunStatus(run.status));
  for (const run of active) await trpcMutation(request, "run.cancel", { id: run.id });
  for (const run of active) await waitForRunEnd(request, run.id);
}

/** The run id from a run page's URL. */
export function runIdFrom(page: Page): number {
  const match = /\/runs\/(\d+)/.exec(page.url());
  if (!match) throw new Error(`Not on a run page: ${page.url()}`);
  return Number(match[1]);
}

/**
 * Starts a batch of every LLM of the host and waits until it runs. After its first probe it pauses two
 * minutes before the next model (until cancelled): it holds the host, long enough to look at a busy host,
 * while leaving next to no measurements behind (which the `fit` search of later specs would learn from).
 */
export async function startLongBatch(request: APIRequestContext, hostId: number): Promise<number> {
  const runId = await startRun(request, {
    hostId,
    all: true,
    options: { reset: true, strategy: "lmstrix", cooldownMs: 120_000 },
  });
  await expect
    .poll(async () => (await trpcQuery<{ status: string }>(request, "run.get", { id: runId })).status)
    .toBe("running");
  return runId;
}
