import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkSession,
  createSessionValue,
  identify,
  isForeignOrigin,
  isHttpsRequest,
  readSessionValue,
  SESSION_CLOCK_SKEW_S,
  sessionCookieHeader,
  sessionMaxAgeS,
} from "./auth";

const TOKEN = "a-very-secret-team-token";
const NOW_S = 1_800_000_000;
const DAY_S = 24 * 60 * 60;
const limits = { maxAgeS: sessionMaxAgeS(30), nowS: NOW_S };

describe("team-mode sessions", () => {
  it("reads back the name of a session signed with the token", () => {
    expect(readSessionValue(TOKEN, createSessionValue(TOKEN, "Ada Lovelace", NOW_S), limits)).toBe(
      "Ada Lovelace",
    );
    expect(readSessionValue(TOKEN, createSessionValue(TOKEN, "ada"), { maxAgeS: 60 })).toBe("ada");
  });

  it("rejects a session signed with another token, tampered with, or malformed", () => {
    const value = createSessionValue(TOKEN, "ada", NOW_S);
    expect(readSessionValue("another-token-entirely", value, limits)).toBeNull();
    const [, issuedAt, signature] = value.split(".");
    const admin = Buffer.from("admin").toString("base64url");
    expect(readSessionValue(TOKEN, `${admin}.${issuedAt}.${signature}`, limits)).toBeNull();
    for (const garbage of ["garbage", "a.b.c.d", `${admin}..${signature}`, "", undefined]) {
      expect(checkSession(TOKEN, garbage, limits), String(garbage)).toEqual({ state: "invalid" });
    }
  });

  it("expires a session older than the maximum age, and keeps one just within it", () => {
    const maxAgeS = sessionMaxAgeS(30);
    expect(maxAgeS).toBe(30 * DAY_S);
    const justWithin = createSessionValue(TOKEN, "ada", NOW_S - maxAgeS);
    expect(checkSession(TOKEN, justWithin, limits)).toEqual({ state: "valid", name: "ada" });
    const tooOld = createSessionValue(TOKEN, "ada", NOW_S - maxAgeS - 1);
    expect(checkSession(TOKEN, tooOld, limits)).toEqual({ state: "expired" });
    expect(readSessionValue(TOKEN, tooOld, limits)).toBeNull();
    // A shorter LMSTRIX_SESSION_DAYS expires the same cookie sooner.
    const weekOld = createSessionValue(TOKEN, "ada", NOW_S - 8 * DAY_S);
    expect(checkSession(TOKEN, weekOld, { maxAgeS: sessionMaxAgeS(7), nowS: NOW_S }).state).toBe("expired");
    expect(checkSession(TOKEN, weekOld, limits).state).toBe("valid");
  });

  it("refuses an issued-at time changed after signing (to make an old session look new)", () => {
    const old = createSessionValue(TOKEN, "ada", NOW_S - 40 * DAY_S);
    const [name, , signature] = old.split(".");
    expect(checkSession(TOKEN, `${name}.${NOW_S}.${signature}`, limits)).toEqual({ state: "invalid" });
  });

  it("allows a small clock skew but refuses an issued-at time further in the future", () => {
    const skewed = createSessionValue(TOKEN, "ada", NOW_S + SESSION_CLOCK_SKEW_S);
    expect(checkSession(TOKEN, skewed, limits).state).toBe("valid");
    const future = createSessionValue(TOKEN, "ada", NOW_S + SESSION_CLOCK_SKEW_S + 1);
    expect(checkSession(TOKEN, future, limits)).toEqual({ state: "invalid" });
    const farFuture = createSessionValue(TOKEN, "ada", NOW_S + 365 * DAY_S);
    expect(checkSession(TOKEN, farFuture, limits)).toEqual({ state: "invalid" });
  });

  it("refuses a cookie of the format without issued-at time: expired if genuine, else invalid", () => {
    const name = Buffer.from("ada").toString("base64url");
    const oldSignature = createHmac("sha256", TOKEN).update("session:ada").digest("base64url");
    expect(checkSession(TOKEN, `${name}.${oldSignature}`, limits)).toEqual({ state: "expired" });
    expect(checkSession("another-token-entirely", `${name}.${oldSignature}`, limits)).toEqual({
      state: "invalid",
    });
    expect(
      identify(TOKEN, { authorization: null, sessionCookie: `${name}.${oldSignature}` }, limits),
    ).toBeNull();
  });

  it("identifies a bearer token as 'api' and refuses a wrong one even with a valid cookie", () => {
    const sessionCookie = createSessionValue(TOKEN, "ada", NOW_S);
    expect(identify(TOKEN, { authorization: `Bearer ${TOKEN}`, sessionCookie: undefined }, limits)).toBe(
      "api",
    );
    expect(identify(TOKEN, { authorization: "Bearer wrong", sessionCookie }, limits)).toBeNull();
    expect(identify(TOKEN, { authorization: null, sessionCookie }, limits)).toBe("ada");
  });
});

describe("the session cookie's Secure flag", () => {
  it("is set for https, directly or as the first X-Forwarded-Proto of a reverse proxy", () => {
    expect(isHttpsRequest("https://gpu-box/api/sign-in", null)).toBe(true);
    expect(isHttpsRequest("http://127.0.0.1:3000/api/sign-in", "https")).toBe(true);
    expect(isHttpsRequest("http://127.0.0.1:3000/api/sign-in", " HTTPS , http")).toBe(true);
  });

  it("is not set for plain http, whatever later X-Forwarded-Proto values say", () => {
    expect(isHttpsRequest("http://gpu-box:3000/api/sign-in", null)).toBe(false);
    expect(isHttpsRequest("http://gpu-box:3000/api/sign-in", "http")).toBe(false);
    expect(isHttpsRequest("http://gpu-box:3000/api/sign-in", "http, https")).toBe(false);
    expect(isHttpsRequest("http://gpu-box:3000/api/sign-in", "")).toBe(false);
  });

  it("appears in the cookie header only when asked, with the session's Max-Age", () => {
    const secure = sessionCookieHeader("v", { maxAgeS: 2_592_000, isHttps: true });
    expect(secure).toBe("lmstrix_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure");
    expect(sessionCookieHeader("v", { maxAgeS: 60, isHttps: false })).not.toContain("Secure");
    expect(sessionCookieHeader(null, { maxAgeS: 60, isHttps: false })).toBe(
      "lmstrix_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    );
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
