import { CHECK_LABELS, type ProbeQuestions } from "~/lib/probe-checks";

const CHECK_CLASSES: Record<ProbeQuestions["check"], string> = {
  short: "bg-slate-100 text-slate-700",
  filled: "bg-violet-100 text-violet-800",
};

/** Marks a probe as a short check or a filled-window check, in the same words on every page. */
export function CheckBadge({ check }: { check: ProbeQuestions["check"] }) {
  return (
    <span
      data-testid="probe-check"
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ${CHECK_CLASSES[check]}`}
    >
      {CHECK_LABELS[check]}
    </span>
  );
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

const NOT_RECORDED = "not recorded";

/**
 * Each question asked with the answer it expected, then the model's reply: what a pass or fail was judged on.
 * `isCompact` (a table cell): a filled check's needle questions in one line with their codes, the full
 * questions in the line's title.
 */
export function ProbeExchange({
  asked,
  reply,
  empty = null,
  isCompact = false,
}: {
  asked: ProbeQuestions;
  reply: string | null;
  /** What stands for a probe that asked nothing (its load failed). */
  empty?: string | null;
  isCompact?: boolean;
}) {
  if (asked.questions.length === 0 && !reply) return empty;
  const isFolded = isCompact && asked.check === "filled" && asked.questions.length > 1;
  return (
    <dl data-testid="probe-exchange" className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-2 text-xs">
      {asked.description && !isCompact ? (
        <>
          <dt className="text-slate-500">Prompt</dt>
          <dd>{asked.description}</dd>
        </>
      ) : null}
      {isFolded ? (
        <>
          <dt className="text-slate-500">Asked</dt>
          <dd className="break-words" title={asked.questions.map((item) => item.question).join("\n")}>
            {asked.questions.length} needle questions <span className="text-slate-500">expected</span>{" "}
            <strong className="font-mono" data-testid="probe-expected">
              {asked.questions.map((item) => item.expected ?? NOT_RECORDED).join(" ")}
            </strong>
          </dd>
        </>
      ) : (
        asked.questions.map((item) => (
          // No question is asked twice in one probe.
          <div key={item.question} className="contents" data-testid="probe-question">
            <dt className="text-slate-500">Asked</dt>
            <dd className="break-words">
              <q>{item.question}</q> <span className="text-slate-500">expected</span>{" "}
              <strong className="font-mono" data-testid="probe-expected">
                {item.expected ?? NOT_RECORDED}
              </strong>
            </dd>
          </div>
        ))
      )}
      {reply ? (
        <>
          <dt className="text-slate-500">Reply</dt>
          <dd className="break-words" data-testid="probe-reply">
            <q>{oneLine(reply)}</q>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
