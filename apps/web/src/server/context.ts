import "server-only";
import type { Database } from "@lmstrix/db";
import { env } from "~/env";
import { identify, SESSION_COOKIE, sessionMaxAgeS } from "./auth";
import { getDatabase } from "./db";
import { getServices, type Services } from "./services";

export interface ContextInner {
  /** Opens lazily so that a broken database turns into an error response, not a crashed server. */
  db: () => Promise<Database>;
  services: () => Promise<Services>;
  /** Who is asking: the name given at sign-in, or "web" when the dashboard is open to all. */
  userName: string;
}

/** The part of the context tests build directly (with `createCaller`). */
export function createContextInner(inner: ContextInner): ContextInner {
  return inner;
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/**
 * Per-request context for the HTTP handler. Access itself is checked in proxy.ts before a request gets here;
 * this only works out the name to record on runs.
 */
export async function createContext(opts: { headers: Headers }): Promise<ContextInner> {
  const token = env().LMSTRIX_TOKEN;
  const user = token
    ? identify(
        token,
        {
          authorization: opts.headers.get("authorization"),
          sessionCookie: readCookie(opts.headers.get("cookie"), SESSION_COOKIE),
        },
        { maxAgeS: sessionMaxAgeS(env().LMSTRIX_SESSION_DAYS) },
      )
    : null;
  return createContextInner({ db: getDatabase, services: getServices, userName: user ?? "web" });
}

export type Context = Awaited<ReturnType<typeof createContext>>;
