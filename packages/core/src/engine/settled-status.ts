import type { ModelSummary } from "../domain/model";

/** The status a model at `testing` goes back to when its search ends without a result. */
export function settledStatus(model: ModelSummary): "completed" | "failed" | "untested" {
  if (model.loadableLimit !== null) return "completed";
  return model.errorCategory !== null ? "failed" : "untested";
}
