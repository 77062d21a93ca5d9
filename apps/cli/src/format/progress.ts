import {
  describeTimeLeft,
  estimateTimeLeft,
  foldRunTiming,
  type HostTimings,
  INITIAL_RUN_TIMING,
  type RunEvent,
  type RunTiming,
  recallPercent,
  type StoredPayloadOf,
  warningSubject,
} from "@lmstrix/core";
import type { OutputStream } from "../io";
import { efficiency, formatCount, formatDuration, formatPercent, formatSize, oneLine } from "./numbers";

const num = (value: number | null | undefined) => (typeof value === "number" ? formatCount(value) : "?");

type ProbeFinished = StoredPayloadOf<"probe.finished">;

/** " (expected 96, then 5)": what the checks asked for, when the event says (a short check's numbers only). */
function expected(p: ProbeFinished): string {
  if (p.kind === "effective" || typeof p.expectedAnswer !== "string") return "";
  return ` (expected ${p.expectedAnswer.split("\n").join(", then ")})`;
}

/**
 * One line per step of a run, from its events. Pure, so every event type has a tested rendering.
 * `null` means the event shows no line of its own (load progress is drawn in place, see ProgressPrinter).
 */
export function describeEvent(event: RunEvent): string | null {
  switch (event.type) {
    case "run.queued":
      return `Run #${event.runId} queued by ${event.payload.startedBy || "?"}`;
    case "run.started":
      return `Run #${event.runId} started (${event.payload.holder ?? ""})`;
    case "run.resumed":
      return `Run #${event.runId} resumed (${event.payload.holder ?? ""}); finished probes are not repeated`;
    case "run.interrupted":
      return `Run #${event.runId} interrupted: ${oneLine(event.payload.message)}`;
    case "run.finished": {
      const { status, message } = event.payload;
      return `Run #${event.runId} ${status ?? ""}${message ? `: ${oneLine(message, 400)}` : ""}`;
    }
    case "model.started":
      return `▶ ${event.payload.modelKey} (declared ${num(event.payload.declared)})`;
    case "model.finished":
      return modelOutcome(event.payload);
    case "model.limitChanged": {
      const { modelKey, kind, direction, description } = event.payload;
      return `  ${direction === "regression" ? "▼" : "▲"} ${modelKey}: ${kind} limit ${direction}: ${description}`;
    }
    case "model.skipRequested":
      return `  ⏭ ${event.payload.modelKey}: skip asked by ${event.payload.by || "a user"}`;
    case "probe.started":
      return `  → ${event.payload.modelKey} at ${num(event.payload.context)} tokens: loading`;
    case "probe.loadProgress":
      return null;
    case "probe.finished":
      return `  ${probeOutcome(event.payload)}`;
    case "warning": {
      const subject = warningSubject(event.payload);
      return `  ⚠ ${subject ? `${subject}: ` : ""}${oneLine(event.payload.message, 300)}`;
    }
    case "log":
      return `  ${oneLine(event.payload.message, 300)}`;
  }
}

/** "48,000–52,000 tokens" where the limit lies in a range, "48,000" where it is exact, "none" without one. */
function effectiveFigure(
  limit: number | null | undefined,
  range: { low: number; high: number } | undefined,
  noneFound: boolean | undefined,
) {
  if (typeof limit !== "number") return noneFound ? "none found" : "none";
  return range && range.high > range.low ? `${num(range.low)}–${num(range.high)} tokens` : num(limit);
}

function modelOutcome(p: StoredPayloadOf<"model.finished">): string {
  const limit = p.limit ?? null;
  const declared = p.declared ?? 0;
  if (p.status === "completed") {
    // A fitted limit's reason says what was measured and how much of the budget it took: too long for the
    // line, and none of it to lose, so it follows on a line of its own.
    const reason = p.effectiveReason ?? "";
    const why = reason === "" ? "" : reason.length <= 160 ? ` (${reason})` : `\n    ${reason}`;
    const effective =
      p.effectiveLimit !== undefined
        ? `; effective limit ${effectiveFigure(p.effectiveLimit, p.effectiveRange, p.effectiveNoneFound)}${why}`
        : "";
    return `■ ${p.modelKey}: ✓ loadable limit ${num(limit)} of ${num(declared)} (${formatPercent(efficiency(limit, declared))})${p.reason ? ` — ${oneLine(p.reason)}` : ""}${effective}`;
  }
  if (p.status === "skipped") return `■ ${p.modelKey}: ⏭ ${oneLine(p.reason) || "skipped"}`;
  const category = p.errorCategory ? ` ${p.errorCategory}` : "";
  return `■ ${p.modelKey}: ✗ failed${category}${p.reason ? ` — ${oneLine(p.reason)}` : ""}`;
}

