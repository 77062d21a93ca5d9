import { type NextRequest, NextResponse } from "next/server";
import { env } from "./env";
import { identify, isForeignOrigin, SESSION_COOKIE } from "./server/auth";

/** Reachable without a session in team mode: the sign-in page itself and the files it needs. */
const PUBLIC_PATHS = ["/sign-in", "/api/sign-in"];

/**
 * Guards every request before it reaches a page or an API. Always: a mutation from a foreign origin is refused.
 * In team mode (`LMSTRIX_TOKEN` set): pages need a session (else the sign-in page), APIs and event streams
 * need a session or `Authorization: Bearer <token>` (else 401).
 */
export function proxy(request: NextRequest) {
  const isMutation = request.method !== "GET" && request.method !== "HEAD" && request.method !== "OPTIONS";
  if (isMutation && isForeignOrigin(request.headers.get("origin"), request.headers.get("host"))) {
    return NextResponse.json({ error: "Requests from another origin are refused" }, { status: 403 });
  }
  const token = env().LMSTRIX_TOKEN;
  const { pathname, search } = request.nextUrl;
  if (!token || PUBLIC_PATHS.includes(pathname)) return NextResponse.next();

  const user = identify(token, {
    authorization: request.headers.get("authorization"),
    sessionCookie: request.cookies.get(SESSION_COOKIE)?.value,
  });
  if (user) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json(
      { error: "Sign in first: this LMStrix needs its access token (cookie or Authorization: Bearer)" },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but Next's static build files (no secrets in them; the sign-in page needs them).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
