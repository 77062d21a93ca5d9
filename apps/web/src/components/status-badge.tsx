const LABELS: Record<string, { text: string; className: string }> = {
  untested: { text: "Untested", className: "bg-slate-100 text-slate-700" },
  testing: { text: "Testing…", className: "bg-amber-100 text-amber-800" },
  completed: { text: "✓ Tested", className: "bg-emerald-100 text-emerald-800" },
  failed: { text: "✗ Failed", className: "bg-red-100 text-red-800" },
};

export function StatusBadge({ status }: { status: string }) {
  const label = LABELS[status] ?? { text: status, className: "bg-slate-100 text-slate-700" };
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${label.className}`}>
      {label.text}
    </span>
  );
}
