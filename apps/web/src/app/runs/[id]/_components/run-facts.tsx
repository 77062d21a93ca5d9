"use client";

import { type Fact, FactList } from "~/components/facts";
import { useNow } from "~/components/use-now";
import { formatDateTime, formatDuration, formatSpan } from "~/lib/format";
import { isRunActive } from "~/lib/status";
import { runOptionFacts } from "../_lib/run-option-facts";
import { type RunProgress, stoppedTime } from "../_lib/run-progress";

interface RunRow {
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  startedBy: string;
  host: { name: string; url: string };
  options: Parameters<typeof runOptionFacts>[0];
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
  const facts: Fact[] = [
    ["Host", `${run.host.name} (${run.host.url})`],
    ["Started by", run.startedBy],
    ...runOptionFacts(run.options),
    ["Created", formatDateTime(run.createdAt)],
    ["Started", formatDateTime(run.startedAt)],
    ["Finished", formatDateTime(run.finishedAt)],
    ["Duration", durationText(run, progress, now)],
  ];
  return (
    <FactList
      facts={facts}
      testIds={{
        Duration: "run-duration",
        "Started by": "run-started-by",
        Strategy: "run-strategy",
        "Effective check": "run-effective",
        "Recall threshold": "run-recall",
      }}
    />
  );
}
