import { stat } from "node:fs/promises";
import path from "node:path";

/**
 * LM Studio's own files below its home (`~/.lmstudio`, or `$LMSTUDIO_HOME`): where it keeps each model's
 * default load settings and what such a file looks like. One rule for the emulator (which loads at the saved
 * default, as LM Studio does) and the adapter (which writes it for `apply`). A subpath of core, not its main
 * barrel: it needs `node:path`, and the barrel reaches the browser bundle.
 */

/** Where LM Studio keeps each model's default load settings, below its home. */
export const MODEL_DEFAULTS_DIRECTORY = path.join(".internal", "user-concrete-model-default-config");

/** `$LMSTUDIO_HOME` when set, else `~/.lmstudio` (whether or not it exists). */
export function lmstudioHomeFrom(env: { LMSTUDIO_HOME?: string | undefined }, userHome: string): string {
  const fromEnv = env.LMSTUDIO_HOME?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(userHome, ".lmstudio");
}

/** `<home>/.internal/user-concrete-model-default-config/<model path>.json`, or null when the path leaves it. */
export function savedLoadDefaultsFile(lmstudioHome: string, model: { path: string }): string | null {
  const directory = path.resolve(lmstudioHome, MODEL_DEFAULTS_DIRECTORY);
  const file = path.resolve(directory, `${model.path}.json`);
  return file.startsWith(`${directory}${path.sep}`) ? file : null;
}

/** Where LM Studio keeps downloaded model files, below its home. */
export const MODELS_DIRECTORY = "models";

/**
 * `<home>/models/<model path>`: the model's file as LM Studio lists it (its time tells a re-downloaded file from
 * the one a result was measured on), or null when the path leaves the folder.
 */
export function modelFile(lmstudioHome: string, model: { path: string }): string | null {
  const directory = path.resolve(lmstudioHome, MODELS_DIRECTORY);
  const file = path.resolve(directory, model.path);
  return file.startsWith(`${directory}${path.sep}`) ? file : null;
}

/** The load field holding a model's context length: `llm.load.contextLength` (`embedding.…` for embeddings). */
export function contextLengthKey(modelType: string): string {
  return `${modelType}.load.contextLength`;
}

export interface LoadField {
  key: string;
  value: unknown;
}

/** A settings file that parsed: the whole document (kept as it is) and its load fields. */
export interface LoadDefaultsDocument {
  json: Record<string, unknown> & { load: Record<string, unknown> & { fields: unknown[] } };
  fields: unknown[];
}

export type ParsedLoadDefaults = { ok: true; document: LoadDefaultsDocument } | { ok: false; reason: string };

/** The shape LM Studio writes: `{"preset": "", "operation": {"fields": []}, "load": {"fields": [{"key", "value"}, …]}}`. */
export const LOAD_DEFAULTS_SHAPE = 'expected {"load": {"fields": [{"key", "value"}, …]}}';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a settings file's text; a file that is not JSON or has another shape is refused with the reason. */
export function parseLoadDefaults(text: string): ParsedLoadDefaults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(json) || !isRecord(json.load) || !Array.isArray(json.load.fields)) {
    return { ok: false, reason: LOAD_DEFAULTS_SHAPE };
  }
  const { fields } = json.load;
  if (!fields.every((field) => isRecord(field) && typeof field.key === "string")) {
    return { ok: false, reason: `every load field must be an object with a "key" (${LOAD_DEFAULTS_SHAPE})` };
  }
  return { ok: true, document: { json: json as LoadDefaultsDocument["json"], fields } };
}

/** The field with that key, if the document has it. */
export function findLoadField(document: LoadDefaultsDocument, key: string): LoadField | undefined {
  return document.fields.find((field): field is LoadField => (field as LoadField).key === key);
}

/** A context length as LM Studio takes it: a positive safe integer. */
export function isContextLength(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1;
}

/**
 * Why `home` cannot be a host's LM Studio home on this machine (it must be an existing folder: LM Studio makes
 * it when installed, so a missing one is a typo or another machine's path); null when it can. A host's
 * `checkHome` (core's `addHost`, `editHost`).
 */
export async function lmstudioHomeProblem(home: string): Promise<string | null> {
  try {
    return (await stat(home)).isDirectory() ? null : `LM Studio home ${home} is a file, not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return `there is no folder ${home} on this machine (LM Studio home must be an existing folder here)`;
    }
    return `LM Studio home ${home} cannot be read (${code ?? String(error)})`;
  }
}
