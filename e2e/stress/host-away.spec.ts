import { readFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@lmstrix/db";
import { type FleetInput, hiddenLoadableLimit, parseFleet } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { readRunEvents } from "../support/run-events";
import {
  removeDir,
  repoRoot,
  startRestartableEmulator,
  startWebServer,
  tempDir,
  type WebServer,
  waitFor,
} from "../support/stack";
import { loadInFlight, localHost, runRow, startRun, waitForRunEnd, withStack } from "./support";

/**
 * LM Studio going away in the middle of a run: the run waits for it (and the Run page says so), runs the probe
 * it lost again when LM Studio is back, and fails with a clear message when it never comes back.
 */

const FLEET: FleetInput = JSON.parse(
  readFileSync(path.join(repoRoot, "e2e/fixtures/host-away-fleet.json"), "utf8"),
) as FleetInput;
const fleet = parseFleet(FLEET);
const MODEL_KEYS = fleet.models.map((model) => model.modelKey);
const PRECISION = 512;
/** lmstrix's batch: every model one probe per pass; small precision so the memory-bound model bisects. */
const BATCH = { all: true, options: { strategy: "lmstrix", cooldownMs: 0, precision: PRECISION } };
/** Loads take 0.2–0.6 s (1.5 s per GiB, scaled): long enough to stop LM Studio in the middle of one. */
const TIME_SCALE = 0.2;

function startBatch(web: WebServer, hostId: number): Promise<number> {
  return startRun(web.baseUrl, { hostId, ...BATCH });
}

/** What the dashboard wrote about a run: its probes (with model keys), its messages, the models and the lease. */
async function readStored(dataDir: string, runId: number) {
  const db = await openDatabase({ dataDir });
  try {
    const models = await db.prisma.model.findMany({
      select: {
        id: true,
        modelKey: true,
        testStatus: true,
        loadableLimit: true,
        lastBadContext: true,
        errorCategory: true,
      },
    });
    const keyOf = new Map(models.map((model) => [model.id, model.modelKey]));
    const probes = (await db.prisma.probe.findMany({ where: { runId }, orderBy: { id: "asc" } })).map(
      (probe) => ({ ...probe, modelKey: keyOf.get(probe.modelId) ?? "?" }),
    );
    const events = await readRunEvents(db, runId);
    const messages = events.flatMap((event) =>
      event.type === "warning" || event.type === "log" ? [String(event.payload.message)] : [],
    );
    const startedProbeIds = events.flatMap((event) =>
      event.type === "probe.started" ? [event.payload.probeId] : [],
    );
    const leases = await db.prisma.hostLease.findMany();
    return {
      models: new Map(models.map((model) => [model.modelKey, model])),
      probes,
      messages,
      startedProbeIds,
      leases,
    };
  } finally {
    await db.close();
  }
}

/** Every model completed, at the limit the simulated machine really has (within the search's precision). */
function expectTrueLimits(models: Awaited<ReturnType<typeof readStored>>["models"]) {
  for (const model of fleet.models) {
    const summary = models.get(model.modelKey);
    const hidden = hiddenLoadableLimit(model, fleet.memoryBytes);
    expect(summary, model.modelKey).toMatchObject({ testStatus: "completed", errorCategory: null });
    const limit = summary?.loadableLimit ?? 0;
    if (hidden >= model.maxContextLength) {
      expect(limit, model.modelKey).toBe(model.maxContextLength);
    } else {
      expect(limit, model.modelKey).toBeLessThanOrEqual(hidden);
      expect(hidden - limit, model.modelKey).toBeLessThan(PRECISION);
    }
  }
}

test("a batch run waits while LM Studio restarts, shows it on the Run page, and completes correctly", async ({
  page,
}) => {
  const stack = { name: "host-away", emulator: { fleet: FLEET, timeScale: TIME_SCALE, seed: 7 } };
  await withStack(stack, async ({ dataDir, emulator, web }) => {
    const host = await localHost(web.baseUrl);
    const runId = await startBatch(web, host.id);
    await page.goto(`${web.baseUrl}/runs/${runId}`);
    await expect(page.getByTestId("run-status")).toHaveText("Running");

    await loadInFlight(emulator, 3);
    const stoppedAt = Date.now();
    await emulator.stop();

    // The page says what is going on, and the run is still running (not failed, not interrupted).
    const hostWait = page.getByTestId("host-wait");
    await expect(hostWait).toContainText(`LM Studio at ${host.url} is not answering`);
    await expect(hostWait).toContainText(/waiting up to 120 s/);
    await expect(page.getByTestId("run-status")).toHaveText("Running");

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - stoppedAt))));
    await emulator.start();

    await expect(hostWait).toBeHidden({ timeout: 60_000 });
    await expect(
      page.getByTestId("run-log").filter({ hasText: `LM Studio at ${host.url} is back` }),
    ).toBeVisible();
    await expect(page.getByTestId("run-outcome")).toHaveText("The run completed.", { timeout: 90_000 });
    const results = page.getByTestId("model-result");
    await expect(results).toHaveCount(MODEL_KEYS.length);
    for (const key of MODEL_KEYS) {
      await expect(results.filter({ hasText: key })).toContainText("✓ Tested");
    }

    const run = await runRow(web.baseUrl, runId);
    expect(run).toMatchObject({ status: "completed", message: null });
    const stored = await readStored(dataDir, runId);
    expect(stored.messages.some((message) => message.startsWith("Lost LM Studio"))).toBe(true);

    expectTrueLimits(stored.models);

    // The probe LM Studio dropped was run again in its own row: no size tested twice, none left open, and
    // no probe blames a model for the outage.
    const sizes = stored.probes.map((probe) => `${probe.modelKey}@${probe.kind}:${probe.contextRequested}`);
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(stored.probes.filter((probe) => probe.outcome === null)).toEqual([]);
    const blamed = stored.probes.filter((probe) =>
      ["DISCONNECTED", "UNREACHABLE"].includes(probe.errorCategory ?? ""),
    );
    expect(blamed).toEqual([]);
    const startedTwice = stored.startedProbeIds.filter((id, index, all) => all.indexOf(id) !== index);
    expect(startedTwice).toHaveLength(1);
    const rerun = stored.probes.find((probe) => probe.id === startedTwice[0]);
    expect(["pass", "fail"]).toContain(rerun?.outcome);

    // Nothing left loaded in the LM Studio that came back, and the host is free again.
    expect(emulator.current?.state.loaded).toEqual([]);
    expect(stored.leases).toEqual([]);
    console.log(
      `host-away: ${stored.probes.length} probes, ${emulator.current?.state.counters.loadsStarted} loads after LM Studio came back`,
    );
  });
});

