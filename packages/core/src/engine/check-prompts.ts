/** lmstrix's two check prompts; a probe passes when either reply contains its number. */
export const CHECK_PROMPTS = [
  { prompt: "Write 'ninety-six' as a number using only digits", expected: 96 },
  { prompt: "2+3=", expected: 5 },
] as const;

export type CheckPrompt = (typeof CHECK_PROMPTS)[number];

/** Settings for the check replies: short and nearly deterministic, as in lmstrix. */
export const CHECK_MAX_TOKENS = 16;
export const CHECK_TEMPERATURE = 0.1;

/**
 * Whether `reply` contains `expected` as a whole number: "5", "= 5." and "The answer is 5" pass; "15", "5.5",
 * "50" and "1,500" do not (lmstrix's bare substring test let "15" pass for 5).
 */
export function containsWholeNumber(reply: string, expected: number): boolean {
  const pattern = new RegExp(`(?<![\\d.,])${expected}(?![\\d]|[.,]\\d)`);
  return pattern.test(reply);
}
