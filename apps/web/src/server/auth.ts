import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Team mode's session cookie: `<base64url name>.<issued-at, Unix seconds>.<signature>`, both parts signed with
 * the access token, httpOnly. A session older than the configured maximum age is refused.
 */
export const SESSION_COOKIE = "lmstrix_session";
/** How far in the future an issued-at time may lie (another machine's clock, a clock set back a little). */
export const SESSION_CLOCK_SKEW_S = 60;

/** A session's maximum age in seconds, from `LMSTRIX_SESSION_DAYS`. */
export function sessionMaxAgeS(days: number): number {
  return days * 24 * 60 * 60;
}

export const userNameSchemaMessage = "Your name may use 1–40 letters, digits, spaces, '.', '_' and '-'";
const USER_NAME = /^[\p{L}\p{N} ._-]{1,40}$/u;

export function isValidUserName(name: string): boolean {
  return USER_NAME.test(name) && name.trim() === name;
}

function sign(token: string, name: string, issuedAtS: number): string {
  return createHmac("sha256", token).update(`session:${issuedAtS}:${name}`).digest("base64url");
}

/** How sessions were signed before they carried an issued-at time; such a cookie is only ever refused. */
function signWithoutIssuedAt(token: string, name: string): string {
  return createHmac("sha256", token).update(`session:${name}`).digest("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether `candidate` is the access token, compared in constant time. */
export function isAccessToken(token: string, candidate: string): boolean {
  return safeEqual(token, candidate);
}

export function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

export function createSessionValue(token: string, name: string, issuedAtS: number = nowS()): string {
  return `${Buffer.from(name).toString("base64url")}.${issuedAtS}.${sign(token, name, issuedAtS)}`;
}

export interface SessionLimits {
  maxAgeS: number;
  /** The current time in Unix seconds (tests pass one). */
  nowS?: number;
}

/**
 * What a session cookie is worth: `valid` with its name; `expired` when it is genuine but too old (or from
 * before sessions carried an issued-at time), so the user can be told why they must sign in again; `invalid`
 * when it is missing, malformed, tampered with, signed with another token or issued too far in the future.
 */
export type SessionCheck = { state: "valid"; name: string } | { state: "expired" } | { state: "invalid" };

const ISSUED_AT = /^\d{1,12}$/;

export function checkSession(token: string, value: string | undefined, limits: SessionLimits): SessionCheck {
  const invalid: SessionCheck = { state: "invalid" };
  if (!value) return invalid;
  const parts = value.split(".");
  const name = parts[0] ? Buffer.from(parts[0], "base64url").toString() : "";
  if (!isValidUserName(name)) return invalid;
  if (parts.length === 2) {
    return safeEqual(parts[1] ?? "", signWithoutIssuedAt(token, name)) ? { state: "expired" } : invalid;
  }
  const [, issuedAtText = "", signature = ""] = parts;
  if (parts.length !== 3 || !ISSUED_AT.test(issuedAtText)) return invalid;
  const issuedAtS = Number(issuedAtText);
  if (!safeEqual(signature, sign(token, name, issuedAtS))) return invalid;
  const now = limits.nowS ?? nowS();
  if (issuedAtS > now + SESSION_CLOCK_SKEW_S) return invalid;
  return now - issuedAtS > limits.maxAgeS ? { state: "expired" } : { state: "valid", name };
}

/** The signed-in name, or `null` when the cookie is not a valid, current session. */
export function readSessionValue(
  token: string,
  value: string | undefined,
  limits: SessionLimits,
): string | null {
  const session = checkSession(token, value, limits);
  return session.state === "valid" ? session.name : null;
}

/**
 * Who is making a request when a token is set: the session's name, "api" for a correct bearer token, or
 * `null` for nobody.
 */
export function identify(
  token: string,
  request: { authorization: string | null; sessionCookie: string | undefined },
  limits: SessionLimits,
): string | null {
  const bearer = request.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer !== undefined) return isAccessToken(token, bearer.trim()) ? "api" : null;
  return readSessionValue(token, request.sessionCookie, limits);
}

/**
 * A browser sends `Origin` on cross-site POSTs; a mutation whose origin is not this server's is refused, so
 * another website cannot drive the dashboard through a visitor's browser. Requests without `Origin`
 * (scripts, curl) are judged by their token alone.
 */
export function isForeignOrigin(origin: string | null, host: string | null): boolean {
  if (!origin) return false;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * Whether the browser reached this server over https: directly, or through a reverse proxy that ended TLS and
 * says so in `X-Forwarded-Proto` (only its first value counts: that is what the client used). Decides the
 * cookie's `Secure` flag.
 */
export function isHttpsRequest(url: string, forwardedProto: string | null): boolean {
  const first = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || new URL(url).protocol === "https:";
}

/** The `Set-Cookie` value of a session (`value`), or of its removal (`null`). */
export function sessionCookieHeader(
  value: string | null,
  options: { maxAgeS: number; isHttps: boolean },
): string {
  return [
    `${SESSION_COOKIE}=${value ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${value === null ? 0 : options.maxAgeS}`,
    ...(options.isHttps ? ["Secure"] : []),
  ].join("; ");
}

/** The `Set-Cookie` value that removes the session cookie, `Secure` when `request` came over https. */
export function clearedSessionCookieHeader(request: Request): string {
  return sessionCookieHeader(null, {
    maxAgeS: 0,
    isHttps: isHttpsRequest(request.url, request.headers.get("x-forwarded-proto")),
  });
}
