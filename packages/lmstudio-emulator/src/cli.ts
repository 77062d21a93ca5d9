#!/usr/bin/env -S npx tsx
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { FleetValidationError } from "./fleet/schema.js";
import { parseLmStudioVersion } from "./lmstudio-version.js";
import { formatGigabytes } from "./memory-footprint.js";
import { startEmulator } from "./server.js";

const USAGE = `Usage: lmstudio-emulator [--port 1234] [--host 127.0.0.1] [--fleet FILE] [--time-scale X] [--seed N]
                         [--lmstudio-version V] [--lmstudio-home DIR] [--quiet]

  --port N          TCP port (0 = pick a free one; the real port is printed). Default 1234.
  --host ADDR       Interface to bind. Default 127.0.0.1.
  --fleet FILE      JSON fleet file (see README.md). Default: the built-in 57-model fleet.
  --time-scale X    Multiplier for simulated load/prediction time (0 = instant). Default 1.
  --seed N          Seed for every random choice. Default 1.
  --lmstudio-version V
                    LM Studio version to report, "0.4.23" or "0.4.23+2". Default: the fleet's (0.3.20).
  --lmstudio-home DIR
                    LM Studio's home folder: loads that name no context length use the model's default
                    saved in DIR/.internal/user-concrete-model-default-config/<model path>.json.
  --quiet           Do not log loads, unloads and failures.`;

function usageError(message: string): never {
  process.stderr.write(`lmstudio-emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: "1234" },
        host: { type: "string", default: "127.0.0.1" },
        fleet: { type: "string" },
        "time-scale": { type: "string", default: "1" },
        seed: { type: "string", default: "1" },
        "lmstudio-version": { type: "string" },
        "lmstudio-home": { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    usageError((error as Error).message);
  }
}

function integerFlag(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    usageError(`--${name} must be an integer between ${min} and ${max}, got "${text}"`);
  }
  return value;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const flags = parseCommandLine();
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = integerFlag("port", flags.port, 0, 65535);
  const seed = integerFlag("seed", flags.seed, 0, 2 ** 32 - 1);
  const timeScale = Number(flags["time-scale"]);
  if (flags["time-scale"].trim() === "" || !Number.isFinite(timeScale) || timeScale < 0) {
    usageError(`--time-scale must be a number ≥ 0, got "${flags["time-scale"]}"`);
  }
  if (flags.host.trim() === "") usageError("--host must not be empty");
  const lmStudioVersion = flags["lmstudio-version"];
  if (lmStudioVersion !== undefined) {
    try {
      parseLmStudioVersion(lmStudioVersion);
    } catch (error) {
      usageError(`--lmstudio-version: ${(error as Error).message}`);
    }
  }
  const lmstudioHome = flags["lmstudio-home"];
  if (lmstudioHome !== undefined && !isDirectory(lmstudioHome)) {
    usageError(`--lmstudio-home must be an existing folder, got "${lmstudioHome}"`);
  }

  const log =
    (level: string) =>
    (...args: unknown[]) =>
      console.error(
        new Date().toISOString(),
        level,
        ...args.map((arg) => (arg instanceof Error ? arg.message : arg)),
      );
  const emulator = await startEmulator({
    port,
    host: flags.host,
    ...(flags.fleet !== undefined ? { fleetFile: flags.fleet } : {}),
    timeScale,
    seed,
    ...(lmStudioVersion !== undefined ? { lmStudioVersion } : {}),
    ...(lmstudioHome !== undefined ? { lmstudioHome } : {}),
    logger: flags.quiet ? {} : { info: log("INFO"), warn: log("WARN"), error: log("ERROR") },
  });
  console.log(
    `LM Studio emulator listening on ${emulator.url} (${emulator.fleet.models.length} models, ` +
      `${formatGigabytes(emulator.fleet.memoryBytes)} GB memory)`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!flags.quiet) console.error(`Received ${signal}, shutting down`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof FleetValidationError) {
    process.stderr.write(`lmstudio-emulator: ${error.message}\n`);
  } else {
    process.stderr.write(`lmstudio-emulator: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
