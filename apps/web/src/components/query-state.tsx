import type { ReactNode } from "react";

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="py-8 text-slate-500">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, error }: { what: string; error: { message: string } }) {
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-red-800">
      Could not load {what}: {error.message}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded border border-dashed border-slate-300 bg-white p-8 text-slate-700">
      <h2 className="mb-2 text-lg font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}
