import { describe, expect, it } from "vitest";
import { isFinishedRunStatus, runStatusSchema } from "./run";

describe("isFinishedRunStatus", () => {
  it("is true exactly for completed, failed and cancelled", () => {
    const finished = runStatusSchema.options.filter((status) => isFinishedRunStatus(status));
    expect(finished).toEqual(["completed", "failed", "cancelled"]);
  });

  it("is false for text that is no status, and for nothing", () => {
    for (const value of ["Completed", "done", "", null, undefined])
      expect(isFinishedRunStatus(value)).toBe(false);
  });
});
