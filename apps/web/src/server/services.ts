import "server-only";
import { type Database, PrismaStore } from "@lmstrix/db";
import { env } from "~/env";
import { getDatabase } from "./db";
import { WebRunWorker } from "./run-worker";
import { RuntimeRegistry } from "./runtimes";

export interface Services {
  db: Database;
  store: PrismaStore;
  runtimes: RuntimeRegistry;
  worker: WebRunWorker;
  /**
   * Runs registry imports one after another: a 50 MB registry takes a few hundred MB while it is parsed and
   * written, and the server's heap is capped at 1 GB (scripts/start-dashboard.ts). They are one transaction each.
   */
  oneImportAtATime<T>(task: () => Promise<T>): Promise<T>;
}

export function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = last.then(task, task);
    last = result.catch(() => {});
    return result;
  };
}

// One set per server process, on globalThis so that dev-mode module reloads don't start a second worker.
const globalForServices = globalThis as typeof globalThis & { lmstrixServices?: Promise<Services> };

/** The server's database, store, LM Studio connections and run worker, created on first use. */
export function getServices(): Promise<Services> {
  globalForServices.lmstrixServices ??= createServices().catch((error: unknown) => {
    globalForServices.lmstrixServices = undefined;
    throw error;
  });
  return globalForServices.lmstrixServices;
}

async function createServices(): Promise<Services> {
  const config = env();
  const db = await getDatabase();
  const store = new PrismaStore(db.prisma);
  // The default host, so a fresh install has something to scan.
  if ((await store.listHosts()).length === 0) await store.ensureHost("local", config.LMSTUDIO_URL);
  const runtimes = new RuntimeRegistry({ loadMs: config.LMSTRIX_LOAD_TIMEOUT_MS });
  const worker = new WebRunWorker(store, db, runtimes, config);
  return { db, store, runtimes, worker, oneImportAtATime: serialQueue() };
}
