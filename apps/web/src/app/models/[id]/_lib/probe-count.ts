import { formatCount } from "../../../../lib/format";

/**
 * The Probes card's title. The page gets only a model's newest probes (PROBE_HISTORY_LIMIT), so when there are
 * more the title says how many are listed of how many the model really has.
 */
export function probesTitle(listed: number, total: number): string {
  if (listed >= total) return `Probes (${formatCount(listed)})`;
  return `Probes (newest ${formatCount(listed)} of ${formatCount(total)} probes)`;
}
