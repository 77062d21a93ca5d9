import { z } from "zod";
import { contextLengthSchema, modelTypeSchema } from "../domain/model";
import { plainDecimalSchema } from "../util/plain-decimal";
import {
  type FleetHost,
  type MeasuredFleet,
  servedLimit,
  speedForRequest,
  speedsByModel,
  staleDescriptions,
} from "./measured-fleet";

/** The most tokens/s a request can ask for (`fit --min-tps`, the finder). */
export const MAX_TOKENS_PER_SEC = 100_000;

const tokensPerSecSchema = z.number().finite().min(0).max(MAX_TOKENS_PER_SEC);

/** A speed as typed in the finder ("12", "7.25", ".5"): a plain decimal from 0 to `MAX_TOKENS_PER_SEC`. */
export const typedTokensPerSecSchema = plainDecimalSchema.pipe(tokensPerSecSchema);

/**
 * "What fits": which model on which host serves a request of `tokens` tokens of context at `minTokensPerSec`
 * or faster, by measurement only. A model fits when
 *  - its served limit is at least `tokens`: the effective limit where it was measured (the model still recalls
 *    from a full window that size), else the loadable limit (it loads at that size and answers a short check);
 *  - and, when a speed is asked for, a passing probe at a window of at least `tokens` generated at least that
 *    fast (`speedForRequest`: filled-window checks first; an unmeasured speed does not fit).
 */
export const fitQuerySchema = z.object({
  tokens: contextLengthSchema,
  /** Tokens/s the request needs generated; 0 (or absent): any speed, measured or not. */
  minTokensPerSec: tokensPerSecSchema.default(0),
  /** Only models of this type; absent: every type. */
  type: modelTypeSchema.optional(),
});
export type FitQuery = z.input<typeof fitQuerySchema>;

export interface FitResult {
  modelId: number;
  modelKey: string;
  displayName: string;
  type: string;
  hostId: number;
  hostName: string;
  /** The limit it was judged by, and which one that is. */
  limit: number;
  limitKind: "effective" | "loadable";
  declaredContext: number;
  /** The speed that counted (null: none measured at a window that large), and the window it was measured in. */
  genTokensPerSec: number | null;
  speedContext: number | null;
  speedKind: "filled" | "short" | null;
  /** The result was measured under another LM Studio version or file; empty when current. */
  stale: string[];
}

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * "Best first": current results before stale ones (a stale one may no longer hold); then the fastest measured
 * generation (unmeasured last), as speed is what a user waits on once the window fits; then the most headroom
 * (the larger limit); then by model key and host name, so the order is the same every time.
 */
export function compareFits(a: FitResult, b: FitResult): number {
  return (
    Number(a.stale.length > 0) - Number(b.stale.length > 0) ||
    (b.genTokensPerSec ?? -1) - (a.genTokensPerSec ?? -1) ||
    b.limit - a.limit ||
    binary(a.modelKey, b.modelKey) ||
    binary(a.hostName, b.hostName)
  );
}

/** The models that serve the request, best first (see `compareFits`). */
export function whatFits(fleet: MeasuredFleet, query: FitQuery): FitResult[] {
  const { tokens, minTokensPerSec, type } = fitQuerySchema.parse(query);
  const hosts = new Map<number, FleetHost>(fleet.hosts.map((host) => [host.id, host]));
  const speeds = speedsByModel(fleet.speeds);
  const fits: FitResult[] = [];
  for (const model of fleet.models) {
    const host = hosts.get(model.hostId);
    const limit = servedLimit(model);
    if (!host || limit === null || limit < tokens) continue;
    if (type !== undefined && model.type !== type) continue;
    const speed = speedForRequest(speeds.get(model.id) ?? [], tokens);
    if (minTokensPerSec > 0 && (speed === null || speed.genTokensPerSec < minTokensPerSec)) continue;
    fits.push({
      modelId: model.id,
      modelKey: model.modelKey,
      displayName: model.displayName,
      type: model.type,
      hostId: host.id,
      hostName: host.name,
      limit,
      limitKind: model.effectiveLimit !== null ? "effective" : "loadable",
      declaredContext: model.declaredContext,
      genTokensPerSec: speed?.genTokensPerSec ?? null,
      speedContext: speed?.context ?? null,
      speedKind: speed === null ? null : speed.kind === "effective" ? "filled" : "short",
      stale: staleDescriptions(model, host),
    });
  }
  return fits.sort(compareFits);
}
