import { positiveIntegerParam } from "../../../lib/query-params";

export const CHANGE_DIRECTIONS = ["regression", "improvement"] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];

/** What the Changes page shows: every host's changes or one host's (`?host=2`), both directions or one. */
export interface ChangesView {
  hostId: number | "all";
  direction: ChangeDirection | "all";
}

export function parseChangesView(params: URLSearchParams): ChangesView {
  const direction = params.get("direction");
  return {
    hostId: positiveIntegerParam(params.get("host")) ?? "all",
    direction: CHANGE_DIRECTIONS.find((candidate) => candidate === direction) ?? "all",
  };
}

export function changesViewParams(view: ChangesView): URLSearchParams {
  return new URLSearchParams({
    ...(view.hostId !== "all" && { host: String(view.hostId) }),
    ...(view.direction !== "all" && { direction: view.direction }),
  });
}
