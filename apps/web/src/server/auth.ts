import { createHmac, timingSafeEqual } from "node:crypto";

/** Team mode's session cookie: `<name>.<signature>`, signed with the access token, httpOnly. */
export const SESSION_COOKIE = "lmstrix_session";
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export const userNameSchemaMessage = "Your name may use 1–40 letters, digits, spaces, '.', '_' and '-'";
const USER_NAME = /^[\p{L}\p{N} ._-]{1,40}$/u;

export function isValidUserName(name: string): boolean {
  return USER_NAME.test(name) && name.trim() === name;
}

function sign(token: string, name: string): string {
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

export function createSessionValue(token: string, name: string): string {
  return `${Buffer.from(name).toString("base64url")}.${sign(token, name)}`;
}

/** The signed-in name, or `null` when the cookie is missing, malformed or signed with another token. */
export function readSessionValue(token: string, value: string | undefined): string | null {
  if (!value) return null;
  const [encodedName, signature] = value.split(".");
  if (!encodedName || !signature) return null;
  const name = Buffer.from(encodedName, "base64url").toString();
  if (!isValidUserName(name)) return null;
  return safeEqual(signature, sign(token, name)) ? name : null;
}

/**
 * Who is making a request when a token is set: the session's name, "api" for a correct bearer token, or
 * `null` for nobody.
 */
export function identify(
  token: string,
  request: { authorization: string | null; sessionCookie: string | undefined },
): string | null {
  const bearer = request.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer !== undefined) return isAccessToken(token, bearer.trim()) ? "api" : null;
  return readSessionValue(token, request.sessionCookie);
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
