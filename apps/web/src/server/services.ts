import "server-only";
import { type Database, PrismaNotificationStore, PrismaScheduleStore, PrismaStore } from "@lmstrix/db";
import { env, type WebEnv } from "~/env";
import { getDatabase } from "./db";
import { Notifier } from "./notifier";
import { WebRunWorker } from "./run-worker";
import { RuntimeRegistry } from "./runtimes";
import { Scheduler } from "./scheduler";

export interface Services {
  db: Database;
  store: PrismaStore;
  runtimes: RuntimeRegistry;
  worker: WebRunWorker;
  schedules: PrismaScheduleStore;
  scheduler: Scheduler;
  notifications: PrismaNotificationStore;
  /** Sends a run's notifications once it has ended (the worker's runs, and queued runs cancelled). */
  notifier: Notifier;
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
  return assembleServices(db, store, config);
}

/** The services over an open database (tests build them on a temporary one with their own settings). */
export function assembleServices(db: Database, store: PrismaStore, config: WebEnv): Services {
  const runtimes = new RuntimeRegistry({ loadMs: config.LMSTRIX_LOAD_TIMEOUT_MS });
  const schedules = new PrismaScheduleStore(db.prisma);
  const scheduler = new Scheduler(
    schedules,
    store,
    { leaseStaleMs: config.LMSTRIX_LEASE_STALE_MS, cooldownMs: config.LMSTRIX_COOLDOWN_MS },
    config.LMSTRIX_TEST_CLOCK,
  );
  const notifications = new PrismaNotificationStore(db.prisma);
  const notifier = new Notifier(store, notifications, config, {
    firstDelayMs: config.LMSTRIX_WEBHOOK_RETRY_MS,
  });
  const worker = new WebRunWorker(store, db, runtimes, config, scheduler, notifier);
  return {
    db,
    store,
    runtimes,
    worker,
    schedules,
    scheduler,
    notifications,
    notifier,
    oneImportAtATime: serialQueue(),
  };
}
