import { Stat, StatGrid } from "~/components/facts";
import { Card } from "~/components/page-header";
import { InlineError } from "~/components/query-state";
import { formatCount, formatDuration, formatTokensPerSecond } from "~/lib/format";
import type { PlaygroundOutput } from "../_lib/playground-state";

export function PlaygroundOutputView({ output }: { output: PlaygroundOutput }) {
  const isStreaming = output.phase === "streaming";
  return (
    <Card title="Answer">
      {output.phase === "idle" ? (
        <p className="text-sm text-slate-500">The answer streams here, with the load and speed figures.</p>
      ) : (
        <div className="flex flex-col gap-3">
          {output.statuses.length > 0 ? (
            <ul aria-label="Status" className="flex flex-col gap-0.5 text-xs text-slate-600">
              {output.statuses.map((status, index) => (
                // Status lines only ever append, so their position is their identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
                <li key={index}>{status}</li>
              ))}
            </ul>
          ) : null}
          <div
            data-testid="playground-answer"
            aria-live="polite"
            aria-busy={isStreaming}
            className="min-h-24 rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-sm whitespace-pre-wrap"
          >
            {output.answer}
            {isStreaming ? <span className="animate-pulse text-slate-400">▍</span> : null}
            {!isStreaming && output.answer === "" && output.phase !== "error" ? (
              <span className="text-slate-400">(no text)</span>
            ) : null}
          </div>
          {output.phase === "error" ? <InlineError error={output.error} /> : null}
          {output.phase === "stopped" ? <p className="text-sm text-slate-600">Stopped.</p> : null}
          {output.result ? <Stats result={output.result} /> : null}
        </div>
      )}
    </Card>
  );
}

/** LM Studio's stop reasons in words; one it adds later is shown as it comes. */
const STOP_REASONS: Record<string, string> = {
  eosFound: "the model ended its answer",
  maxPredictedTokensReached: "the token limit was reached",
  userStopped: "stopped",
  stopStringFound: "a stop string was found",
};

function Stats({ result }: { result: NonNullable<PlaygroundOutput["result"]> }) {
  const { stats } = result;
  const figures: [string, string][] = [
    ["Time to first token", formatDuration(stats.timeToFirstTokenMs)],
    ["Speed", formatTokensPerSecond(stats.tokensPerSecond)],
    ["Tokens", `${formatCount(stats.promptTokens)} in · ${formatCount(stats.predictedTokens)} out`],
    ["Applied context", formatCount(result.appliedContext)],
    ["Load time", formatDuration(result.loadMs)],
    ["Stop reason", STOP_REASONS[stats.stopReason] ?? stats.stopReason],
  ];
  return (
    <StatGrid testId="playground-stats">
      {figures.map(([term, value]) => (
        <Stat key={term} term={term} value={value} />
      ))}
    </StatGrid>
  );
}
