"use client";

import { describeTimeLeft, estimateTimeLeft, seconds } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import { Stat, StatGrid } from "~/components/facts";
import { useNow } from "~/components/use-now";
import { formatCount, formatDuration } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { liveProbeFacts } from "../_lib/live-probe";
import type { CurrentProbe, RunProgress } from "../_lib/run-progress";
import { SkipModelButton } from "./skip-model-button";

const NO_HOST_TIMINGS = { probeMs: null, probesPerModel: null };

/** The live part of a running run: which model, which size, how far the load is, how long the rest takes. */
export function CurrentActivity({
  progress,
  status,
  runId,
  cooldownMs,
}: {
  progress: RunProgress;
  status: string;
  runId: number;
  cooldownMs: number;
}) {
  const trpc = useTRPC();
  const now = useNow(status === "running");
  const hostTimings = useQuery(trpc.run.hostTimings.queryOptions({ id: runId }, { staleTime: Infinity }));
  const done = progress.models.filter((model) => model.status !== "testing").length;
  const planned = progress.plannedModels?.length ?? null;
  const probe = progress.currentProbe;
  const percent = Math.round((probe?.progress ?? 0) * 100);
  const current = progress.currentModel;
  // lmstrix's pause between models (to let the GPU cool): the run is not stuck, it waits before the next one.
  const isBetweenModels =
    status === "running" && current === null && !probe && done > 0 && (planned === null || done < planned);
  const timeLeft = estimateTimeLeft(progress.timing, {
    host: hostTimings.data ?? NO_HOST_TIMINGS,
    cooldownMs,
    now,
  });

  return (
    <div className="flex flex-col gap-3">
      {progress.hostWait ? (
        <p
          role="alert"
          data-testid="host-wait"
          className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
        >
          {progress.hostWait.message}. The run goes on by itself when LM Studio answers again.
        </p>
      ) : null}
      <StatGrid>
        <div className="col-span-2 flex flex-wrap items-start justify-between gap-2 sm:col-span-1">
          <Stat
            term="Current model"
            value={current ?? (status === "queued" ? "waiting for the host" : "-")}
            className="font-mono text-xs font-semibold break-all"
            testId="current-model"
          />
          {current && status === "running" ? (
            <SkipModelButton
              runId={runId}
              modelKey={current}
              isAsked={progress.skipsAsked.includes(current)}
            />
          ) : null}
        </div>
        <Stat
          term="Current probe"
          value={probe ? `${formatCount(probe.context)} tokens` : "-"}
          testId="current-probe"
        />
        <Stat term="Models done" value={planned !== null ? `${done} of ${planned}` : done} />
        <Stat
          term="Time left"
          value={describeTimeLeft(timeLeft)}
          note={timeLeft ? `from ${timeLeft.basis}` : "until a model has finished"}
          testId="time-left"
        />
      </StatGrid>
      <div>
        <div className="mb-1 flex justify-between gap-2 text-xs text-slate-600">
          <span id="load-progress-label" className="min-w-0 break-all">
            {probe
              ? `Loading ${probe.modelKey} at ${formatCount(probe.context)} tokens`
              : status === "queued"
                ? "Not started"
                : progress.hostWait
                  ? "Waiting for LM Studio"
                  : isBetweenModels
                    ? `Pausing ${seconds(cooldownMs)} between models`
                    : "Between probes"}
          </span>
          <span className="tabular-nums whitespace-nowrap">
            {probe ? (percent >= 100 ? "loaded · checking answers" : `${percent}%`) : ""}
          </span>
        </div>
        <div
          role="progressbar"
          aria-labelledby="load-progress-label"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-2.5 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className="h-full rounded-full bg-sky-600 transition-[width] duration-300"
            style={{ width: `${percent}%` }}
          />
        </div>
        {probe ? <ProbeClock probe={probe} now={now} /> : null}
      </div>
    </div>
  );
}

/** A clock that ticks once a second reads in whole seconds ("0 s", "12 s", "3 min 12 s"), never "350 ms". */
function clockDuration(ms: number): string {
  return ms < 1_000 ? "0 s" : formatDuration(Math.floor(ms / 1_000) * 1_000);
}

/** "loading for 12 s · no progress for 8 s (given up as stalled at 60 s)", or "checking answers for 3 s". */
function ProbeClock({ probe, now }: { probe: CurrentProbe; now: Date }) {
  const facts = liveProbeFacts(probe, now);
  return (
    <p className="mt-1 flex flex-wrap gap-x-2 text-xs text-slate-600" data-testid="probe-clock">
      <span className="tabular-nums">
        {facts.phase === "loading" ? "loading" : "checking answers"} for {clockDuration(facts.elapsedMs)}
      </span>
      {facts.quietMs !== null ? (
        <span className="font-medium text-amber-800 tabular-nums" data-testid="load-quiet">
          · no progress for {formatCount(Math.floor(facts.quietMs / 1_000))} s
          {probe.stallMs ? ` (given up as stalled at ${seconds(probe.stallMs)})` : ""}
        </span>
      ) : null}
    </p>
  );
}
