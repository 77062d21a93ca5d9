import Link from "next/link";
import type { ReactNode } from "react";
import { describeError } from "~/lib/errors";
import { PageHeader } from "./page-header";

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="py-8 text-slate-500">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, error }: { what: string; error: unknown }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-800">
      Could not load {what}: {describeError(error)}
    </div>
  );
}

/** A detail page that could not load: the error, and the way back to its list. */
export function DetailLoadError({
  title,
  what,
  error,
  back,
}: {
  title: string;
  what: string;
  error: unknown;
  back: { href: string; label: string };
}) {
  return (
    <DetailProblem title={title} back={back}>
      <LoadError what={what} error={error} />
    </DetailProblem>
  );
}

/** A detail page with nothing to show but what went wrong (`children`), and the way back to its list. */
export function DetailProblem({
  title,
  back,
  children,
}: {
  title: string;
  back: { href: string; label: string };
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} />
      {children}
      <p className="mt-4">
        <Link href={back.href} className="text-sky-800 underline">
          {back.label}
        </Link>
      </p>
    </>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-slate-700">
      <h2 className="mb-2 text-lg font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

/** An error from an action (not a page load), shown where the action was taken. */
export function InlineError({ error, className = "" }: { error: unknown; className?: string }) {
  if (!error) return null;
  return (
    <p
      role="alert"
      className={`rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 ${className}`}
    >
      {describeError(error)}
    </p>
  );
}
