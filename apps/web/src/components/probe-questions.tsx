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
/** The codes a table cell shows of a filled check's (its title lists every question). */
const CODES_IN_A_CELL = 8;
/** More questions than this are listed behind a toggle. */
const FOLD_QUESTIONS_OVER = 16;

/**
 * Each question asked with the answer it expected, then the model's reply: what a pass or fail was judged on.
 * `isCompact` (a table cell): a filled check's needle questions in one line with their first codes, the full
 * questions in the line's title. In full, a filled check's many questions open on demand.
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
  // A filled check asks up to 256 questions: in full (the Run page's log) they open on demand.
  const isListFolded = asked.check === "filled" && asked.questions.length > FOLD_QUESTIONS_OVER;
  const questionRows = asked.questions.map((item) => (
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
  ));
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
              {asked.questions
                .slice(0, CODES_IN_A_CELL)
                .map((item) => item.expected ?? NOT_RECORDED)
                .join(" ")}
            </strong>
            {asked.questions.length > CODES_IN_A_CELL ? (
              <span className="text-slate-500"> and {asked.questions.length - CODES_IN_A_CELL} more</span>
            ) : null}
          </dd>
        </>
      ) : isListFolded ? (
        <>
          <dt className="text-slate-500">Asked</dt>
          <dd>
            <details data-testid="probe-questions">
              <summary className="cursor-pointer">
                {asked.questions.length} needle questions, each with its code
              </summary>
              <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-2">{questionRows}</dl>
            </details>
          </dd>
        </>
      ) : (
        questionRows
      )}
      {reply ? <ReplyRow reply={reply} isCompact={isCompact} /> : null}
    </dl>
  );
}

/**
 * The model's reply. A filled check's reply is a line per needle (up to 256): in a table cell its first lines,
 * the whole of it in the title; in full, it opens on demand, as the questions do.
 */
function ReplyRow({ reply, isCompact }: { reply: string; isCompact: boolean }) {
  const lines = reply.split("\n").filter((line) => line.trim() !== "");
  const isLong = lines.length > FOLD_QUESTIONS_OVER;
  return (
    <>
      <dt className="text-slate-500">Reply</dt>
      <dd className="break-words" data-testid="probe-reply">
        {!isLong ? (
          <q>{oneLine(reply)}</q>
        ) : isCompact ? (
          <span title={reply}>
            <q>{oneLine(lines.slice(0, CODES_IN_A_CELL).join(" "))}</q>
            <span className="text-slate-500"> and {lines.length - CODES_IN_A_CELL} more lines</span>
          </span>
        ) : (
          <details data-testid="probe-reply-lines">
            <summary className="cursor-pointer">{lines.length} lines in the reply</summary>
            <q>{oneLine(reply)}</q>
          </details>
        )}
      </dd>
    </>
  );
}
