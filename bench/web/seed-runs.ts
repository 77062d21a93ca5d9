import type { PayloadOf, RunEventType, RunStatus } from "@lmstrix/core";
import type { SeededModels } from "./seed-models";
import { DAY, ERRORS, Inserter, isoTime, type SeedContext } from "./seed-rows";

const REPLY =
  "The capital of France is Paris. Here is a short answer to confirm the model is working with the requested context length.";
const PROMPT =
  "You are a test harness. Reply with one short sentence naming the capital of France, then stop. Do not add anything else to your answer. ".repeat(
    2,
  );

/**
 * The runs with their probes and events, in transactions of 200 runs: each run tests a handful of its host's
 * models (a few "hot" models much more often), and every probe has the events the engine emits for it.
 */
export async function seedRuns(
  ctx: SeedContext,
  { modelsByHost, declaredById }: Pick<SeededModels, "modelsByHost" | "declaredById">,
) {
  const { client, options, random, pick, now, origin } = ctx;
  // Hot models: 20 % of all probes go to 10 models, the rest spread evenly.
  const hotModelIds = Array.from({ length: Math.min(10, options.models) }, (_, i) => i * options.hosts + 1);

  const runs = new Inserter(client, "Run", [
    "id",
    "hostId",
    "status",
    "mode",
    "optionsJson",
    "startedBy",
    "message",
    "createdAt",
    "startedAt",
    "finishedAt",
  ]);
  const probeCols = [
    "id",
    "runId",
    "modelId",
    "contextRequested",
    "contextApplied",
    "attempts",
    "kind",
    "outcome",
    "errorCategory",
    "errorMessage",
    "prompt",
    "reply",
    "loadMs",
    "timeToFirstTokenMs",
    "promptTokens",
    "promptTokensPerSec",
    "genTokensPerSec",
    "startedAt",
    "finishedAt",
  ];
  const probes = new Inserter(client, "Probe", probeCols);
  const events = new Inserter(client, "RunEvent", ["id", "runId", "type", "payloadJson", "createdAt"]);
  let probeId = 0;
  let eventId = 0;
  const span = now - DAY - origin;
  for (let r = 1; r <= options.runs; r++) {
    const runProbes =
      Math.floor((options.probes * r) / options.runs) - Math.floor((options.probes * (r - 1)) / options.runs);
    const runEvents =
      Math.floor((options.events * r) / options.runs) - Math.floor((options.events * (r - 1)) / options.runs);
    const hotRun = r % 5 === 0;
    const hostId = hotRun ? 1 : ((r - 1) % options.hosts) + 1;
    const hostModels = modelsByHost[hostId - 1] ?? [];
    const perModel = 10;
    const runModels = hotRun
      ? [hotModelIds[Math.floor(r / 5) % hotModelIds.length] as number]
      : Array.from({ length: Math.ceil(runProbes / perModel) }, () => pick(hostModels));
    const createdMs = origin + Math.floor((span * (r - 1)) / options.runs);
    const status: RunStatus = random() < 0.9 ? "completed" : pick(["failed", "cancelled"] as const);
    const mode = runModels.length > 1 ? "all" : "single";
    let t = createdMs + 2_000;
    const eventRows: [string, string, number][] = [];
    // Typed as the engine writes them: a renamed field fails to compile here too.
    const row = <T extends RunEventType>(
      type: T,
      payload: PayloadOf<T>,
      at: number,
    ): [string, string, number] => [type, JSON.stringify(payload), at];
    const emit = <T extends RunEventType>(type: T, payload: PayloadOf<T>) =>
      eventRows.push(row(type, payload, t));
    emit("run.queued", { mode, startedBy: r % 3 === 0 ? "cli" : "web", options: {} });
    emit("run.started", { holder: `web:${hostId}:4242` });
    for (let p = 0; p < runProbes; p++) {
      const modelId =
        runModels[Math.floor(p / (runModels.length === 1 ? runProbes : perModel))] ?? hostModels[0] ?? 1;
      const modelKey = `model-${modelId}`;
      const declared = declaredById.get(modelId) ?? 32_768;
      if (p % perModel === 0) emit("model.started", { modelKey, declared });
      const context = Math.max(2048, Math.round(declared / 2 ** (p % perModel)) - Math.floor(random() * 512));
      const roll = random();
      const outcome = roll < 0.7 ? "pass" : roll < 0.93 ? "fail" : roll < 0.99 ? "error" : "cancelled";
      const error = outcome === "pass" ? null : pick(ERRORS);
      const loadMs = 1500 + Math.floor(random() * 25_000);
      const startedAt = t;
      t += loadMs + 800 + Math.floor(random() * 4000);
      probeId++;
      const kind = p % perModel === perModel - 1 ? "effective" : "loadable";
      const gen = outcome === "pass" ? Math.round((10 + random() * 80) * 10) / 10 : null;
      await probes.add([
        probeId,
        r,
        modelId,
        context,
        outcome === "pass" ? context : null,
        1,
        kind,
        outcome,
        error?.[0] ?? null,
        error?.[1] ?? null,
        PROMPT,
        outcome === "pass" ? REPLY : null,
        loadMs,
        outcome === "pass" ? 200 + Math.floor(random() * 3000) : null,
        outcome === "pass" ? 40 + Math.floor(random() * 20) : null,
        outcome === "pass" ? Math.round(random() * 2000) : null,
        gen,
        isoTime(startedAt),
        isoTime(t),
      ]);
      emit("probe.started", { probeId, modelKey, context, stallMs: 60_000 });
      emit("probe.finished", {
        probeId,
        modelKey,
        context,
        applied: outcome === "pass" ? context : null,
        outcome,
        errorCategory: error?.[0] ?? null,
        errorMessage: error?.[1] ?? null,
        reply: outcome === "pass" ? REPLY : null,
        loadMs,
        genTokensPerSec: gen,
        kind,
        prompt: PROMPT,
        expectedAnswer: null,
      });
      if (p % perModel === perModel - 1 || p === runProbes - 1) {
        emit("model.finished", {
          modelKey,
          status: "completed",
          limit: context,
          declared,
          reason: "bracketed to within 1 % of the limit",
          errorCategory: null,
        });
      }
    }
    // The rest of the run's events are load progress (ten steps a load) and the odd warning or log.
    const fixed = eventRows.length + 1;
    const progress: [string, string, number][] = [];
    for (let i = 0; i < runEvents - fixed; i++) {
      if (i % 25 === 24) {
        progress.push(
          row(
            "warning",
            {
              modelKey: "model-1",
              context: 65_536,
              level: "medium",
              message: "65,536 is 92% of the last known bad size 71,200",
            },
            createdMs,
          ),
        );
      } else {
        progress.push(
          row(
            "probe.loadProgress",
            { probeId: probeId - (i % Math.max(1, runProbes)), modelKey: "model-1", progress: (i % 10) / 10 },
            createdMs,
          ),
        );
      }
    }
    // Interleave: progress events after each probe.started, in order.
    const all: [string, string, number][] = [];
    const perStart = Math.ceil(progress.length / Math.max(1, runProbes));
    let k = 0;
    for (const row of eventRows) {
      all.push(row);
      if (row[0] === "probe.started") {
        for (let j = 0; j < perStart && k < progress.length; j++, k++) {
          const next = progress[k] as [string, string, number];
          all.push([next[0], next[1], row[2] + 100 * (j + 1)]);
        }
      }
    }
    while (k < progress.length) all.push(progress[k++] as [string, string, number]);
    all.push(row("run.finished", { status, message: status === "completed" ? null : "Stopped" }, t));
    for (const [type, payload, at] of all) {
      eventId++;
      await events.add([eventId, r, type, payload, isoTime(at)]);
    }
    await runs.add([
      r,
      hostId,
      status,
      mode,
      JSON.stringify({ modelKeys: [] }),
      r % 3 === 0 ? "cli" : "web",
      status === "completed" ? null : "Stopped",
      isoTime(createdMs),
      isoTime(createdMs + 1000),
      isoTime(t),
    ]);
    // Runs must exist before their probes and events (foreign keys are off here, but keep the order honest).
    if (r % 200 === 0) {
      await runs.flush();
      await probes.flush();
      await events.flush();
      await client.execute("COMMIT");
      await client.execute("BEGIN");
    }
  }
  await runs.flush();
  await probes.flush();
  await events.flush();
  return { runs, probes, events };
}
