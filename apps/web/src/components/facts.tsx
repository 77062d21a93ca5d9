import type { ReactNode } from "react";

/** Term, value and an optional class for the value. */
export type Fact = [term: string, value: string, className?: string];

/** Terms and their values in two columns; `testIds` marks values by term. */
export function FactList({
  facts,
  testIds = {},
}: {
  facts: readonly Fact[];
  testIds?: Record<string, string>;
}) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
      {facts.map(([term, value, className = ""]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-slate-600">{term}</dt>
          <dd className={`min-w-0 break-words ${className}`} data-testid={testIds[term]}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A row of figures, each with its name above it. */
export function StatGrid({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <dl data-testid={testId} className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
      {children}
    </dl>
  );
}

export function Stat({
  term,
  value,
  note,
  swatch,
  className = "font-semibold tabular-nums",
  testId,
  noteTestId,
}: {
  term: string;
  value: ReactNode;
  note?: string;
  /** The colour that stands for this figure in a chart beside it. */
  swatch?: string;
  className?: string;
  testId?: string;
  noteTestId?: string;
}) {
  return (
    <div>
      <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-600">
        {swatch ? <span aria-hidden="true" className={`inline-block size-2.5 rounded-sm ${swatch}`} /> : null}
        {term}
      </dt>
      <dd className={className} data-testid={testId}>
        {value}
      </dd>
      {note ? (
        <dd className="text-xs text-slate-500" data-testid={noteTestId}>
          {note}
        </dd>
      ) : null}
    </div>
  );
}
