import type { RunStatus } from "../domain/run";

/** How a run ended: the status it is stored with, and why (null when it completed). */
export interface RunResult {
  status: Extract<RunStatus, "completed" | "failed" | "cancelled">;
  message: string | null;
}

/** Thrown inside the executor to stop the whole run (host gone for good, or cancelled). */
export class StopRun extends Error {
  constructor(readonly result: RunResult) {
    super(result.message ?? result.status);
  }
}
