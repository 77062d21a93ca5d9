import { plural, warningSubject } from "@lmstrix/core";
import { formatTime } from "~/lib/format";
import type { RunMessage } from "../_lib/run-progress";

/** Warnings stand out; log lines stay quiet. Oldest first, like a log. */
export function RunMessages({ messages }: { messages: readonly RunMessage[] }) {
  if (messages.length === 0) return <p className="text-sm text-slate-500">Nothing to report yet.</p>;
  const warnings = messages.filter((message) => message.kind === "warning").length;
  return (
    <>
      {warnings > 0 ? (
        <p className="mb-2 text-sm font-medium text-amber-900">{plural(warnings, "warning")}</p>
      ) : null}
      <ul className="flex max-h-96 flex-col gap-1 overflow-y-auto text-sm">
        {messages.map((message) => (
          <li
            key={message.id}
            data-testid={message.kind === "warning" ? "run-warning" : "run-log"}
            className={
              message.kind === "warning"
                ? `rounded border px-2 py-1 ${message.level === "high" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`
                : "px-2 py-0.5 text-slate-600"
            }
          >
            <time className="mr-2 text-xs tabular-nums opacity-70">{formatTime(message.at)}</time>
            {message.kind === "warning" ? <strong className="mr-1">Warning:</strong> : null}
            <MessageSubject message={message} />
            {message.message}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Which model, and for a warning which size, a message is about (a run tests many), unless it says so itself. */
function MessageSubject({ message }: { message: RunMessage }) {
  const subject = warningSubject({
    message: message.message,
    modelKey: message.modelKey ?? undefined,
    context: message.context ?? undefined,
  });
  if (subject === null) return null;
  return (
    <span className="mr-1 font-mono" data-testid="run-message-subject">
      {subject}:
    </span>
  );
}
