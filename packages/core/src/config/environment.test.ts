import { describe, expect, it } from "vitest";
import { LmstrixError } from "../errors/lmstrix-error";
import { parseEnvironment } from "./environment";
import { sharedSettingsSchema } from "./shared-settings";

const parse = (values: Record<string, string>) => parseEnvironment(sharedSettingsSchema, values);

function refusal(values: Record<string, string>): LmstrixError {
  try {
    parse(values);
  } catch (error) {
    expect(error).toBeInstanceOf(LmstrixError);
    return error as LmstrixError;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe("the shared settings", () => {
  it("have the documented defaults", () => {
    expect(parse({})).toEqual({
      LMSTUDIO_URL: "ws://127.0.0.1:1234",
      LMSTRIX_LEASE_STALE_MS: 30_000,
      LMSTRIX_HEARTBEAT_MS: 2_000,
      LMSTRIX_RECONNECT_TIMEOUT_MS: 120_000,
      LMSTRIX_COOLDOWN_MS: 3_000,
      LMSTRIX_TIMEOUT_PAUSE_MS: 2_000,
      LMSTRIX_LOAD_TIMEOUT_MS: 600_000,
      LMSTRIX_LOAD_STALL_MS: 60_000,
      LMSTRIX_SNAPSHOT_KEEP: 10,
      LMSTRIX_PUBLIC_URL: "http://127.0.0.1:3000",
    });
  });

  it("take a webhook URL over http(s) only, and read an empty one as none", () => {
    expect(parse({ LMSTRIX_WEBHOOK_URL: "https://hooks.example.org/lmstrix" }).LMSTRIX_WEBHOOK_URL).toBe(
      "https://hooks.example.org/lmstrix",
    );
    expect(parse({ LMSTRIX_WEBHOOK_URL: "" }).LMSTRIX_WEBHOOK_URL).toBeUndefined();
    expect(() => parse({ LMSTRIX_WEBHOOK_URL: "ftp://x" })).toThrow(
      "LMSTRIX_WEBHOOK_URL: webhook URL must look like https://example.org/hooks/lmstrix",
    );
  });

  it("read numbers from text, at both ends of their range", () => {
    const config = parse({
      LMSTRIX_HEARTBEAT_MS: "20",
      LMSTRIX_SNAPSHOT_KEEP: "10000",
      LMSTRIX_LOAD_STALL_MS: "0",
    });
    expect(config.LMSTRIX_HEARTBEAT_MS).toBe(20);
    expect(config.LMSTRIX_SNAPSHOT_KEEP).toBe(10_000);
    expect(config.LMSTRIX_LOAD_STALL_MS).toBe(0);
  });

  it("refuse a bad value with the variable's name and what it allows", () => {
    for (const value of ["-5", "1.5", "soon", "NaN", "1e308", "600001"]) {
      const error = refusal({ LMSTRIX_HEARTBEAT_MS: value });
      expect(error.code).toBe("INVALID_ENVIRONMENT");
      expect(error.message, value).toBe(
        "invalid environment: LMSTRIX_HEARTBEAT_MS: LMSTRIX_HEARTBEAT_MS must be a whole number from 20 to 600000 (milliseconds)",
      );
    }
  });

  it("name every bad variable at once", () => {
    const error = refusal({ LMSTUDIO_URL: "http://x", LMSTRIX_SNAPSHOT_KEEP: "0", LMSTRIX_DATA_DIR: "  " });
    expect(error.message).toContain("LMSTUDIO_URL: LMSTUDIO_URL must look like ws://127.0.0.1:1234");
    expect(error.message).toContain("LMSTRIX_DATA_DIR: LMSTRIX_DATA_DIR must not be empty");
    expect(error.message).toContain(
      "LMSTRIX_SNAPSHOT_KEEP: LMSTRIX_SNAPSHOT_KEEP must be a whole number from 1 to 10000",
    );
  });

  it("extend into an app's own settings", () => {
    const app = sharedSettingsSchema.pick({ LMSTRIX_DATA_DIR: true });
    expect(parseEnvironment(app, { LMSTRIX_DATA_DIR: " /data ", PORT: "x" })).toEqual({
      LMSTRIX_DATA_DIR: "/data",
    });
  });
});
