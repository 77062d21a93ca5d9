"use client";

import { type Fact, FactList } from "~/components/facts";
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
    ["Duration", formatSpan(run.startedAt, run.finishedAt, now)],
  ];
  return <FactList facts={facts} testIds={{ Duration: "run-duration" }} />;
}
