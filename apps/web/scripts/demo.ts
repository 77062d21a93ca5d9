// `pnpm demo`: the dashboard with the LM Studio emulator beside it, registered and scanned as a host, so a
// newcomer sees a full run without LM Studio. Its data lives apart from real measurements (data/demo).
import path from "node:path";
import { plural } from "@lmstrix/core";
import { dataDir as configuredDataDir, openDatabase, PrismaStore, repoRoot } from "@lmstrix/db";
import { createLmStudioRuntime } from "@lmstrix/lmstudio-adapter";
import { startEmulator } from "@lmstrix/lmstudio-emulator";
import { demoEnv } from "../src/env";
import { demoTimings } from "./demo-timings";
import { startDashboard } from "./start-dashboard";

const DEMO_HOST = "emulator";

async function main() {
  const config = demoEnv();
  // Absolute, so that the dashboard (which runs in apps/web) opens the same folder as this script.
  const dataDir = config.LMSTRIX_DATA_DIR
    ? configuredDataDir(config.LMSTRIX_DATA_DIR)
    : path.join(repoRoot(), "data", "demo");
  const timeScale = config.LMSTRIX_DEMO_TIME_SCALE;

  const emulator = await startEmulator({ port: 0, timeScale });
  console.log(`LM Studio emulator: ${emulator.url} (${emulator.fleet.models.length} simulated models)`);

  const db = await openDatabase({ dataDir });
  const store = new PrismaStore(db.prisma);
  const host = await store.ensureHost(DEMO_HOST, emulator.url);
  // The emulator gets a new port every start; point the demo host at it.
  await db.prisma.host.update({ where: { id: host.id }, data: { url: emulator.url, enabled: true } });
  const runtime = createLmStudioRuntime({ url: emulator.url });
  const sync = await store.syncModels(host.id, await runtime.listModels(), new Date());
  console.log(
    `Scanned the emulator: ${plural(sync.added.length, "new model")}, ${sync.changed.length} changed`,
  );
  await runtime.close();
  await db.close();
  // The CLI reads the same database when pointed at it; its default host is LM Studio's own port, not this one.
  const cliData = dataDir === path.join(repoRoot(), "data") ? "" : `LMSTRIX_DATA_DIR=${dataDir} `;
  console.log(`The CLI, from another shell: ${cliData}pnpm lmstrix list --host ${DEMO_HOST}`);

  // What the dashboard's environment gets: the scaled timings the user did not set (it validates them itself).
  const timings = demoTimings(timeScale, process.env);
  if (timeScale !== 1 && Object.keys(timings).length > 0) {
    const shown = Object.entries(timings).map(([name, ms]) => `${name}=${ms}`);
    console.log(`Time scale ${timeScale}: ${shown.join(", ")}`);
  }
  const server = startDashboard({
    ...process.env,
    ...timings,
    LMSTRIX_DATA_DIR: dataDir,
    LMSTUDIO_URL: emulator.url,
  });
  server.on("exit", (code) => {
    void emulator.close().finally(() => process.exit(code ?? 0));
  });
}

main().catch((error: unknown) => {
  console.error(`pnpm demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
