import "server-only";
import type { Database } from "@lmstrix/db";
import { getDatabase } from "./db";

export interface ContextInner {
  /** Opens lazily so that a broken database turns into an error response, not a crashed server. */
  db: () => Promise<Database>;
}

/** The part of the context tests build directly (with `createCaller`). */
export function createContextInner(inner: ContextInner): ContextInner {
  return inner;
}

/** Per-request context for the HTTP handler. */
export async function createContext(_opts: { headers: Headers }): Promise<ContextInner> {
  return createContextInner({ db: getDatabase });
}

export type Context = Awaited<ReturnType<typeof createContext>>;
