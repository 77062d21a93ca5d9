import { readFile } from "node:fs/promises";
import {
  contextLengthKey,
  findLoadField,
  isContextLength,
  parseLoadDefaults,
  savedLoadDefaultsFile,
} from "@lmstrix/core/lmstudio-home";
import type { FleetModel } from "./fleet/schema.js";
import type { Logger } from "./logger.js";

// The path and format rule is core's, shared with lmstrix's `apply`, which writes these files.
export { MODEL_DEFAULTS_DIRECTORY, savedLoadDefaultsFile } from "@lmstrix/core/lmstudio-home";

/**
 * The context length saved as the model's default in LM Studio's home, which LM Studio uses for a load that
 * names none. The file is `{"preset": "", "operation": {"fields": []}, "load": {"fields": [{"key":
 * "llm.load.contextLength", "value": N}, …]}}`. No file, no field: undefined. A file that is not JSON, has
 * another shape or a value that is not a positive integer is ignored with a warning, as LM Studio falls back
 * to its defaults rather than refusing to load.
 */
export async function savedContextLength(
  lmstudioHome: string,
  model: Pick<FleetModel, "path" | "type">,
  logger: Logger,
  signal: AbortSignal,
): Promise<number | undefined> {
  const file = savedLoadDefaultsFile(lmstudioHome, model);
  const ignore = (why: string) => {
    logger.warn(`ignoring the saved load settings in ${file}: ${why}`);
    return undefined;
  };
  if (file === null) return ignore(`the model path "${model.path}" leaves the settings folder`);
  let text: string;
  try {
    text = await readFile(file, { encoding: "utf8", signal });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (signal.aborted) throw error;
    return ignore(`cannot read it (${(error as Error).message})`);
  }
  const parsed = parseLoadDefaults(text);
  if (!parsed.ok) return ignore(parsed.reason);
  const key = contextLengthKey(model.type);
  const field = findLoadField(parsed.document, key);
  if (field === undefined) return undefined;
  const { value } = field;
  if (!isContextLength(value)) {
    return ignore(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
