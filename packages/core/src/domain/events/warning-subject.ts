import { tokens } from "../../util/wording";

/**
 * Whether `text` names `word` on its own: "qwen" is not named by "qwen3", nor "8,192" by "18,192"; a word
 * may end a sentence or a clause ("…for qwen.", "8,192, then"). `inner` is what may continue a word.
 */
function names(text: string, word: string, inner: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<!${inner})${escaped}(?!${inner})`).test(text);
}

/** What continues a model key ("lmstudio-community/qwen2.5-7b@q4_k_m"), and a count ("31,744"). */
const KEY_INNER = String.raw`[\w/@:-]|\.\w|\w\.`;
const COUNT_INNER = String.raw`\d|,\d|\d,`;

/**
 * What a warning is about, for the run's readers (the Run page, the CLI): "qwen-7b at 8,192 tokens", leaving
 * out what its message says already. A run tests many models at many sizes; a warning that names neither
 * cannot be placed. `null` when there is nothing to add.
 */
export function warningSubject(warning: {
  message?: string;
  modelKey?: string;
  context?: number;
}): string | null {
  const message = warning.message ?? "";
  const model = warning.modelKey && !names(message, warning.modelKey, KEY_INNER) ? warning.modelKey : null;
  const size =
    warning.context !== undefined && !names(message, tokens(warning.context), COUNT_INNER)
      ? `${tokens(warning.context)} tokens`
      : null;
  if (model && size) return `${model} at ${size}`;
  return model ?? (size && `at ${size}`);
}
