import { Stat, StatGrid } from "~/components/facts";
import { formatCount } from "~/lib/format";
import type { RunProgress } from "../_lib/run-progress";

/** The live part of a running run: which model, which size, how far the load is. */
export function CurrentActivity({ progress, status }: { progress: RunProgress; status: string }) {
  const done = progress.models.filter((model) => model.status !== "testing").length;
  const planned = progress.plannedModels?.length ?? null;
  const probe = progress.currentProbe;
  const percent = Math.round((probe?.progress ?? 0) * 100);

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
        <Stat
          term="Current model"
          value={progress.currentModel ?? (status === "queued" ? "waiting for the host" : "-")}
          className="font-mono text-xs font-semibold break-all"
          testId="current-model"
        />
        <Stat
          term="Current probe"
          value={probe ? `${formatCount(probe.context)} tokens` : "-"}
          testId="current-probe"
        />
        <Stat term="Models done" value={planned !== null ? `${done} of ${planned}` : done} />
      </StatGrid>
      <div>
        <div className="mb-1 flex justify-between text-xs text-slate-600">
          <span id="load-progress-label">
            {probe
              ? `Loading ${probe.modelKey} at ${formatCount(probe.context)} tokens`
              : status === "queued"
                ? "Not started"
                : progress.hostWait
                  ? "Waiting for LM Studio"
                  : "Between probes"}
          </span>
          <span className="tabular-nums">
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
      </div>
    </div>
  );
}
