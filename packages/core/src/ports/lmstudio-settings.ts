/**
 * LM Studio's per-model default load settings on this machine, as `apply` changes them. The LM Studio adapter
 * implements it over the files below LM Studio's home; core's `applyLimit` use case decides what to write.
 * Every failure is an `LmstrixError` (a bad file: INVALID_LMSTUDIO_SETTINGS, left untouched).
 */

/** Whose settings: a model of a host, whose LM Studio home is the folder given. */
export interface LoadDefaultsTarget {
  lmstudioHome: string;
  /** Backups are kept per host: `<data dir>/lmstudio-backups/<host>/…`. */
  hostName: string;
  model: { modelKey: string; path: string; type: string };
}

/** What writing a context length changes (a dry run shows it; nothing is written for it). */
export interface LoadDefaultsChange {
  /** LM Studio's settings file of the model. */
  file: string;
  /** The load field written: `llm.load.contextLength`. */
  key: string;
  /** Its value now; null when the file or the field is not there yet. */
  before: number | null;
  after: number;
  /** Whether the file does not exist yet (it is created with LM Studio's shape). */
  createsFile: boolean;
}

export interface AppliedLoadDefaults extends LoadDefaultsChange {
  /** Where the file as it was (or the note that there was none) is kept, for `apply --undo`. */
  backup: string;
}

export interface UndoneLoadDefaults {
  file: string;
  /** `restored`: the file is back as it was; `removed`: there was none before, so it is gone again. */
  outcome: "restored" | "removed";
  /** The context length in the file now (null: none). */
  contextLength: number | null;
}

export interface LmStudioSettings {
  /** `$LMSTUDIO_HOME`, else `~/.lmstudio`, when that folder exists on this machine; null otherwise. */
  localHome(): string | null;
  /** The change writing `contextLength` would make; reads only. */
  planContextLength(target: LoadDefaultsTarget, contextLength: number): Promise<LoadDefaultsChange>;
  /** Backs the file up, then writes the context length (temp file + rename), keeping every other field. */
  writeContextLength(target: LoadDefaultsTarget, contextLength: number): Promise<AppliedLoadDefaults>;
  /** Puts back the file as it was before the last write; NOTHING_TO_UNDO when there is no backup. */
  undo(target: LoadDefaultsTarget): Promise<UndoneLoadDefaults>;
}