function probeOutcome(p: ProbeFinished): string {
  const filled =
    p.kind === "effective"
      ? ` filled, recall ${typeof p.recall === "number" ? recallPercent(p.recall) : "?"}${p.isTruncated ? ", truncated" : ""}`
      : "";
  const head = `${p.modelKey} at ${num(p.context)}${filled}`;
  const applied =
    typeof p.applied === "number" && p.applied !== p.context ? ` (LM Studio loaded ${num(p.applied)})` : "";
  const details = [
    typeof p.loadMs === "number" ? `load ${formatDuration(p.loadMs)}` : null,
    typeof p.genTokensPerSec === "number" ? `${p.genTokensPerSec.toFixed(1)} tok/s` : null,
  ].filter((part) => part !== null);
  const extra = details.length > 0 ? `, ${details.join(", ")}` : "";
  switch (p.outcome) {
    case "pass":
      return `✓ ${head}: pass${applied}${extra}`;
    case "fail": {
      // A filled check's reply is a list of codes, mostly right: its recall (in the head) is why it failed.
      // LM Studio's refusal is three sentences; the figure people need is deep in the second.
      const why =
        typeof p.requiredBytes === "number"
          ? `${p.errorCategory}: LM Studio refused the load, which needs about ${formatSize(p.requiredBytes)} of memory`
          : p.errorCategory
            ? `${p.errorCategory}: ${oneLine(p.errorMessage, 120)}`
            : p.kind === "effective"
              ? p.isTruncated
                ? "LM Studio cut the prompt"
                : "recall below the threshold"
              : `wrong answer ${JSON.stringify(oneLine(p.reply, 60))}${expected(p)}`;
      return `✗ ${head}: fail${applied} — ${why}`;
    }
    case "error":
      return `✗ ${head}: ${p.errorCategory ?? ""} — ${oneLine(p.errorMessage, 120)}; model skipped for this run`;
    default:
      return `⊘ ${head}: cancelled`;
  }
}

/**
 * In a pipe or a file, how often a load still under way gets a line of its progress: a 100 GB model loads for
 * minutes, and a log of an overnight run should not fall silent meanwhile.
 */
export const PIPED_PROGRESS_EVERY_MS = 30_000;

/** What the time left of a run is estimated from besides its events (see `estimateTimeLeft`). */
export interface TimeLeftBasis {
  host: HostTimings;
  cooldownMs: number;
}

/**
 * Writes event lines to a stream. On a terminal the current probe's line is redrawn in place with its load
 * progress; in a pipe or a file only whole lines are written, a long load's progress every
 * `PIPED_PROGRESS_EVERY_MS` (by the events' times).
 */
export class ProgressPrinter {
  /** Text of the line currently drawn without a newline (terminal only). */
  private openLine: string | null = null;
  /** In a pipe: the loading probe's line, and when the last line about it was written. */
  private pipedLoad: { line: string; writtenAt: number } | null = null;
  private timing: RunTiming = INITIAL_RUN_TIMING;

  /** With `timeLeft`, each model's result line also says how many are done and how long the rest may take. */
  constructor(
    private readonly out: OutputStream,
    private readonly timeLeft?: TimeLeftBasis,
  ) {}

  print(event: RunEvent): void {
    this.timing = foldRunTiming(this.timing, event);
    if (event.type === "model.finished" && this.timeLeft) {
      const line = describeEvent(event);
      if (line !== null) this.line(`${line}${this.batchNote(event.createdAt)}`);
      return;
    }
    if (event.type === "probe.loadProgress") {
      const percent = `${Math.round(event.payload.progress * 100)}%`;
      if (this.out.isTTY) {
        if (this.openLine !== null) this.redraw(`${this.openLine} ${percent}`);
      } else if (this.pipedLoad) {
        const at = event.createdAt.getTime();
        if (at - this.pipedLoad.writtenAt < PIPED_PROGRESS_EVERY_MS) return;
        this.pipedLoad.writtenAt = at;
        this.line(`${this.pipedLoad.line} ${percent}`);
      }
      return;
    }
    const line = describeEvent(event);
    if (line === null) return;
    if (event.type === "probe.started" && this.out.isTTY) {
      this.closeOpenLine();
      this.openLine = line;
      this.redraw(line);
      return;
    }
    // A warning during the load (a timed-out attempt tried again) leaves the load's progress to follow.
    if (event.type === "probe.started") this.pipedLoad = { line, writtenAt: event.createdAt.getTime() };
    else if (event.type !== "warning") this.pipedLoad = null;
    this.line(line);
  }

  /** " (3 of 12 models done, about 25 min left)" while a run has models left; "" otherwise. */
  private batchNote(now: Date): string {
    const planned = this.timing.plannedModels;
    const done = Object.values(this.timing.models).filter((model) => model.isFinished).length;
    if (!this.timeLeft || planned === null || planned < 2 || done >= planned) return "";
    const left = estimateTimeLeft(this.timing, { ...this.timeLeft, now });
    return ` (${done} of ${planned} models done, ${left ? `${describeTimeLeft(left)} left` : "time left unknown"})`;
  }

  /** A line of its own (e.g. "waiting for host"), keeping the probe line intact on a terminal. */
  line(text: string): void {
    this.closeOpenLine();
    this.out.write(`${text}\n`);
  }

  private redraw(text: string): void {
    this.out.write(`\r\x1b[2K${text}`);
  }

  private closeOpenLine(): void {
    if (this.openLine === null) return;
    // The probe's result replaces its "loading" line.
    this.out.write("\r\x1b[2K");
    this.openLine = null;
  }
}
