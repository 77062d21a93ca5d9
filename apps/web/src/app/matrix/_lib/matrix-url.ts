import { MAX_CONTEXT, typedTokensPerSecSchema } from "@lmstrix/core";
import { positiveIntegerParam } from "../../../lib/query-params";

export const FIT_TYPES = ["all", "llm", "embedding"] as const;
export type FitType = (typeof FIT_TYPES)[number];

/** The matrix page's finder, kept in its URL (`?tokens=32000&tps=10&type=llm`); no tokens: nothing asked. */
export interface FinderView {
  tokens: number | null;
  /** Tokens/s asked for; null: any speed. */
  minTps: number | null;
  type: FitType;
}

export const NO_FINDER: FinderView = { tokens: null, minTps: null, type: "all" };

function speedParam(value: string | null): number | null {
  const speed = value === null ? null : typedTokensPerSecSchema.safeParse(value);
  return speed?.success && speed.data > 0 ? speed.data : null;
}

/** Reads the finder from a query; anything unknown or out of range is left out. */
export function parseFinderView(params: URLSearchParams): FinderView {
  const tokens = positiveIntegerParam(params.get("tokens"));
  const type = FIT_TYPES.find((candidate) => candidate === params.get("type")) ?? NO_FINDER.type;
  return {
    tokens: tokens !== null && tokens <= MAX_CONTEXT ? tokens : null,
    minTps: speedParam(params.get("tps")),
    type,
  };
}

/** The query of a finder view, without the values that are the default. */
export function finderViewParams(view: FinderView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.tokens !== null) params.set("tokens", String(view.tokens));
  if (view.minTps !== null) params.set("tps", String(view.minTps));
  if (view.type !== "all") params.set("type", view.type);
  return params;
}
