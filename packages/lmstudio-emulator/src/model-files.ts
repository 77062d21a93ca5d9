import { mkdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { modelFile } from "@lmstrix/core/lmstudio-home";
import type { FleetModel } from "./fleet/schema.js";

/**
 * With an LM Studio home, each model that has a `modifiedAt` in the fleet gets a file where LM Studio keeps it
 * (`<home>/models/<path>`): a few bytes, not the weights, with that modification time. What LMStrix reads of
 * it is only the time, so a restart with another `modifiedAt` looks like a re-downloaded file.
 */
export async function writeModelFiles(lmstudioHome: string, models: readonly FleetModel[]): Promise<void> {
  for (const model of models) {
    if (model.modifiedAt === undefined) continue;
    const file = modelFile(lmstudioHome, model);
    if (file === null) continue;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `LM Studio emulator stand-in for ${model.modelKey}\n`);
    const time = new Date(model.modifiedAt);
    await utimes(file, time, time);
  }
}
