import { describe, expect, it } from "vitest";
import { listenProblem, parseEnv, type WebEnv } from "./env";

const base: WebEnv = {
  LMSTUDIO_URL: "ws://127.0.0.1:1234",
  LMSTRIX_LISTEN: "127.0.0.1",
  PORT: 3000,
  LMSTRIX_TOKEN: undefined,
  LMSTRIX_SESSION_DAYS: 30,
  LMSTRIX_LEASE_STALE_MS: 30_000,
  LMSTRIX_HEARTBEAT_MS: 2_000,
  LMSTRIX_RECONNECT_TIMEOUT_MS: 120_000,
  LMSTRIX_COOLDOWN_MS: 3_000,
  LMSTRIX_LOAD_TIMEOUT_MS: 600_000,
  LMSTRIX_LOAD_STALL_MS: 60_000,
  LMSTRIX_TIMEOUT_PAUSE_MS: 2_000,
  LMSTRIX_QUEUE_POLL_MS: 1_000,
  LMSTRIX_SNAPSHOT_KEEP: 10,
  LMSTRIX_PUBLIC_URL: "http://127.0.0.1:3000",
  LMSTRIX_WEBHOOK_RETRY_MS: 1_000,
};

describe("listenProblem", () => {
  it("allows loopback addresses without a token", () => {
    for (const address of ["127.0.0.1", "127.0.1.5", "::1", "localhost"]) {
      expect(listenProblem({ ...base, LMSTRIX_LISTEN: address })).toBeNull();
    }
  });

  it("refuses any other address without a token, and allows it with one", () => {
    for (const address of ["0.0.0.0", "::", "192.168.1.20"]) {
      expect(listenProblem({ ...base, LMSTRIX_LISTEN: address })).toContain("LMSTRIX_TOKEN must be set");
      expect(listenProblem({ ...base, LMSTRIX_LISTEN: address, LMSTRIX_TOKEN: "x".repeat(16) })).toBeNull();
    }
  });
});

describe("LMSTRIX_SESSION_DAYS", () => {
  const parse = (values: Record<string, string>) => parseEnv({ NODE_ENV: "production", ...values });

  it("defaults to 30 days and accepts a whole number of days", () => {
    expect(parse({}).LMSTRIX_SESSION_DAYS).toBe(30);
    expect(parse({ LMSTRIX_SESSION_DAYS: "7" }).LMSTRIX_SESSION_DAYS).toBe(7);
  });

  it("refuses zero, fractions, too many days and words, naming the variable", () => {
    for (const value of ["0", "-3", "1.5", "3651", "forever"]) {
      expect(() => parse({ LMSTRIX_SESSION_DAYS: value }), value).toThrow(/LMSTRIX_SESSION_DAYS/);
    }
  });
});

describe("LMSTRIX_LOAD_STALL_MS", () => {
  const parse = (values: Record<string, string>) => parseEnv({ NODE_ENV: "production", ...values });

  it("gives a load up after 60 s without progress by default; 0 turns the rule off", () => {
    expect(parse({}).LMSTRIX_LOAD_STALL_MS).toBe(60_000);
    expect(parse({ LMSTRIX_LOAD_STALL_MS: "0" }).LMSTRIX_LOAD_STALL_MS).toBe(0);
  });

  it("refuses what is not a whole number of milliseconds, naming the variable", () => {
    expect(() => parse({ LMSTRIX_LOAD_STALL_MS: "soon" })).toThrow(/LMSTRIX_LOAD_STALL_MS/);
    expect(() => parse({ LMSTRIX_LOAD_STALL_MS: "-1" })).toThrow(/LMSTRIX_LOAD_STALL_MS/);
  });
});
