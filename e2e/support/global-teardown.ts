import { rmSync } from "node:fs";

/** Removes the temporary data directories the run's servers used. */
export default function globalTeardown() {
  for (const name of ["LMSTRIX_E2E_DATA_DIR", "LMSTRIX_E2E_TEAM_DATA_DIR"]) {
    const dataDir = process.env[name];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
