import { RuntimeError } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { withDeadline } from "./with-timeout";

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe("withDeadline", () => {
  it("passes a result through", async () => {
    await expect(withDeadline(async () => 7, { what: "x", timeoutMs: 1_000 })).resolves.toBe(7);
  });

  it("passes the operation's own error through unchanged", async () => {
    const error = new Error("boom");
    await expect(withDeadline(() => Promise.reject(error), { what: "x", timeoutMs: 1_000 })).rejects.toBe(
      error,
    );
  });

  it("rejects with TIMEOUT when the operation hangs, and aborts the operation's signal", async () => {
    let inner: AbortSignal | undefined;
    const pending = withDeadline(
      (signal) => {
        inner = signal;
        return never();
      },
      { what: "Loading m", timeoutMs: 20 },
    );
    await expect(pending).rejects.toMatchObject({
      category: "TIMEOUT",
      message: "Loading m did not finish within 20 ms",
    });
    expect(inner?.aborted).toBe(true);
  });

  it("adds the explanation to a TIMEOUT", async () => {
    const pending = withDeadline(() => never(), {
      what: "x",
      timeoutMs: 5,
      explainTimeout: () => "dropped reply",
    });
    await expect(pending).rejects.toThrow("x did not finish within 5 ms (dropped reply)");
  });

  it("rejects with CANCELLED when the caller aborts, even if the operation ignores the signal", async () => {
    const controller = new AbortController();
    const pending = withDeadline(() => never(), { what: "x", timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).toMatchObject({ category: "CANCELLED" });
  });

  it("does not start the operation when the signal is already aborted", async () => {
    let started = false;
    const pending = withDeadline(
      async () => {
        started = true;
      },
      { what: "x", timeoutMs: 1_000, signal: AbortSignal.abort() },
    );
    await expect(pending).rejects.toMatchObject({ category: "CANCELLED" });
    expect(started).toBe(false);
  });

  it("ignores a late failure of an abandoned operation", async () => {
    let failLate: (error: Error) => void = () => undefined;
    const pending = withDeadline(() => new Promise((_, reject) => (failLate = reject)), {
      what: "x",
      timeoutMs: 5,
    });
    await expect(pending).rejects.toMatchObject({ category: "TIMEOUT" });
    failLate(new Error("late"));
  });

  it("turns a synchronous throw into a rejection", async () => {
    const pending = withDeadline(
      () => {
        throw new Error("sync");
      },
      { what: "x", timeoutMs: 1_000 },
    );
    await expect(pending).rejects.toThrow("sync");
  });
});
