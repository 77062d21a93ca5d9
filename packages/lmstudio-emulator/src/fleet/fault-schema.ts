import { z } from "zod";

/**
 * Fault flags without a parameter, written as a bare string in a model's `faults` array.
 * See README.md ("Faults") for what each one does.
 */
export const FLAG_FAULTS = [
  "memoryCacheNull",
  "notFoundOnUnload",
  "hangOnLoad",
  "slowPrediction",
  "ignoresRequestedContext",
  "autoFit",
  "noGuardrail",
] as const;

/** Faults that take a numeric parameter, written as a one-key object: `{ "crashAbove": 32768 }`. */
export const PARAMETRIC_FAULTS = [
  "crashAbove",
  "loadFailsAbove",
  "hangAbove",
  "silentReduce",
  "disconnectAfterLoads",
  "truncatePromptAbove",
  "slowPrediction",
  "roundContext",
  "ignoresRequestedContext",
  "spillToRam",
] as const;

/** A token count or a count of loads: named in the error, since a union otherwise only says "unknown fault". */
const positiveInt = z
  .number()
  .min(1)
  .refine(Number.isInteger, "must be a whole number (a count of tokens or loads)");

export const faultSchema = z.union(
  [
    z.enum(FLAG_FAULTS),
    z.strictObject({ crashAbove: positiveInt }),
    z.strictObject({ loadFailsAbove: positiveInt }),
    z.strictObject({ hangAbove: positiveInt }),
    z.strictObject({ silentReduce: positiveInt }),
    z.strictObject({ disconnectAfterLoads: positiveInt }),
    z.strictObject({ truncatePromptAbove: positiveInt }),
    // Factor by which predictions are slower (the bare string means 20×).
    z.strictObject({ slowPrediction: z.number().min(1) }),
    z.strictObject({ roundContext: positiveInt }),
    z.strictObject({ ignoresRequestedContext: positiveInt }),
    // Share of memory a load may reach by spilling into system RAM: 2 = up to twice the memory.
    z.strictObject({ spillToRam: z.number().gt(1, "spillToRam must be greater than 1 (× memory)") }),
  ],
  {
    error: () =>
      `unknown fault: use one of ${FLAG_FAULTS.map((f) => `"${f}"`).join(", ")} or a one-key object ` +
      `{${PARAMETRIC_FAULTS.map((f) => `"${f}": N`).join(" | ")}}`,
  },
);

export type FleetFault = z.infer<typeof faultSchema>;

/** The name of a fault, whether written as a flag or as a one-key object. */
export function faultName(fault: FleetFault): string {
  return typeof fault === "string" ? fault : (Object.keys(fault)[0] ?? "");
}

/**
 * Combinations that cannot mean anything: each is refused with the reason, rather than one of the two being
 * silently ignored. Returns one message per problem, with the index of the offending fault. (A fault given
 * twice is not one of them: the last one wins, as fleets that try both forms of a fault rely on.)
 */
export function faultCombinationProblems(
  faults: readonly FleetFault[],
): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const indexOf = (name: string) => {
    const index = faults.findIndex((fault) => faultName(fault) === name);
    return index === -1 ? undefined : index;
  };
  const spill = indexOf("spillToRam");
  if (spill !== undefined && indexOf("noGuardrail") === undefined) {
    problems.push({
      index: spill,
      message:
        'spillToRam needs "noGuardrail": with the guardrail on, a load above memory is refused before it can spill',
    });
  }
  const autoFit = indexOf("autoFit");
  if (autoFit !== undefined && indexOf("noGuardrail") !== undefined) {
    problems.push({
      index: autoFit,
      message: 'autoFit and "noGuardrail" exclude each other: autoFit never loads above memory',
    });
  }
  return problems;
}
