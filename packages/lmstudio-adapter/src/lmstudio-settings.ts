import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import {
  type AppliedLoadDefaults,
  type LmStudioSettings,
  LmstrixError,
  type LoadDefaultsChange,
  type LoadDefaultsTarget,
  type UndoneLoadDefaults,
} from "@lmstrix/core";
import {
  contextLengthKey,
  findLoadField,
  isContextLength,
  type LoadDefaultsDocument,
  lmstudioHomeFrom,
  parseLoadDefaults,
  savedLoadDefaultsFile,
} from "@lmstrix/core/lmstudio-home";

export interface LmStudioSettingsOptions {
  /** Where backups go: `<data dir>/lmstudio-backups`, beside the database's snapshots. */
  backupDir: string;
  /** Read for `LMSTUDIO_HOME`; the process's environment by default. */
  env?: { LMSTUDIO_HOME?: string | undefined };
  /** The user's home folder (`~`); the process's by default. */
  userHome?: string;
}

/** The file as it is now: its bytes and what they parse to, or absent. */
type CurrentFile = { exists: false } | { exists: true; text: string; document: LoadDefaultsDocument };

/** A settings file LM Studio would create for a model with no saved defaults yet. */
function emptyDocument(): LoadDefaultsDocument["json"] {
  return { preset: "", operation: { fields: [] }, load: { fields: [] } };
}

function contained(directory: string, relative: string, what: string): string {
  const root = path.resolve(directory);
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`)) {
    throw new LmstrixError("INVALID_INPUT", `${what} "${relative}" leaves ${root}; nothing was written`);
  }
  return file;
}

/** Writes `text` to `file` through a temporary file beside it and a rename: readers see the old or the new. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, text, { flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new LmstrixError("WRITE_FAILED", `cannot write ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function readIfThere(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new LmstrixError("INVALID_INPUT", `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * LM Studio's per-model default load settings (`<home>/.internal/user-concrete-model-default-config/<model
 * path>.json`), changed one field at a time: every other field and key of the file is kept as it was.
 * Backups: `<backupDir>/<host>/<model path>.json` (the file's bytes before the last write), or `….json.none`
 * when there was no file; `undo` puts that back and removes the backup.
 */
export function createLmStudioSettings(options: LmStudioSettingsOptions): LmStudioSettings {
  const env = options.env ?? { LMSTUDIO_HOME: process.env.LMSTUDIO_HOME };
  const userHome = options.userHome ?? homedir();

  const settingsFile = (target: LoadDefaultsTarget): string => {
    const file = savedLoadDefaultsFile(target.lmstudioHome, target.model);
    if (file === null) {
      throw new LmstrixError(
        "INVALID_INPUT",
        `the model path "${target.model.path}" leaves LM Studio's settings folder; nothing was written`,
      );
    }
    return file;
  };

  const backupFiles = (target: LoadDefaultsTarget) => {
    const hostDir = contained(options.backupDir, target.hostName, "the host name");
    const copy = contained(hostDir, `${target.model.path}.json`, "the model path");
    return { copy, none: `${copy}.none` };
  };

  const current = async (file: string): Promise<CurrentFile> => {
    const text = await readIfThere(file);
    if (text === null) return { exists: false };
    const parsed = parseLoadDefaults(text);
    if (!parsed.ok) {
      throw new LmstrixError(
        "INVALID_LMSTUDIO_SETTINGS",
        `LM Studio's settings file ${file} is refused (${parsed.reason}); it was left untouched`,
      );
    }
    return { exists: true, text, document: parsed.document };
  };

  const plan = async (target: LoadDefaultsTarget, contextLength: number) => {
    if (!isContextLength(contextLength)) {
      throw new LmstrixError(
        "INVALID_INPUT",
        `a context length must be a positive integer, got ${contextLength}`,
      );
    }
    const file = settingsFile(target);
    const now = await current(file);
    const key = contextLengthKey(target.model.type);
    const value = now.exists ? findLoadField(now.document, key)?.value : undefined;
    const change: LoadDefaultsChange = {
      file,
      key,
      before: isContextLength(value) ? value : null,
      after: contextLength,
      createsFile: !now.exists,
    };
    return { change, now };
  };

  return {
    localHome() {
      const home = lmstudioHomeFrom(env, userHome);
      try {
        return statSync(home).isDirectory() ? home : null;
      } catch {
        return null;
      }
    },

    async planContextLength(target, contextLength) {
      return (await plan(target, contextLength)).change;
    },

    async writeContextLength(target, contextLength): Promise<AppliedLoadDefaults> {
      const { change, now } = await plan(target, contextLength);
      const backup = backupFiles(target);
      // The backup first: if anything after it fails, the file is as it was and the backup says so.
      if (now.exists) {
        await writeAtomically(backup.copy, now.text);
        await rm(backup.none, { force: true });
      } else {
        await writeAtomically(backup.none, "");
        await rm(backup.copy, { force: true });
      }
      const json = now.exists ? now.document.json : emptyDocument();
      const fields = json.load.fields as Record<string, unknown>[];
      const field = fields.find((candidate) => candidate.key === change.key);
      if (field) field.value = contextLength;
      else fields.push({ key: change.key, value: contextLength });
      await writeAtomically(change.file, `${JSON.stringify(json, null, 2)}\n`);
      return { ...change, backup: now.exists ? backup.copy : backup.none };
    },

    async undo(target): Promise<UndoneLoadDefaults> {
      const file = settingsFile(target);
      const backup = backupFiles(target);
      const saved = await readIfThere(backup.copy);
      if (saved !== null) {
        await writeAtomically(file, saved);
        await rm(backup.copy, { force: true });
        const parsed = parseLoadDefaults(saved);
        const value = parsed.ok
          ? findLoadField(parsed.document, contextLengthKey(target.model.type))?.value
          : undefined;
        return { file, outcome: "restored", contextLength: isContextLength(value) ? value : null };
      }
      if ((await readIfThere(backup.none)) !== null) {
        await rm(file, { force: true });
        await rm(backup.none, { force: true });
        return { file, outcome: "removed", contextLength: null };
      }
      throw new LmstrixError(
        "NOTHING_TO_UNDO",
        `no backup of ${target.model.modelKey}'s LM Studio settings on ${target.hostName}: nothing was applied to undo`,
      );
    },
  };
}
