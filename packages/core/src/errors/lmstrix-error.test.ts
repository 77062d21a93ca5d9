import { describe, expect, it } from "vitest";
import type { RunRecord } from "../ports/store";
import { LMSTRIX_ERROR_CODES, LMSTRIX_ERRORS } from "./error-codes";
import { exitCodeOf, isLmstrixError, LmstrixError, trpcCodeOf } from "./lmstrix-error";
import { DuplicateRunError, SkipRefusedError } from "./run-errors";

describe("LmstrixError", () => {
  it("carries its code, message and cause", () => {
    const cause = new Error("EBUSY");
    const error = new LmstrixError("HOST_BUSY", "host gpu-box is busy with run #3", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(isLmstrixError(error)).toBe(true);
    expect(isLmstrixError(cause)).toBe(false);
    expect(error).toMatchObject({ code: "HOST_BUSY", message: "host gpu-box is busy with run #3", cause });
  });

  it("is what the run refusals are, with the code their reason gives", () => {
    const run = { id: 7, startedBy: "cli", status: "running" } as RunRecord;
    expect(new DuplicateRunError(run)).toMatchObject({ code: "RUN_DUPLICATE", name: "DuplicateRunError" });
    expect(new SkipRefusedError("unknown-run", "No run #7").code).toBe("RUN_NOT_FOUND");
    expect(new SkipRefusedError("run-not-running", "Run #7 has ended").code).toBe("SKIP_REFUSED");
    expect(new SkipRefusedError("model-not-in-flight", "m is not in flight")).toBeInstanceOf(LmstrixError);
  });
});

describe("the code table", () => {
  it("says how each front end reports each code", () => {
    expect([trpcCodeOf("USAGE"), exitCodeOf("USAGE")]).toEqual(["BAD_REQUEST", 2]);
    expect([trpcCodeOf("HOST_BUSY"), exitCodeOf("HOST_BUSY")]).toEqual(["CONFLICT", 1]);
    expect([trpcCodeOf("RUN_NOT_FOUND"), exitCodeOf("RUN_NOT_FOUND")]).toEqual(["NOT_FOUND", 1]);
    expect([trpcCodeOf("INVALID_REGISTRY"), exitCodeOf("INVALID_REGISTRY")]).toEqual(["BAD_REQUEST", 2]);
  });

  it("maps a refusal to change data while a run runs to a conflict, and bad input to exit 2", () => {
    for (const code of LMSTRIX_ERROR_CODES) {
      const { trpc, exit } = LMSTRIX_ERRORS[code];
      if (code === "RUN_IN_PROGRESS" || code === "HOST_BUSY" || code === "RUN_DUPLICATE")
        expect(trpc).toBe("CONFLICT");
      if (code.startsWith("INVALID_") && code !== "INVALID_SNAPSHOT" && code !== "INVALID_REASON") {
        expect(exit, code).toBe(2);
      }
    }
  });
});
