import { tokens } from "@lmstrix/core";

/** The probe fields the derivation needs (a `model.get` probe). */
export interface FilledCheckProbe {
  id: number;
  runId: number;
  kind: string;
  outcome: string | null;
  contextRequested: number;
  contextApplied: number | null;
  promptTokens: number | null;
  promptTokensSent: number | null;
}

export interface EffectiveDerivation {
  text: string;
  probeId: number;
  runId: number;
}

/**
 * How the effective limit was found, from the passing filled-window check it came from. The engine credits
 * such a check with the prompt tokens it sent (never more than LM Studio said it processed) or, when it
 * passed at the loadable limit, with its whole window; the newest probe that gives the stored value is the
 * one that set it. `null` when no listed probe explains the value (imported, or older than the listed ones).
 */
export function effectiveDerivation(
  effectiveLimit: number | null,
  probes: readonly FilledCheckProbe[],
): EffectiveDerivation | null {
  if (effectiveLimit === null) return null;
  const passes = probes.filter((probe) => probe.kind === "effective" && probe.outcome === "pass").reverse();
  for (const probe of passes) {
    const window = probe.contextApplied ?? probe.contextRequested;
    const sent = probe.promptTokensSent;
    const used = sent === null ? null : Math.min(sent, probe.promptTokens ?? sent);
    if (used === effectiveLimit) {
      const text = `${tokens(used)} prompt tokens of the ${tokens(window)}-token window that passed`;
      return { text, probeId: probe.id, runId: probe.runId };
    }
    if (window === effectiveLimit) {
      const filled = used === null ? "" : ` (${tokens(used)} prompt tokens in it)`;
      const text = `the whole ${tokens(window)}-token window, which passed filled at the loadable limit${filled}`;
      return { text, probeId: probe.id, runId: probe.runId };
    }
  }
  return null;
}

/** The prompt tokens a filled check is credited with: what it sent, never more than LM Studio processed. */
function promptOf(probe: FilledCheckProbe): number | null {
  const sent = probe.promptTokensSent;
  return sent === null ? null : Math.min(sent, probe.promptTokens ?? sent);
}

/**
 * The largest prompt of a filled check of run `runId` that failed below the effective limit, or null. A limit
 * read off the fitted curve may lie above such a check: recall wavers from prompt to prompt, and the curve
 * weighs that one reading with every other. The page says so rather than leave it looking like a mistake.
 */
export function failedCheckBelow(
  effectiveLimit: number | null,
  probes: readonly FilledCheckProbe[],
  runId: number | undefined,
): number | null {
  if (effectiveLimit === null || runId === undefined) return null;
  const below = probes
    .filter((probe) => probe.kind === "effective" && probe.outcome === "fail" && probe.runId === runId)
    .map(promptOf)
    .filter((prompt): prompt is number => prompt !== null && prompt < effectiveLimit);
  return below.length > 0 ? Math.max(...below) : null;
}
