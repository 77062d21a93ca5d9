import type { RunRecord } from "../ports/store";
import { LmstrixError } from "./lmstrix-error";

/**
 * A "test all" refused because the host already has the same one queued, running or interrupted: a second
 * one would only repeat it. Carries that run, so the caller can point at it.
 */
export class DuplicateRunError extends LmstrixError<"RUN_DUPLICATE"> {
  override readonly name = "DuplicateRunError";

  constructor(readonly existing: RunRecord) {
    super(
      "RUN_DUPLICATE",
      `Run #${existing.id} (test all, started by ${existing.startedBy}) is already ${existing.status} on this host ` +
        "with the same options; follow it or cancel it instead of starting another",
    );
  }
}

/** Why a skip was refused (nothing is written then). */
export type SkipRefusal = "unknown-run" | "run-not-running" | "model-not-in-flight";

export class SkipRefusedError extends LmstrixError<"RUN_NOT_FOUND" | "SKIP_REFUSED"> {
  override readonly name = "SkipRefusedError";

  constructor(
    readonly refusal: SkipRefusal,
    message: string,
  ) {
    super(refusal === "unknown-run" ? "RUN_NOT_FOUND" : "SKIP_REFUSED", message);
  }
}
