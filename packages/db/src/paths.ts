import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

/** Where the data lives when `LMSTRIX_DATA_DIR` is not set: `data/` at the repo root. */
export function defaultDataDir(): string {
  return path.join(repoRoot(), "data");
}

/**
 * The configured data directory (the apps read `LMSTRIX_DATA_DIR` in their env modules) made absolute from
 * `base`, or the default one.
 */
export function dataDir(configured: string | undefined, base: string = process.cwd()): string {
  return configured ? path.resolve(base, configured) : defaultDataDir();
}

export function databasePath(directory: string): string {
  return path.join(directory, DATABASE_FILE_NAME);
}

/**
 * One absolute `file:` URL for the CLI and the app alike: a relative one would resolve from the working
 * directory in one place and from the schema folder in another.
 */
export function databaseUrl(file: string): string {
  return `file:${file}`;
}

/** Folder of the committed SQL migrations. */
export function migrationsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");
}
