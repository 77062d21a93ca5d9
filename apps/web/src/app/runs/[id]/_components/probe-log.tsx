import { CheckBadge, ProbeExchange } from "~/components/probe-questions";
import { OutcomeBadge } from "~/components/status-badge";
import { formatCount, formatDuration, formatRecall, formatTime, formatTokensPerSecond } from "~/lib/format";
import { probeQuestions } from "~/lib/probe-checks";
import { probeOutcomeTone } from "~/lib/status";
import type { ProbeLogEntry } from "../_lib/run-progress";

const BORDER: Record<string, string> = {
  pass: "border-l-emerald-500",
  fail: "border-l-red-500",
  other: "border-l-slate-300",
};

/** Every finished probe, newest first, as it happens: what it asked, what it expected, what came back. */
export function ProbeLog({ probes }: { probes: readonly ProbeLogEntry[] }) {
  if (probes.length === 0) return <p className="text-sm text-slate-500">No probe has finished yet.</p>;
  return (
    <ol aria-label="Probe log, newest first" className="flex flex-col gap-1.5" reversed>
      {[...probes].reverse().map((probe) => {
        const asked = probeQuestions(probe.kind, probe.prompt, probe.expectedAnswer);
        return (
          <li
            key={probe.probeId}
            data-testid="probe-log-entry"
            className={`rounded-md border border-l-4 border-slate-200 px-3 py-2 text-sm ${BORDER[probeOutcomeTone(probe.outcome)]}`}
          >
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <OutcomeBadge outcome={probe.outcome} />
              <span className="font-semibold tabular-nums">{formatCount(probe.context)} tokens</span>
              <CheckBadge check={asked.check} />
              <span className="font-mono text-xs break-all text-slate-600">{probe.modelKey}</span>
              <time className="ml-auto text-xs text-slate-500 tabular-nums" dateTime={probe.at.toISOString()}>
                {formatTime(probe.at)}
              </time>
            </div>
            <div className="mt-1 flex flex-wrap gap-x-4 text-xs text-slate-600">
              {probe.applied !== null && probe.applied !== probe.context ? (
                <span>applied {formatCount(probe.applied)}</span>
              ) : null}
              {probe.loadMs !== null ? <span>load {formatDuration(probe.loadMs)}</span> : null}
              {probe.genTokensPerSec !== null ? (
                <span>{formatTokensPerSecond(probe.genTokensPerSec)}</span>
              ) : null}
              {probe.recall !== null ? <span>recall {formatRecall(probe.recall)}</span> : null}
              {probe.promptTokensSent !== null ? (
                <span>{formatCount(probe.promptTokensSent)} prompt tokens sent</span>
              ) : null}
              {probe.isTruncated ? (
                <span className="font-medium text-amber-800">truncated by LM Studio</span>
              ) : null}
              {probe.errorCategory ? (
                <span className="text-red-800">
                  <span className="font-mono">{probe.errorCategory}</span>
                  {probe.errorMessage ? `: ${probe.errorMessage}` : ""}
                </span>
              ) : null}
            </div>
            <div className="mt-1">
              <ProbeExchange asked={asked} reply={probe.reply} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
