/** Filled probes as the effective plan reads them, for tests of the plan and of the fitted curve. */
import { FILLED_CHECK_DEPTHS } from "../effective/needles";
import type { FilledSample } from "../engine/effective-plan";

export const FILLED_NEEDLES = FILLED_CHECK_DEPTHS.length;

/** The filled prompt's tokens in a window of `context`: the window less the answers' reserve. */
export const promptOf = (context: number) => context - 128 - Math.ceil(context * 0.02);

export const filledSample = (
  context: number,
  recalled: number,
  extra: Partial<FilledSample> = {},
): FilledSample => ({
  context,
  promptTokens: promptOf(context),
  recalled,
  needles: FILLED_NEEDLES,
  isHardFailure: false,
  ...extra,
});
