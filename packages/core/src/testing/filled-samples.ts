/** Filled probes as the effective plan reads them, for tests of the plan and of the fitted curve. */
import { answerReserve, MIN_NEEDLES } from "../effective/needles";
import type { FilledSample } from "../engine/effective-plan";

/** Needles of a sample: the smallest check's count (the plan reads each sample's own count). */
export const FILLED_NEEDLES = MIN_NEEDLES;

/** The filled prompt's tokens in a window of `context`: the window less the answers' reserve. */
export const promptOf = (context: number) => context - answerReserve(context);

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
