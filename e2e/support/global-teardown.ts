import { rmSync } from "node:fs";

/** Removes the temporary data directory the run's server used. */
export default function globalTeardown() {
  const dataDir = process.env.LMSTRIX_E2E_DATA_DIR;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
