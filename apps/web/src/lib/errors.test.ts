import { describe, expect, it } from "vitest";
import { describeError, fieldErrorsOf, retryUnlessNotFound } from "./errors";

describe("describeError", () => {
  it("prefers the server's per-field messages over its raw JSON message", () => {
    const error = Object.assign(new Error('[{"code":"custom"}]'), {
      data: {
        zodError: {
          formErrors: [],
          fieldErrors: { url: ["host URL must look like ws://127.0.0.1:1234"], name: ["too long", "bad"] },
        },
      },
    });
    expect(describeError(error)).toBe("host URL must look like ws://127.0.0.1:1234; too long");
    expect(fieldErrorsOf(error).url).toEqual(["host URL must look like ws://127.0.0.1:1234"]);
  });

  it("falls back to the message", () => {
    expect(describeError(new Error("Host busy"))).toBe("Host busy");
    expect(describeError({ message: "plain" })).toBe("plain");
    expect(describeError("text")).toBe("text");
    expect(fieldErrorsOf(null)).toEqual({});
  });
});

describe("retryUnlessNotFound", () => {
  it("retries once, and never what does not exist", () => {
    expect(retryUnlessNotFound(0, { data: { code: "INTERNAL_SERVER_ERROR" } })).toBe(true);
    expect(retryUnlessNotFound(1, { data: { code: "INTERNAL_SERVER_ERROR" } })).toBe(false);
    expect(retryUnlessNotFound(0, { data: { code: "NOT_FOUND" } })).toBe(false);
    expect(retryUnlessNotFound(0, { data: null })).toBe(true);
  });
});
