import type { z } from "zod";
import { RUN_EVENT_KINDS, type RunEventRow } from "./event";
import { urlSchema } from "./host";

/**
 * What LMStrix POSTs (as JSON) to a webhook: `run.finished` when a run ends, `model.regression` for each limit
 * a re-test lowered by more than the precision. `link` is the run's page, built from LMSTRIX_PUBLIC_URL.
 */
export interface RunFinishedNotification {
  event: "run.finished";
  runId: number;
  host: { id: number; name: string };
  status: "completed" | "failed" | "cancelled";
  message: string | null;
  /** Models this run ended, by how they ended. */
  models: { completed: number; failed: number; skipped: number };
  link: string;
}

export interface RegressionNotification {
  event: "model.regression";
  runId: number;
  host: { id: number; name: string };
  model: string;
  kind: "loadable" | "effective";
  from: number;
  to: number;
  /** "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21". */
  description: string;
  link: string;
}

export type WebhookNotification = RunFinishedNotification | RegressionNotification;

/** The dashboard's page of a run, under the public base URL (a trailing slash or not). */
export function runLink(publicUrl: string, runId: number): string {
  return `${publicUrl.replace(/\/+$/, "")}/runs/${runId}`;
}

const finishedKinds = RUN_EVENT_KINDS["run.finished"].stored;
const modelFinishedKind = RUN_EVENT_KINDS["model.finished"].stored;
const limitChangedKind = RUN_EVENT_KINDS["model.limitChanged"].stored;

/**
 * The notifications a finished run's events call for: one `run.finished` (the last end of each model counts, so
 * a resumed run counts a model once) and one `model.regression` per lowered limit. Null for the run's end when
 * its events hold no `run.finished` (it has not ended).
 */
export function notificationsOfRun(
  run: { id: number; host: { id: number; name: string } },
  events: readonly RunEventRow[],
  publicUrl: string,
): WebhookNotification[] {
  const link = runLink(publicUrl, run.id);
  const modelEnds = new Map<string, "completed" | "failed" | "skipped">();
  const regressions: RegressionNotification[] = [];
  let finished: z.output<typeof finishedKinds> | null = null;
  for (const row of events) {
    if (row.type === "model.finished") {
      const parsed = modelFinishedKind.safeParse(row.payload);
      if (parsed.success) modelEnds.set(parsed.data.modelKey, parsed.data.status);
    } else if (row.type === "model.limitChanged") {
      const parsed = limitChangedKind.safeParse(row.payload);
      if (parsed.success && parsed.data.direction === "regression") {
        const { modelKey, kind, from, to, description } = parsed.data;
        regressions.push({
          event: "model.regression",
          runId: run.id,
          host: run.host,
          model: modelKey,
          kind,
          from,
          to,
          description,
          link,
        });
      }
    } else if (row.type === "run.finished") {
      const parsed = finishedKinds.safeParse(row.payload);
      if (parsed.success) finished = parsed.data;
    }
  }
  if (!finished) return regressions;
  const models = { completed: 0, failed: 0, skipped: 0 };
  for (const status of modelEnds.values()) models[status] += 1;
  const end: RunFinishedNotification = {
    event: "run.finished",
    runId: run.id,
    host: run.host,
    // The Run page reads a status-less closing event as `completed`; so does this.
    status: finished.status ?? "completed",
    message: finished.message ?? null,
    models,
    link,
  };
  return [end, ...regressions];
}

/** Where notifications are POSTed: an http(s) URL. */
export const webhookUrlSchema = urlSchema(
  ["http:", "https:"],
  "webhook URL must look like https://example.org/hooks/lmstrix",
);