test("a run whose LM Studio never comes back fails with a clear message, blames no model and frees the host", async ({
  page,
}) => {
  const stack = {
    name: "host-gone",
    emulator: { fleet: FLEET, timeScale: TIME_SCALE, seed: 7 },
    webEnv: { LMSTRIX_RECONNECT_TIMEOUT_MS: "4000" },
  };
  await withStack(stack, async ({ dataDir, emulator, web }) => {
    const host = await localHost(web.baseUrl);
    const first = await startBatch(web, host.id);
    await loadInFlight(emulator, 2);
    // Queued behind the first (the first run's scan has stored the models): it must not wait forever for a
    // host that is gone.
    const second = await startRun(web.baseUrl, {
      hostId: host.id,
      modelKeys: [MODEL_KEYS[0]!],
      options: { strategy: "lmstrix", cooldownMs: 0 },
    });
    const stoppedAt = Date.now();
    await emulator.stop();

    const failed = await waitForRunEnd(web.baseUrl, first, { timeoutMs: 60_000 });
    console.log(
      `host-gone: run failed ${Date.now() - stoppedAt} ms after LM Studio stopped: ${failed.message}`,
    );
    expect(failed.status).toBe("failed");
    expect(failed.message).toContain(`LM Studio at ${host.url} is not reachable`);
    expect(failed.message).toContain("Start LM Studio and its local server, or check the host's URL.");
    const afterFirst = await readStored(dataDir, first);
    expect(afterFirst.messages).toContainEqual(expect.stringMatching(/is not answering .*waiting up to 4 s/));

    // The outage is nobody's model's fault: no model failed, none stays at `testing`, and the size that was
    // loading when LM Studio went away is not left behind as a "bad" size.
    for (const key of MODEL_KEYS) {
      const model = afterFirst.models.get(key);
      expect(model?.testStatus, key).not.toBe("failed");
      expect(model?.testStatus, key).not.toBe("testing");
      expect(model?.errorCategory ?? null, key).toBeNull();
    }
    const lost = afterFirst.probes.filter((probe) => probe.errorCategory === "DISCONNECTED");
    expect(lost).toHaveLength(1);
    expect(lost[0]?.outcome).toBe("cancelled");
    expect(afterFirst.models.get(lost[0]?.modelKey ?? "")?.lastBadContext).toBe(lost[0]?.previousBadContext);
    expect(afterFirst.probes.filter((probe) => probe.outcome === "error" || probe.outcome === null)).toEqual(
      [],
    );

    // The queued run is not stuck: it gets its own try, says the same, and the host's lease is given back.
    const next = await waitForRunEnd(web.baseUrl, second, { timeoutMs: 60_000 });
    expect(next.status).toBe("failed");
    expect(next.message).toContain(`LM Studio at ${host.url} is not reachable`);
    await waitFor(
      "the host's lease to be released",
      async () => (await readStored(dataDir, second)).leases.length === 0,
    );

    await page.goto(`${web.baseUrl}/runs/${first}`);
    await expect(page.getByTestId("run-outcome")).toContainText(
      `The run failed: LM Studio at ${host.url} is not reachable`,
    );
    await expect(page.getByTestId("host-wait")).toBeHidden();

    // When LM Studio is back, the same dashboard (same cached connection) tests again without a restart, and
    // finds the true limits: nothing the outage left behind (a false bad size) holds the search down.
    await emulator.start();
    const retry = await startBatch(web, host.id);
    expect((await waitForRunEnd(web.baseUrl, retry, { timeoutMs: 90_000 })).status).toBe("completed");
    expectTrueLimits((await readStored(dataDir, retry)).models);
    expect(emulator.current?.state.loaded).toEqual([]);
  });
});

