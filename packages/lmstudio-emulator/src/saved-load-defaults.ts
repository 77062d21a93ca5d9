import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FleetModel } from "./fleet/schema.js";
import type { Logger } from "./logger.js";

/** Where LM Studio keeps each model's default load settings, below its home (`~/.lmstudio`). */
export const MODEL_DEFAULTS_DIRECTORY = path.join(".internal", "user-concrete-model-default-config");

/** `<home>/.internal/user-concrete-model-default-config/<model path>.json`, or null when the path leaves it. */
export function savedLoadDefaultsFile(lmstudioHome: string, model: Pick<FleetModel, "path">): string | null {
  const directory = path.resolve(lmstudioHome, MODEL_DEFAULTS_DIRECTORY);
  const file = path.resolve(directory, `${model.path}.json`);
  return file.startsWith(`${directory}${path.sep}`) ? file : null;
}

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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return ignore(`not valid JSON (${(error as Error).message})`);
  }
  const fields = (json as { load?: { fields?: unknown } } | null)?.load?.fields;
  if (!Array.isArray(fields)) return ignore('expected {"load": {"fields": [{"key", "value"}, …]}}');
  const key = `${model.type}.load.contextLength`;
  const field = fields.find(
    (candidate): candidate is { key: string; value: unknown } =>
      typeof candidate === "object" && candidate !== null && (candidate as { key?: unknown }).key === key,
  );
  if (field === undefined) return undefined;
  const { value } = field;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    return ignore(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
