import { MAX_CONTEXT } from "@lmstrix/core";
import type { PlaygroundUpdate } from "~/server/routers/playground";
import { parseWholeNumber } from "../../../lib/run-options";

export interface PlaygroundForm {
  contextLength: string;
  prompt: string;
  maxTokens: string;
  temperature: string;
}

export interface PlaygroundRequest {
  contextLength: number;
  prompt: string;
  maxTokens: number;
  temperature: number;
}

export type PlaygroundErrors = Partial<Record<keyof PlaygroundForm | "model", string>>;

export const DEFAULT_CONTEXT = 4_096;

/** The context a model is tried at first: its measured loadable limit, else 4,096 (or less, if it declares less). */
export function defaultContextFor(
  model: { loadableLimit: number | null; declaredContext: number } | undefined,
): number {
  if (!model) return DEFAULT_CONTEXT;
  return model.loadableLimit ?? Math.min(DEFAULT_CONTEXT, model.declaredContext);
}

export function parsePlaygroundForm(
  form: PlaygroundForm,
): { ok: true; request: PlaygroundRequest } | { ok: false; errors: PlaygroundErrors } {
  const errors: PlaygroundErrors = {};
  const contextLength = parseWholeNumber(form.contextLength);
  if (typeof contextLength !== "number" || contextLength < 1 || contextLength > MAX_CONTEXT) {
    errors.contextLength = `Context length must be a whole number between 1 and ${MAX_CONTEXT.toLocaleString("en-US")}`;
  }
  const maxTokens = parseWholeNumber(form.maxTokens);
  if (typeof maxTokens !== "number" || maxTokens < 1 || maxTokens > 32_768) {
    errors.maxTokens = "Max tokens must be a whole number between 1 and 32,768";
  }
  const temperature = form.temperature.trim() === "" ? Number.NaN : Number(form.temperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
    errors.temperature = "Temperature must be a number between 0 and 2";
  }
  if (form.prompt.trim() === "") errors.prompt = "Write a prompt first";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      contextLength: contextLength as number,
      maxTokens: maxTokens as number,
      temperature,
      prompt: form.prompt,
    },
  };
}

/** What the playground's subscription sends: status lines, answer fragments, then the figures. */
export type { PlaygroundUpdate };

export type PlaygroundStats = Omit<Extract<PlaygroundUpdate, { type: "done" }>, "type">;

export interface PlaygroundOutput {
  phase: "idle" | "streaming" | "done" | "error" | "stopped";
  statuses: string[];
  answer: string;
  result: PlaygroundStats | null;
  error: string | null;
}

export const IDLE_OUTPUT: PlaygroundOutput = {
  phase: "idle",
  statuses: [],
  answer: "",
  result: null,
  error: null,
};

export function applyPlaygroundUpdate(output: PlaygroundOutput, update: PlaygroundUpdate): PlaygroundOutput {
  switch (update.type) {
    case "status":
      return { ...output, statuses: [...output.statuses, update.message] };
    case "fragment":
      return { ...output, answer: output.answer + update.text };
    case "done": {
      const { type: _type, ...result } = update;
      return { ...output, phase: "done", result };
    }
  }
}
