import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, openDatabase, PrismaStore } from "@lmstrix/db";
import { afterEach, beforeEach } from "vitest";

/** For each test of the enclosing file: a fresh database file in a temporary directory, and its store. */
export function tempStore(prefix: string): { readonly db: Database; readonly store: PrismaStore } {
  let state: { dir: string; db: Database; store: PrismaStore } | undefined;
  beforeEach(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `lmstrix-web-${prefix}-`));
    const db = await openDatabase({ dataDir: dir });
    state = { dir, db, store: new PrismaStore(db.prisma) };
  });
  afterEach(async () => {
    if (!state) return;
    await state.db.close();
    rmSync(state.dir, { recursive: true, force: true });
    state = undefined;
  });
  const started = () => {
    if (!state) throw new Error("the temporary store exists only while a test runs");
    return state;
  };
  return {
    get db() {
      return started().db;
    },
    get store() {
      return started().store;
    },
  };
}

/** A host `name` with an LLM of 32,768 declared tokens for each key (`quantization` as given). */
export async function hostWithModels(
  store: PrismaStore,
  name: string,
  keys: readonly string[],
  { quantization = null }: { quantization?: string | null } = {},
) {
  const host = await store.ensureHost(name, `ws://127.0.0.1:1/${name}`);
  await store.syncModels(
    host.id,
    keys.map((modelKey) => ({
      modelKey,
      displayName: modelKey,
      type: "llm" as const,
      format: "gguf",
      publisher: null,
      path: `${modelKey}.gguf`,
      sizeBytes: 1_000,
      architecture: null,
      quantization,
      params: null,
      declaredContext: 32_768,
      vision: false,
      toolUse: false,
    })),
    new Date(),
  );
  return host;
}
