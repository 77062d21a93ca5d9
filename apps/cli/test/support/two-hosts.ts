import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { expect } from "vitest";
import { type CliResult, runInProcess, type TempDir, tempDataDir, testEnv } from "./cli";

/** Two emulated machines as two hosts of one database: `local` (LMSTUDIO_URL) and `gpu2`. */
export interface TwoHosts {
  data: TempDir;
  cli(...argv: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

/** Starts both, scans both, then runs the `setup` command lines, each of which must succeed. */
export async function startTwoHosts(
  fleets: { local: FleetInput; gpu2: FleetInput },
  seeds: [number, number],
  setup: readonly string[][],
): Promise<TwoHosts> {
  const first: Emulator = await startEmulator({
    port: 0,
    fleet: fleets.local,
    timeScale: 0.001,
    seed: seeds[0],
  });
  const second: Emulator = await startEmulator({
    port: 0,
    fleet: fleets.gpu2,
    timeScale: 0.001,
    seed: seeds[1],
  });
  const data = tempDataDir();
  const env = testEnv(first.url, data.dir);
  const cli = (...argv: string[]) => runInProcess(argv, env);
  for (const argv of [["scan"], ["host", "add", "gpu2", second.url], ["scan", "--host", "gpu2"], ...setup]) {
    const result = await cli(...argv);
    expect(result.code, `${argv.join(" ")}: ${result.stderr}`).toBe(0);
  }
  return {
    data,
    cli,
    async close() {
      await first.close();
      await second.close();
      data.dispose();
    },
  };
}
