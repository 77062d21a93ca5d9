import { positiveIntegerParam } from "../../../lib/query-params";

/** What the Runs page shows: every host's runs, or one host's (`?host=2`). */
export interface RunsView {
  hostId: number | "all";
}

export function parseRunsView(params: URLSearchParams): RunsView {
  return { hostId: positiveIntegerParam(params.get("host")) ?? "all" };
}

export function runsViewParams(view: RunsView): URLSearchParams {
  return new URLSearchParams(view.hostId === "all" ? {} : { host: String(view.hostId) });
}
