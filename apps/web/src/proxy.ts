import { type NextRequest, NextResponse } from "next/server";
import { env } from "./env";
import { MAX_BODY_BYTES, MAX_BODY_MB } from "./lib/body-limit";
import {
  checkSession,
  clearedSessionCookieHeader,
  identify,
  isForeignOrigin,
  SESSION_COOKIE,
  sessionMaxAgeS,
} from "./server/auth";

/** Reachable without a session in team mode: the sign-in page itself and the files it needs. */
const PUBLIC_PATHS = ["/sign-in", "/api/sign-in", "/api/sign-out"];
/** `Sec-Fetch-Site` of a request a browser makes for another website's page (scripts send no such header). */
const OTHER_SITES = ["cross-site", "same-site"];

/**
 * Guards every request before it reaches a page or an API. Always: a mutation from a foreign origin is refused,
 * and so is any API request a browser makes for another website's page — a GET too, since an event stream such
 * as the playground's answer loads a model.
 * In team mode (`LMSTRIX_TOKEN` set): pages need a session (else the sign-in page), APIs and event streams
 * need a session or `Authorization: Bearer <token>` (else 401).
 */
export function proxy(request: NextRequest) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return NextResponse.json(
      { error: `The request is larger than ${MAX_BODY_MB} MB; LMStrix reads at most that much` },
      { status: 413 },
    );
  }
  const isMutation = request.method !== "GET" && request.method !== "HEAD" && request.method !== "OPTIONS";
  // A body of unknown length could pass the check above and then be cut silently at the limit.
  if (isMutation && request.headers.has("transfer-encoding") && !request.headers.has("content-length")) {
    return NextResponse.json(
      { error: `Send the request with a Content-Length header (LMStrix reads at most ${MAX_BODY_MB} MB)` },
      { status: 411 },
    );
  }
  const isApiForOtherSite =
    request.nextUrl.pathname.startsWith("/api/") &&
    OTHER_SITES.includes(request.headers.get("sec-fetch-site") ?? "");
  if (
    isApiForOtherSite ||
    (isMutation && isForeignOrigin(request.headers.get("origin"), request.headers.get("host")))
  ) {
    return NextResponse.json({ error: "Requests from another origin are refused" }, { status: 403 });
  }
  const token = env().LMSTRIX_TOKEN;
  const { pathname, search } = request.nextUrl;
  if (!token || PUBLIC_PATHS.includes(pathname)) return NextResponse.next();

  const limits = { maxAgeS: sessionMaxAgeS(env().LMSTRIX_SESSION_DAYS) };
  const sessionCookie = request.cookies.get(SESSION_COOKIE)?.value;
  const user = identify(
    token,
    { authorization: request.headers.get("authorization"), sessionCookie },
    limits,
  );
  if (user) return NextResponse.next();
  const isExpired = checkSession(token, sessionCookie, limits).state === "expired";
  if (pathname.startsWith("/api/")) {
    return NextResponse.json(
      {
        error: isExpired
          ? "Your session expired; sign in again"
          : "Sign in first: this LMStrix needs its access token (cookie or Authorization: Bearer)",
      },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${pathname}${search}`);
  if (!isExpired) return NextResponse.redirect(signIn);
  // The expired cookie goes too, so the browser stops sending it.
  signIn.searchParams.set("error", "expired");
  const response = NextResponse.redirect(signIn);
  response.headers.append("set-cookie", clearedSessionCookieHeader(request));
  return response;
}

export const config = {
  // Everything but Next's static build files and the icon (no secrets in them; the sign-in page needs them).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
