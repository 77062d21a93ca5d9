import { Button } from "~/components/button";

export function SelectionBar({
  count,
  onTest,
  onClear,
}: {
  count: number;
  onTest: () => void;
  onClear: () => void;
}) {
  return (
    <div
      className={`flex flex-wrap items-center gap-3 rounded-lg border px-3 py-2 text-sm ${
        count > 0 ? "border-sky-200 bg-sky-50" : "border-transparent text-slate-500"
      }`}
    >
      <span aria-live="polite">
        {count === 0 ? "Select LLMs with the checkboxes to test them." : `${count} selected`}
      </span>
      <Button size="sm" variant="primary" onClick={onTest} disabled={count === 0}>
        Test selected
      </Button>
      {count > 0 ? (
        <Button size="sm" variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      ) : null}
    </div>
  );
}
