import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDbEnv } from "./env";

export const DATABASE_FILE_NAME = "lmstrix.db";

/** The monorepo root: the nearest folder above this package holding `pnpm-workspace.yaml`. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** `LMSTRIX_DATA_DIR` made absolute, or `data/` at the repo root. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = readDbEnv(env).LMSTRIX_DATA_DIR;
  return configured ? path.resolve(configured) : path.join(repoRoot(), "data");
}

export function databasePath(directory: string = dataDir()): string {
  return path.join(directory, DATABASE_FILE_NAME);
}

/**
 * One absolute `file:` URL for the CLI and the app alike: a relative one would resolve from the working
 * directory in one place and from the schema folder in another.
 */
export function databaseUrl(file: string = databasePath()): string {
  return `file:${file}`;
}

/** Folder of the committed SQL migrations. */
export function migrationsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");
}
