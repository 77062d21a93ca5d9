import { clearedSessionCookieHeader } from "~/server/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The header's "Sign out" button: removes the session cookie and goes to the sign-in page. A POST, so the
 * proxy refuses it from another origin like every other mutation (no other website can sign a user out).
 */
export function POST(request: Request) {
  const headers = new Headers({ location: "/sign-in" });
  headers.append("set-cookie", clearedSessionCookieHeader(request));
  return new Response(null, { status: 303, headers });
}
