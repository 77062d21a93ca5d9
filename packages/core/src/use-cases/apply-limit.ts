import { comfortableLimit, DEFAULT_COMFORT_THRESHOLDS } from "../domain/comfortable-limit";
import type { Host } from "../domain/host";
import { type ModelSummary, noEffectiveLimitFound, noEffectiveLimitReason } from "../domain/model";
import { LmstrixError } from "../errors/lmstrix-error";
import type {
  AppliedLoadDefaults,
  LmStudioSettings,
  LoadDefaultsChange,
  LoadDefaultsTarget,
  UndoneLoadDefaults,
} from "../ports/lmstudio-settings";
import type { Store } from "../ports/store";

/** Which measured limit `apply` writes as LM Studio's default context length. */
export const LIMIT_KINDS = ["loadable", "effective", "comfortable"] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

/** The host every front end uses when none is named; its LM Studio home may be found without being set. */
export const DEFAULT_HOST_NAME = "local";

type ApplyStore = Pick<Store, "getModel" | "listModelProbes">;

export interface ApplyDeps {
  store: ApplyStore;
  settings: LmStudioSettings;
}

/**
 * The host's LM Studio home on this machine: its `lmstudioHome`, or for the default host `$LMSTUDIO_HOME` /
 * `~/.lmstudio` when that folder exists; null when its settings are not here to write.
 */
export function lmstudioHomeOf(host: Host, settings: Pick<LmStudioSettings, "localHome">): string | null {
  if (host.lmstudioHome !== null) return host.lmstudioHome;
  return host.name === DEFAULT_HOST_NAME ? settings.localHome() : null;
}

/** The command to run on the host's own machine, for when its LM Studio home is not here. */
export function applyCommandFor(host: Host, modelKey: string, limit: LimitKind): string {
  return `lmstrix apply ${modelKey} --host ${host.name}${limit === "loadable" ? "" : ` --limit ${limit}`}`;
}

/**
 * Why a model has no limit of that kind though it was measured: its effective search found none, which leaves
 * neither an effective nor a comfortable limit. Null otherwise (measured, or simply not yet).
 */
export function noneFoundReason(model: ModelSummary, kind: LimitKind): string | null {
  if (kind === "loadable" || !noEffectiveLimitFound(model)) return null;
  return noEffectiveLimitReason(model.effectiveThreshold);
}

/** The size a model's limit of that kind is, as measured; null when it has not been measured. */
export async function measuredLimit(
  store: ApplyStore,
  model: ModelSummary,
  kind: LimitKind,
): Promise<number | null> {
  if (kind === "loadable") return model.loadableLimit;
  if (kind === "effective") return model.effectiveLimit;
  const probes = await store.listModelProbes(model.id);
  return comfortableLimit(probes, DEFAULT_COMFORT_THRESHOLDS, model).context;
}

async function targetOf(deps: ApplyDeps, host: Host, modelKey: string) {
  const lmstudioHome = lmstudioHomeOf(host, deps.settings);
  if (lmstudioHome === null) {
    throw new LmstrixError(
      "LMSTUDIO_HOME_UNKNOWN",
      `${host.name}'s LM Studio home is not on this machine (set it with the host's LM Studio home, or run "${applyCommandFor(host, modelKey, "loadable")}" on the machine LM Studio runs on)`,
    );
  }
  const model = await deps.store.getModel(host.id, modelKey);
  if (model === null) {
    throw new LmstrixError("MODEL_NOT_FOUND", `${host.name} has no model "${modelKey}" (scan it first)`);
  }
  const target: LoadDefaultsTarget = { lmstudioHome, hostName: host.name, model };
  return { model, target };
}

export interface ApplyLimitInput {
  host: Host;
  modelKey: string;
  limit: LimitKind;
  /** Show the change only; nothing is written. */
  dryRun: boolean;
}

export type ApplyLimitResult = {
  modelKey: string;
  limit: LimitKind;
  contextLength: number;
} & ({ dryRun: true; change: LoadDefaultsChange } | { dryRun: false; change: AppliedLoadDefaults });

/**
 * Writes a model's measured limit as LM Studio's default context length for it (after a backup, keeping every
 * other setting), or with `dryRun` only says what would change. Refused when the host's LM Studio home is not
 * on this machine, the model is unknown or the limit is not measured yet.
 */
export async function applyLimit(deps: ApplyDeps, input: ApplyLimitInput): Promise<ApplyLimitResult> {
  const { model, target } = await targetOf(deps, input.host, input.modelKey);
  const contextLength = await measuredLimit(deps.store, model, input.limit);
  const noneFound = contextLength === null ? noneFoundReason(model, input.limit) : null;
  if (noneFound !== null) {
    throw new LmstrixError(
      "LIMIT_NOT_MEASURED",
      `${model.modelKey} has no ${input.limit} limit: ${noneFound} (apply another --limit)`,
    );
  }
  if (contextLength === null) {
    throw new LmstrixError(
      "LIMIT_NOT_MEASURED",
      `${model.modelKey} has no ${input.limit} limit measured yet${input.limit === "loadable" ? "" : " (test it with --effective, or apply another --limit)"}`,
    );
  }
  const base = { modelKey: model.modelKey, limit: input.limit, contextLength };
  return input.dryRun
    ? { ...base, dryRun: true, change: await deps.settings.planContextLength(target, contextLength) }
    : { ...base, dryRun: false, change: await deps.settings.writeContextLength(target, contextLength) };
}

/** Puts LM Studio's settings file of the model back as it was before the last apply. */
export async function undoAppliedLimit(
  deps: ApplyDeps,
  input: { host: Host; modelKey: string },
): Promise<UndoneLoadDefaults & { modelKey: string }> {
  const { model, target } = await targetOf(deps, input.host, input.modelKey);
  return { modelKey: model.modelKey, ...(await deps.settings.undo(target)) };
}
