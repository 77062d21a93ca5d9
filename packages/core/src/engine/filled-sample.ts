/**
 * A stored filled probe as the effective search reads it, and the recall curve the search fits through a run's
 * probes: one reading, so that the Model page draws the curve the limit was read off.
 */
import { answerReserve, needleCount } from "../effective";
import type { ProbeRecord } from "../ports/store";
import { fitSamples } from "./effective-fit";
import type { FilledSample } from "./effective-plan";
import type { RecallFit } from "./recall-fit";

/** What a stored probe says of a filled check. */
export type FilledProbeFigures = Pick<
  ProbeRecord,
  | "outcome"
  | "contextRequested"
  | "contextApplied"
  | "expectedAnswer"
  | "promptTokensSent"
  | "promptTokens"
  | "recall"
  | "isTruncated"
>;

/** A finished filled probe as the plan reads it; null for one that proved nothing (cancelled, open). */
export function sampleOf(probe: FilledProbeFigures): FilledSample | null {
  if (probe.outcome !== "pass" && probe.outcome !== "fail") return null;
  // One expected code per needle; probes whose check was never asked count as the standard check.
  const window = probe.contextApplied ?? probe.contextRequested;
  const needles = probe.expectedAnswer ? probe.expectedAnswer.split("\n").length : needleCount(window);
  const sent = probe.promptTokensSent ?? window - answerReserve(window);
  return {
    context: probe.contextRequested,
    // Never more than LM Studio reported processing.
    promptTokens: Math.min(sent, probe.promptTokens ?? sent),
    recalled: Math.round((probe.recall ?? 0) * needles),
    needles,
    // A cut prompt, or a check that could not be asked: no recall can make this size a pass.
    isHardFailure: probe.recall === null || probe.isTruncated === true,
  };
}

/**
 * The recall curve fitted through one run's filled probes of one model, as the search fitted it (null where
 * the probes cannot shape one: too few sizes, a cliff, a flat plateau).
 */
export function recallFitOf(probes: readonly FilledProbeFigures[], threshold: number): RecallFit | null {
  return fitSamples(
    probes.map(sampleOf).filter((sample) => sample !== null),
    threshold,
  );
}
