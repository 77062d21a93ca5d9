import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import {
  removeDir,
  runCli,
  startCli,
  startRestartableEmulator,
  startWebServer,
  tempDir,
  type WebServer,
  waitFor,
} from "../support/stack";
import { ok, trpcPost } from "../support/trpc";
import { GiB, llm } from "./fleet";
import {
  activeSamplers,
  expectOneAfterAnother,
  listRuns,
  sampleRuns,
  waitForHostRunsToEnd,
} from "./host-runs";
import { localHost, startRun } from "./support";

/**
 * Many requests for one host at once, from the dashboard and from the CLI: one run on the host at a time, one
 * model load at a time, a duplicate "test all" refused with the run that already does it, every accepted run
 * finished.
 */

/** Loads take about a quarter of a second at the time scale below, so that runs last long enough to overlap. */
const busy = (modelKey: string, maxContextLength: number) =>
  llm("busy", modelKey, { maxContextLength, loadSecondsPerGiB: 6 });

const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [busy("alpha", 65_536), busy("beta", 32_768), busy("gamma", 16_384)],
};
const TIME_SCALE = 0.04;

test.describe("one host, many requests", () => {
  let dataDir: string;
  let emulator: Awaited<ReturnType<typeof startRestartableEmulator>>;
  let web: WebServer;

  test.beforeEach(async () => {
    dataDir = tempDir("concurrency");
    emulator = await startRestartableEmulator({ fleet: FLEET, timeScale: TIME_SCALE, seed: 5 });
    web = await startWebServer({ dataDir, lmStudioUrl: emulator.url });
  });
  test.afterEach(async () => {
    for (const halt of [...activeSamplers]) await halt();
    await web?.stop();
    await emulator?.stop();
    removeDir(dataDir);
  });

  test("20 simultaneous 'test all' requests: one run, the others refused naming it; other requests queue", async () => {
    const hostId = (await localHost(web.baseUrl)).id;
    const testAll = { hostId, all: true, options: { cooldownMs: 0 } };
    // Two different requests fired with them must queue, not be refused.
    const retestAll = { hostId, all: true, options: { cooldownMs: 0, reset: true } };
    const sampler = sampleRuns(web, hostId);
    // The single-model request names a model the host scan made known; scan first.
    ok(await trpcPost(web.baseUrl, "host.scan", { id: hostId }), "host.scan");
    const replies = await Promise.all([
      ...Array.from({ length: 20 }, () => trpcPost<{ id: number }>(web.baseUrl, "run.start", testAll)),
      trpcPost<{ id: number }>(web.baseUrl, "run.start", retestAll),
      trpcPost<{ id: number }>(web.baseUrl, "run.start", {
        hostId,
        modelKeys: ["gamma"],
        options: { cooldownMs: 0 },
      }),
    ]);

    const sameRequest = replies.slice(0, 20);
    const accepted = sameRequest.filter((reply) => reply.status === 200);
    expect(accepted, JSON.stringify(sameRequest.map((reply) => reply.status))).toHaveLength(1);
    const winner = accepted[0]!.data!.id;
    const refused = sameRequest.filter((reply) => reply.status !== 200);
    expect(refused).toHaveLength(19);
    for (const reply of refused) {
      expect(reply.status).toBe(409);
      expect(reply.error?.code).toBe("CONFLICT");
      expect(reply.error?.message).toMatch(
        new RegExp(`^Run #${winner} \\(test all, started by web\\) is already`),
      );
    }
    const others = replies.slice(20).map((reply) => ok(reply, "a different run.start").id);
    const acceptedIds = [winner, ...others];

    const finished = await waitForHostRunsToEnd(web, hostId, "every accepted run to finish");
    const readings = await sampler.stop();
    // Only the accepted requests became runs, and each completed.
    expect(finished.map((run) => run.id).sort((a, b) => a - b)).toEqual(
      [...acceptedIds].sort((a, b) => a - b),
    );
    for (const run of finished) expect(run.status, `run #${run.id}`).toBe("completed");
    expectOneAfterAnother(finished);
    // The sampler saw the runs at work, some waiting queued while another ran.
    expect(readings.some((runs) => runs.some((run) => run.status === "running"))).toBe(true);
    expect(
      readings.some(
        (runs) => runs.some((run) => run.status === "running") && runs.some((run) => run.status === "queued"),
      ),
    ).toBe(true);

    const state = emulator.current!.state;
    expect(state.counters.loadsSucceeded).toBeGreaterThan(0);
    expect(state.counters.maxConcurrentLoads).toBe(1);
    expect(state.loaded).toEqual([]);
    console.log(
      `concurrency: 1 of 20 identical requests accepted (run #${winner}), ${refused.length} refused with 409;`,
      `${acceptedIds.length} runs completed one after another; ${readings.length} readings, never two running;`,
      `${state.counters.loadsStarted} loads, at most ${state.counters.maxConcurrentLoads} at once`,
    );

    // Once that run has finished, the same request is welcome again.
    const again = await trpcPost<{ id: number }>(web.baseUrl, "run.start", testAll);
    expect(again.status, again.error?.message).toBe(200);
  });

  test("the CLI and the dashboard compete for one host: the CLI waits its turn or is refused like the dashboard", async () => {
    const hostId = (await localHost(web.baseUrl)).id;
    // The CLI checks the model key against the stored models while LM Studio is away: scan first.
    ok(await trpcPost(web.baseUrl, "host.scan", { id: hostId }), "host.scan");
    const webRun = await startRun(web.baseUrl, { hostId, all: true, options: { cooldownMs: 0 } });
    await waitFor("the dashboard's run to be running", async () => {
      const runs = await listRuns(web, hostId);
      return runs.find((run) => run.id === webRun)?.status === "running";
    });
    // LM Studio goes away for a while: the dashboard's run waits for it, holding the host, for as long as
    // this spec needs (no race against the run's length).
    const before = emulator.current!.state.counters;
    expect(before.maxConcurrentLoads).toBeLessThanOrEqual(1);
    await emulator.stop();
    const sampler = sampleRuns(web, hostId);
    const cliEnv = {
      LMSTRIX_DATA_DIR: dataDir,
      LMSTUDIO_URL: emulator.url,
      LMSTRIX_LEASE_STALE_MS: "3000",
      LMSTRIX_HEARTBEAT_MS: "300",
      LMSTRIX_QUEUE_RETRY_MS: "200",
      LMSTRIX_POLL_MS: "100",
    };
    const cli = startCli(["test", "gamma", "--cooldown", "0"], cliEnv);
    try {
      // The same "test all" from the terminal: refused with the dashboard's run named, nothing queued.
      const duplicate = await runCli(["test", "--all", "--cooldown", "0"], cliEnv);
      expect(duplicate.code, duplicate.stdout + duplicate.stderr).toBe(1);
      expect(duplicate.stderr, duplicate.stdout).toMatch(
        new RegExp(`Run #${webRun} \\(test all, started by web\\) is already running`),
      );

      // Another model from the terminal: queued behind the dashboard's run, waiting for the host.
      await waitFor("the CLI to wait for the host", () =>
        cli.output().includes(`Waiting for host local (run #${webRun} by web:`),
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the CLI printed:\n${cli.output()}`);
      });
      const waiting = await listRuns(web, hostId);
      expect(waiting.map((run) => [run.id, run.status])).toEqual([
        [webRun + 1, "queued"],
        [webRun, "running"],
      ]);

      // LM Studio is back: the dashboard's run goes on and ends, then the CLI's run.
      await emulator.start();
      const result = await cli.exited;
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/gamma +│ ✓ Completed/);
    } finally {
      cli.kill();
    }

    const finished = await waitForHostRunsToEnd(web, hostId, "both runs to finish");
    await sampler.stop();
    expect(finished.map((run) => run.id).sort((a, b) => a - b)).toEqual([webRun, webRun + 1]);
    for (const run of finished) expect(run.status, `run #${run.id}`).toBe("completed");
    expect(finished.find((run) => run.id === webRun + 1)!.startedBy).toBe("cli");
    expectOneAfterAnother(finished);

    const state = emulator.current!.state;
    expect(state.counters.loadsSucceeded).toBeGreaterThan(0);
    expect(state.counters.maxConcurrentLoads).toBe(1);
    expect(state.loaded).toEqual([]);
  });
});
