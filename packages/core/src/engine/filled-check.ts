import {
  answerReserve,
  buildFilledPrompt,
  type FilledPrompt,
  filledMaxTokens,
  MIN_NEEDLES,
  makeNeedles,
  type Needle,
  needleCount,
  needleDepths,
  scoreRecall,
} from "../effective";
import { RuntimeError } from "../errors/runtime-error";
import { percent } from "../util/wording";
import type { ProbeCheck } from "./probe-runner";
import { tokens } from "./search";

export const FILLED_TEMPERATURE = 0;

/**
 * How the needles sit, for the probe's first line: up to 16 each with its depth, more as their count and
 * spread (the list of 256 depths would say less).
 */
export function describeNeedles(needles: readonly Needle[]): string {
  if (needles.length <= MIN_NEEDLES) {
    return `${needles.length} needles (${needles.map((needle) => percent(needle.depth)).join(", ")})`;
  }
  const inner = needles.filter((needle) => !needle.isCanary).map((needle) => needle.depth);
  return `${needles.length} needles (canaries at ${percent(0)} and ${percent(1)}, ${inner.length} spread from ${percent(Math.min(...inner), 1)} to ${percent(Math.max(...inner), 1)})`;
}

/**
 * The filled-context check: a prompt that fills the loaded window (minus `answerReserve`), counted with the
 * model's own tokenizer, with needles at depths spread evenly (as many as `needleCount` gives the window) and
 * canaries at head and tail. Passes when the share of needles recalled reaches `recallThreshold` and LM Studio
 * processed the whole prompt. Records recall, the prompt tokens sent, and whether LM Studio reported fewer (silent truncation: a failed check and a warning).
 * `seed` chooses the codes and the filler: each probe of a search gets its own, so that a repeat at a size is a
 * fresh prompt (an independent draw of what the model recalls), not the same prompt answered the same way.
 */
export function filledCheck(recallThreshold: number, seed = 1): ProbeCheck {
  return async (ctx, input, handle, attempt) => {
    const target = handle.contextLength - answerReserve(handle.contextLength);
    let prompt: FilledPrompt;
    try {
      prompt = await buildFilledPrompt(
        target,
        makeNeedles(needleDepths(needleCount(handle.contextLength)), seed),
        (text) => ctx.runtime.countTokens(handle, text, { signal: ctx.signal }),
        seed,
      );
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      // The window cannot hold the instructions and questions: no filled check at this size.
      throw new RuntimeError(
        "CONTEXT_OVERFLOW",
        `${tokens(handle.contextLength)} tokens is too small for a filled-context check`,
        { cause: error },
      );
    }
    const response = await ctx.runtime.respond(handle, {
      messages: [{ role: "user", content: prompt.text }],
      maxTokens: filledMaxTokens(prompt.needles.length),
      temperature: FILLED_TEMPERATURE,
      signal: ctx.signal,
    });
    const score = scoreRecall(response.text, prompt.needles);
    const reported = response.stats.promptTokens;
    const isTruncated = reported === null ? null : reported < prompt.tokens;
    attempt.filled = {
      recall: score.recall,
      promptTokensSent: prompt.tokens,
      isTruncated,
      needles: score.needles,
    };
    attempt.checks.push({
      // The prompt itself is hundreds of kilobytes: the probe keeps what it was made of.
      prompt: `Filled prompt of ${tokens(prompt.tokens)} tokens: ${describeNeedles(prompt.needles)}\n${prompt.needles
        .map((needle) => needle.question)
        .join("\n")}`,
      // Each question's code, on the line of its question (the prompt's first line describes the prompt).
      expected: prompt.needles.map((needle) => needle.answer).join("\n"),
      reply: response.text,
      // A prompt LM Studio cut was never seen whole: whatever the tail recalls, this window size is not proven.
      passed: isTruncated !== true && score.recall >= recallThreshold,
      response,
    });
    if (isTruncated) {
      await ctx.emit("warning", {
        modelKey: input.model.modelKey,
        context: input.context,
        message: `LM Studio processed ${tokens(reported ?? 0)} prompt tokens of the ${tokens(prompt.tokens)} sent: the prompt was silently truncated`,
      });
    } else if (score.isTruncationSuspected && score.found > 0) {
      await ctx.emit("warning", {
        modelKey: input.model.modelKey,
        context: input.context,
        message: `A canary at the ${score.missing.some((question) => question.includes("opening")) ? "head" : "tail"} of the prompt was not recalled: the prompt may have been cut`,
      });
    }
  };
}
