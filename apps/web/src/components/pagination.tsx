import { formatCount } from "~/lib/format";
import { Button } from "./button";

export function Pagination({
  page,
  pageCount,
  start,
  shown,
  total,
  what,
  onPage,
}: {
  page: number;
  pageCount: number;
  start: number;
  shown: number;
  total: number;
  what: string;
  onPage: (page: number) => void;
}) {
  const range = total === 0 ? "0" : `${formatCount(start + 1)}–${formatCount(start + shown)}`;
  return (
    <nav
      aria-label={`${what} pages`}
      className="flex flex-wrap items-center justify-between gap-2 px-1 py-2 text-sm text-slate-600"
    >
      <p aria-live="polite">
        {range} of {formatCount(total)} {what}
      </p>
      {pageCount > 1 ? (
        <div className="flex items-center gap-1">
          <Button size="sm" onClick={() => onPage(1)} disabled={page <= 1} aria-label="First page">
            «
          </Button>
          <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
            ‹ Previous
          </Button>
          <span className="px-2 tabular-nums">
            Page {page} of {pageCount}
          </span>
          <Button
            size="sm"
            onClick={() => onPage(page + 1)}
            disabled={page >= pageCount}
            aria-label="Next page"
          >
            Next ›
          </Button>
          <Button
            size="sm"
            onClick={() => onPage(pageCount)}
            disabled={page >= pageCount}
            aria-label="Last page"
          >
            »
          </Button>
        </div>
      ) : null}
    </nav>
  );
}
