import { CHECK_PROMPTS } from "@lmstrix/core";

/** One question a probe asked the loaded model, and the answer it expected (null when not known). */
export interface AskedQuestion {
  question: string;
  expected: string | null;
}

export interface ProbeQuestions {
  /** What the check was: a short check (lmstrix's prompts) or a filled window (needles in a full context). */
  check: "short" | "filled";
  /** A filled check's description of its prompt ("Filled prompt of 15,900 tokens: 5 needles (…)"). */
  description: string | null;
  questions: AskedQuestion[];
}

/** The words for the two kinds of check, the same in the Run page's log, the probe table and the speed chart. */
export const CHECK_LABELS: Record<ProbeQuestions["check"], string> = {
  short: "Short check",
  filled: "Filled window",
};

const SHORT_CHECK_ANSWERS = new Map<string, string>(
  CHECK_PROMPTS.map((check) => [check.prompt, String(check.expected)]),
);

/**
 * A probe's questions with their expected answers, from its stored `prompt` (one question per line; a filled
 * check starts with a line describing the prompt) and `expectedAnswer` (one answer per question line). Probes
 * stored before the expected answer was kept still show lmstrix's two check prompts with their numbers.
 */
export function probeQuestions(
  kind: string,
  prompt: string | null,
  expectedAnswer: string | null,
): ProbeQuestions {
  const check = kind === "effective" ? "filled" : "short";
  const lines = prompt ? prompt.split("\n") : [];
  const description = check === "filled" && lines.length > 0 ? (lines.shift() ?? null) : null;
  const answers = expectedAnswer === null ? [] : expectedAnswer.split("\n");
  const questions = lines.map((question, index) => ({
    question,
    expected: answers[index] ?? (check === "short" ? (SHORT_CHECK_ANSWERS.get(question) ?? null) : null),
  }));
  return { check, description, questions };
}