test("a run whose LM Studio goes away as the run starts, before the first load, waits for it and completes", async () => {
  const dataDir = tempDir("host-away-start");
  let stopOnce: (() => void) | undefined;
  const quiet = () => {};
  const emulator = await startRestartableEmulator({
    fleet: FLEET,
    timeScale: TIME_SCALE,
    seed: 7,
    // The SDK opens its `llm` socket for the run's first `listLoaded` — the look at what is loaded, right after
    // the scan (done on the `system` socket) and before the first load. Stopping LM Studio the moment that
    // socket is accepted drops a runtime call that belongs to no probe.
    logger: {
      debug: (message: unknown) => {
        if (String(message).startsWith("[llm] client") && String(message).endsWith("authenticated"))
          stopOnce?.();
      },
      info: quiet,
      warn: quiet,
      error: quiet,
    },
  });
  let stoppedAt: number | undefined;
  stopOnce = () => {
    stopOnce = undefined;
    void emulator.stop();
    stoppedAt = Date.now();
  };
  const web = await startWebServer({ dataDir, lmStudioUrl: emulator.url });
  try {
    const host = await localHost(web.baseUrl);
    const runId = await startBatch(web, host.id);
    const stopTime = await waitFor(
      "LM Studio to be stopped as the run looks at what is loaded",
      () => stoppedAt,
      { timeoutMs: 60_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5_000 - (Date.now() - stopTime))));
    await emulator.start();

    const run = await waitForRunEnd(web.baseUrl, runId, { timeoutMs: 90_000 });
    expect(run).toMatchObject({ status: "completed", message: null });

    // The outage came between the scan and the first probe, and the run said so like during a probe.
    const stored = await readStored(dataDir, runId);
    const at = (prefix: string) => stored.messages.findIndex((message) => message.startsWith(prefix));
    expect(at("Scanned ")).toBeGreaterThanOrEqual(0);
    expect(at(`LM Studio at ${host.url} is not answering`)).toBeGreaterThan(at("Scanned "));
    expect(at(`LM Studio at ${host.url} is back`)).toBeGreaterThan(
      at(`LM Studio at ${host.url} is not answering`),
    );
    expect(at("Testing ")).toBeGreaterThan(at(`LM Studio at ${host.url} is back`));
    expect(stored.messages.filter((message) => message.startsWith("Lost LM Studio"))).toEqual([]);

    expectTrueLimits(stored.models);
    // No probe was open when LM Studio went away, and none blames a model for the outage.
    expect(stored.probes.filter((probe) => probe.outcome === null)).toEqual([]);
    const blamed = stored.probes.filter((probe) =>
      ["DISCONNECTED", "UNREACHABLE"].includes(probe.errorCategory ?? ""),
    );
    expect(blamed).toEqual([]);
    expect(emulator.current?.state.loaded).toEqual([]);
    await waitFor(
      "the host's lease to be released",
      async () => (await readStored(dataDir, runId)).leases.length === 0,
    );
    console.log(`host-away-start: ${stored.probes.length} probes after LM Studio came back`);
  } finally {
    await web.stop();
    await emulator.stop();
    removeDir(dataDir);
  }
});
