import { describe, expect, it } from "vitest";
import { createSessionValue, identify, isForeignOrigin, readSessionValue } from "./auth";

const TOKEN = "a-very-secret-team-token";

describe("team-mode sessions", () => {
  it("reads back the name of a session signed with the token", () => {
    expect(readSessionValue(TOKEN, createSessionValue(TOKEN, "Ada Lovelace"))).toBe("Ada Lovelace");
  });

  it("rejects a session signed with another token, tampered with, or malformed", () => {
    const value = createSessionValue(TOKEN, "ada");
    expect(readSessionValue("another-token-entirely", value)).toBeNull();
    const [, signature] = value.split(".");
    expect(readSessionValue(TOKEN, `${Buffer.from("admin").toString("base64url")}.${signature}`)).toBeNull();
    expect(readSessionValue(TOKEN, "garbage")).toBeNull();
    expect(readSessionValue(TOKEN, undefined)).toBeNull();
  });

  it("identifies a bearer token as 'api' and refuses a wrong one even with a valid cookie", () => {
    const sessionCookie = createSessionValue(TOKEN, "ada");
    expect(identify(TOKEN, { authorization: `Bearer ${TOKEN}`, sessionCookie: undefined })).toBe("api");
    expect(identify(TOKEN, { authorization: "Bearer wrong", sessionCookie })).toBeNull();
    expect(identify(TOKEN, { authorization: null, sessionCookie })).toBe("ada");
  });
});

describe("isForeignOrigin", () => {
  it("accepts the server's own origin and requests without one", () => {
    expect(isForeignOrigin("http://gpu-box:3000", "gpu-box:3000")).toBe(false);
    expect(isForeignOrigin(null, "gpu-box:3000")).toBe(false);
  });

  it("refuses other origins and garbage", () => {
    expect(isForeignOrigin("https://evil.example", "gpu-box:3000")).toBe(true);
    expect(isForeignOrigin("http://gpu-box:3001", "gpu-box:3000")).toBe(true);
    expect(isForeignOrigin("null", "gpu-box:3000")).toBe(true);
  });
});
