import type { Client } from "@libsql/client";

/** How long a connection waits for another process's write lock (the CLI and the web server share the file). */
export const BUSY_TIMEOUT_MS = 10_000;

const CONNECTION_PRAGMAS = [`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`, "PRAGMA foreign_keys = ON"];

/**
 * Wraps a libsql client so that every SQLite connection it uses has a busy timeout and foreign keys on.
 *
 * Why a wrapper: both are per-connection settings, libsql offers no option for them, and its client opens a
 * fresh connection after every `transaction()` (the old one is handed to the transaction). Without this a
 * second process gets SQLITE_BUSY at once instead of waiting, and cascades silently do nothing.
 */
export function withConnectionPragmas<T extends Pick<Client, "execute" | "transaction">>(client: T): T {
  let isConfigured = false;
  const configure = async () => {
    if (isConfigured) return;
    // One statement per call: `PRAGMA busy_timeout` returns a row, which libsql's executeMultiple rejects.
    for (const pragma of CONNECTION_PRAGMAS) await client.execute(pragma);
    isConfigured = true;
  };
  return new Proxy(client, {
    // `target` as receiver everywhere: libsql's client keeps its state in #private fields.
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "close") return value.bind(target);
      return async (...args: unknown[]) => {
        await configure();
        const result = await value.apply(target, args);
        // The connection just configured now belongs to the transaction; the next call opens a new one.
        if (property === "transaction") isConfigured = false;
        return result;
      };
    },
  });
}
