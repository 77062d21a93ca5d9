/**
 * A result measured under another LM Studio version or model file than the host has now: marked, with why
 * (core's `describeStaleReason` texts), so nobody trusts it blindly. "Re-test stale" measures it again.
 */
export function StaleBadge({ reasons }: { reasons: readonly string[] }) {
  const why = reasons.join("; ");
  return (
    <span className="mt-1 flex flex-col gap-0.5" data-testid="stale-badge">
      <span
        className="inline-block w-fit rounded bg-amber-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900"
        title={`Measured under other conditions: ${why}`}
      >
        Stale
      </span>
      <span className="text-xs text-amber-900">{why}</span>
    </span>
  );
}
