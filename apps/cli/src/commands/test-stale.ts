import {
  type RunMode,
  type RunOptions,
  type StaleRetestOptions,
  type Store,
  staleModels,
  staleRetestRequest,
} from "@lmstrix/core";
import type { TestCommand } from "../args";
import type { HostChoice } from "../hosts";

/**
 * `lmstrix test --stale`: the run over the host's models whose results are stale (core's rule, as the
 * dashboard's "Re-test stale"), with the options the command line gave; null when nothing is stale (or the
 * host was never measured).
 */
export async function staleRunRequest(
  store: Store | null,
  choice: HostChoice,
  command: TestCommand,
): Promise<{ mode: RunMode; options: RunOptions } | null> {
  if (!store || !("stored" in choice)) return null;
  const stale = staleModels(await store.listModels({ hostId: choice.stored.id }), choice.stored);
  if (stale.length === 0) return null;
  const overrides: StaleRetestOptions = {
    threshold: command.threshold,
    precision: command.precision,
    cooldownMs: command.cooldownMs,
    keepLoaded: command.keepLoaded,
    strategy: command.strategy,
    // Without --effective, the re-test measures the effective context again where a model had one.
    ...(command.effective && { effective: true }),
    ...(command.recallThreshold !== undefined && { recallThreshold: command.recallThreshold }),
  };
  return staleRetestRequest(stale, overrides);
}
