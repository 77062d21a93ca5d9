"use client";

import { useNow } from "~/components/use-now";
import { formatCount, formatDateTime, formatSpan } from "~/lib/format";
import { isRunActive } from "~/lib/status";

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

export function RunFacts({ run, status }: { run: RunRow; status: string }) {
  const isActive = isRunActive(status);
  const now = useNow(isActive && run.startedAt !== null);
  const { options } = run;
  const facts: [string, string][] = [
    ["Host", `${run.host.name} (${run.host.url})`],
    ["Models", options.modelKeys.length > 0 ? options.modelKeys.join(", ") : "all untested LLMs"],
    ["Threshold", formatCount(options.threshold)],
    ["Fixed context", formatCount(options.fixedContext)],
    ["Precision", options.precision ? formatCount(options.precision) : "default"],
    ["Reset", options.reset ? "yes" : "no"],
    ["Created", formatDateTime(run.createdAt)],
    ["Started", formatDateTime(run.startedAt)],
    ["Finished", formatDateTime(run.finishedAt)],
    ["Duration", formatSpan(run.startedAt, run.finishedAt, now)],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-slate-600">{term}</dt>
          <dd className="min-w-0 break-words" data-testid={term === "Duration" ? "run-duration" : undefined}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
