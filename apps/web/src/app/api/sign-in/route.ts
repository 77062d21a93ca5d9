import { env } from "~/env";
import {
  createSessionValue,
  isAccessToken,
  isHttpsRequest,
  isValidUserName,
  sessionCookieHeader,
  sessionMaxAgeS,
} from "~/server/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HERE = "http://lmstrix.invalid";

/**
 * Only a path on this server: never an absolute or protocol-relative URL (no open redirect). Read with the URL
 * parser browsers use, which drops tabs and line breaks and reads '\' as '/': "/\t/evil.example" leaves too.
 */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  const url = next.startsWith("/") && URL.canParse(next, HERE) ? new URL(next, HERE) : null;
  return url?.origin === HERE ? `${url.pathname}${url.search}${url.hash}` : "/models";
}

function redirect(location: string, cookie?: string) {
  const headers = new Headers({ location });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** The sign-in form's target: checks the token, then sets the session cookie with the user's name. */
export async function POST(request: Request) {
  const token = env().LMSTRIX_TOKEN;
  const form = await request.formData().catch(() => null);
  const next = safeNext(form?.get("next") ?? null);
  if (!token) return redirect(next);
  const name = String(form?.get("name") ?? "").trim();
  const candidate = String(form?.get("token") ?? "");
  const back = (error: string) =>
    redirect(`/sign-in?${new URLSearchParams({ error, next, name: name.slice(0, 40) }).toString()}`);
  if (!isValidUserName(name)) return back("name");
  if (!isAccessToken(token, candidate)) return back("token");
  const cookie = sessionCookieHeader(createSessionValue(token, name), {
    maxAgeS: sessionMaxAgeS(env().LMSTRIX_SESSION_DAYS),
    isHttps: isHttpsRequest(request.url, request.headers.get("x-forwarded-proto")),
  });
  return redirect(next, cookie);
}
