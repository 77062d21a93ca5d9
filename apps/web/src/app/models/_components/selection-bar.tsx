import Link from "next/link";
import { useId } from "react";
import { Button, buttonClassName } from "~/components/button";
import { compareCountProblem, compareHref } from "../../compare/_lib/compare-url";

export function SelectionBar({
  selectedIds,
  onTest,
  onClear,
}: {
  /** The selected models' ids, by host then key. */
  selectedIds: readonly number[];
  onTest: () => void;
  onClear: () => void;
}) {
  const count = selectedIds.length;
  const compareProblem = compareCountProblem(count, "selected");
  const reasonId = useId();
  return (
    <div
      className={`flex flex-wrap items-center gap-3 rounded-lg border px-3 py-2 text-sm ${
        count > 0 ? "border-sky-200 bg-sky-50" : "border-transparent text-slate-500"
      }`}
    >
      <span aria-live="polite">
        {count === 0 ? "Select LLMs with the checkboxes to test or compare them." : `${count} selected`}
      </span>
      <Button size="sm" variant="primary" onClick={onTest} disabled={count === 0}>
        Test selected
      </Button>
      {compareProblem === null ? (
        <Link href={compareHref(selectedIds)} className={buttonClassName("secondary", "sm")}>
          Compare
        </Link>
      ) : (
        <>
          <Button size="sm" disabled aria-describedby={reasonId} title={compareProblem}>
            Compare
          </Button>
          {count > 0 ? (
            <span id={reasonId} className="text-xs text-slate-600">
              {compareProblem}
            </span>
          ) : (
            <span id={reasonId} className="sr-only">
              {compareProblem}
            </span>
          )}
        </>
      )}
      {count > 0 ? (
        <Button size="sm" variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      ) : null}
    </div>
  );
}
