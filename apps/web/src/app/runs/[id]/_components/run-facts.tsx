"use client";

import { type Fact, FactList } from "~/components/facts";
import { useNow } from "~/components/use-now";
import { formatCount, formatDateTime, formatDuration, formatSpan } from "~/lib/format";
import { isRunActive } from "~/lib/status";
import { type RunProgress, stoppedTime } from "../_lib/run-progress";

interface RunRow {
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  host: { name: string; url: string };
  options: {
    modelKeys: string[];
    threshold: number;
    fixedContext?: number;
    precision?: number;
    reset: boolean;
  };
}

/** The run's length; for a run that was interrupted, also the part it spent working. */
function durationText(run: RunRow, progress: RunProgress, now: Date): string {
  const total = formatSpan(run.startedAt, run.finishedAt, now);
  const stopped = stoppedTime(progress, now);
  if (!run.startedAt || stopped === 0) return total;
  const active = (run.finishedAt ?? now).getTime() - run.startedAt.getTime() - stopped;
  return `${total} (${formatDuration(Math.max(0, active))} active, ${formatDuration(stopped)} stopped)`;
}

export function RunFacts({ run, status, progress }: { run: RunRow; status: string; progress: RunProgress }) {
  const isActive = isRunActive(status);
  const now = useNow(isActive && run.startedAt !== null);
  const { options } = run;
  const facts: Fact[] = [
    ["Host", `${run.host.name} (${run.host.url})`],
    ["Models", options.modelKeys.length > 0 ? options.modelKeys.join(", ") : "all untested LLMs"],
    ["Threshold", formatCount(options.threshold)],
    ["Fixed context", formatCount(options.fixedContext)],
    ["Precision", options.precision ? formatCount(options.precision) : "default"],
    ["Reset", options.reset ? "yes" : "no"],
    ["Created", formatDateTime(run.createdAt)],
    ["Started", formatDateTime(run.startedAt)],
    ["Finished", formatDateTime(run.finishedAt)],
    ["Duration", durationText(run, progress, now)],
  ];
  return <FactList facts={facts} testIds={{ Duration: "run-duration" }} />;
}
