import "server-only";
import type { Database } from "@lmstrix/db";
import type { NextRequest } from "next/server";
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

/**
 * Per-request context for the HTTP handler. Access itself is checked in proxy.ts before a request gets here;
 * this only works out the name to record on runs.
 */
export async function createContext(req: NextRequest): Promise<ContextInner> {
  const token = env().LMSTRIX_TOKEN;
  const user = token
    ? identify(
        token,
        {
          authorization: req.headers.get("authorization"),
          sessionCookie: req.cookies.get(SESSION_COOKIE)?.value,
        },
        { maxAgeS: sessionMaxAgeS(env().LMSTRIX_SESSION_DAYS) },
      )
    : null;
  return createContextInner({ db: getDatabase, services: getServices, userName: user ?? "web" });
}

export type Context = Awaited<ReturnType<typeof createContext>>;
