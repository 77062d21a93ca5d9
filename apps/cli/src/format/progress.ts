import {
  describeTimeLeft,
  estimateTimeLeft,
  foldRunTiming,
  type HostTimings,
  INITIAL_RUN_TIMING,
  percent,
  type RunEvent,
  type RunTiming,
} from "@lmstrix/core";
import type { OutputStream } from "../io";
import { efficiency, formatCount, formatDuration, formatPercent, oneLine } from "./numbers";

const num = (value: unknown) => (typeof value === "number" ? formatCount(value) : "?");
const str = (value: unknown) => (typeof value === "string" ? value : "");

/** " (expected 96, then 5)": what the checks asked for, when the event says (a short check's numbers only). */
function expected(p: Record<string, unknown>): string {
  if (p.kind === "effective" || typeof p.expectedAnswer !== "string") return "";
  return ` (expected ${p.expectedAnswer.split("\n").join(", then ")})`;
}

/**
 * One line per step of a run, from its events. Pure, so every event type has a tested rendering.
 * `null` means the event shows no line of its own (load progress is drawn in place, see ProgressPrinter).
 */
export function describeEvent(event: RunEvent): string | null {
  const p = event.payload;
  switch (event.type) {
    case "run.queued":
      return `Run #${event.runId} queued by ${str(p.startedBy) || "?"}`;
    case "run.started":
      return `Run #${event.runId} started (${str(p.holder)})`;
    case "run.resumed":
      return `Run #${event.runId} resumed (${str(p.holder)}); finished probes are not repeated`;
    case "run.interrupted":
      return `Run #${event.runId} interrupted: ${oneLine(str(p.message))}`;
    case "run.finished":
      return `Run #${event.runId} ${str(p.status)}${p.message ? `: ${oneLine(str(p.message), 400)}` : ""}`;
    case "model.started":
      return `▶ ${str(p.modelKey)} (declared ${num(p.declared)})`;
    case "model.finished": {
      const limit = typeof p.limit === "number" ? p.limit : null;
      const declared = typeof p.declared === "number" ? p.declared : 0;
      if (p.status === "completed") {
        const effective =
          "effectiveLimit" in p
            ? `; effective limit ${typeof p.effectiveLimit === "number" ? num(p.effectiveLimit) : "none"}${p.effectiveReason ? ` (${oneLine(str(p.effectiveReason))})` : ""}`
            : "";
        return `■ ${str(p.modelKey)}: ✓ loadable limit ${num(limit)} of ${num(declared)} (${formatPercent(efficiency(limit, declared))})${p.reason ? ` — ${oneLine(str(p.reason))}` : ""}${effective}`;
      }
      if (p.status === "skipped") return `■ ${str(p.modelKey)}: ⏭ ${oneLine(str(p.reason)) || "skipped"}`;
      const category = p.errorCategory ? ` ${str(p.errorCategory)}` : "";
      return `■ ${str(p.modelKey)}: ✗ failed${category}${p.reason ? ` — ${oneLine(str(p.reason))}` : ""}`;
    }
    case "model.skipRequested":
      return `  ⏭ ${str(p.modelKey)}: skip asked by ${str(p.by) || "a user"}`;
    case "probe.started":
      return `  → ${str(p.modelKey)} at ${num(p.context)} tokens: loading`;
    case "probe.loadProgress":
      return null;
    case "probe.finished":
      return `  ${probeOutcome(p)}`;
    case "warning":
      return `  ⚠ ${p.modelKey ? `${str(p.modelKey)}: ` : ""}${oneLine(str(p.message), 300)}`;
    case "log":
      return `  ${oneLine(str(p.message), 300)}`;
  }
}

function probeOutcome(p: Record<string, unknown>): string {
  const filled =
    p.kind === "effective"
      ? ` filled, recall ${typeof p.recall === "number" ? percent(p.recall) : "?"}${p.isTruncated ? ", truncated" : ""}`
      : "";
  const head = `${str(p.modelKey)} at ${num(p.context)}${filled}`;
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
      const why = p.errorCategory
        ? `${str(p.errorCategory)}: ${oneLine(str(p.errorMessage), 120)}`
        : `wrong answer ${JSON.stringify(oneLine(str(p.reply), 60))}${expected(p)}`;
      return `✗ ${head}: fail${applied} — ${why}`;
    }
    case "error":
      return `✗ ${head}: ${str(p.errorCategory)} — ${oneLine(str(p.errorMessage), 120)}; model skipped for this run`;
    default:
      return `⊘ ${head}: cancelled`;
  }
}

/**
 * Writes event lines to a stream. On a terminal the current probe's line is redrawn in place with its load
 * progress; in a pipe or a file only whole lines are written.
 */
/** What the time left of a run is estimated from besides its events (see `estimateTimeLeft`). */
export interface TimeLeftBasis {
  host: HostTimings;
  cooldownMs: number;
}

export class ProgressPrinter {
  /** Text of the line currently drawn without a newline (terminal only). */
  private openLine: string | null = null;
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
      if (!this.out.isTTY || this.openLine === null) return;
      const progress = typeof event.payload.progress === "number" ? event.payload.progress : 0;
      this.redraw(`${this.openLine} ${Math.round(progress * 100)}%`);
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
