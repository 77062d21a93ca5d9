import { stat } from "node:fs/promises";
import type { DownloadedModel } from "@lmstrix/core";
import { modelFile } from "@lmstrix/core/lmstudio-home";

/**
 * The modification time of each listed model's file, read where this machine has the host's LM Studio home
 * (`<home>/models/<path>`); LM Studio's model info has the size but no time. Null where it cannot be read (no
 * home here, no such file): unknown, which never makes a result stale.
 */
export async function modelFileTimes(
  lmstudioHome: string | null,
  models: readonly DownloadedModel[],
): Promise<Map<string, Date | null>> {
  const times = new Map<string, Date | null>();
  await Promise.all(
    models.map(async (model) => {
      const file = lmstudioHome === null ? null : modelFile(lmstudioHome, model);
      const time =
        file === null
          ? null
          : await stat(file).then(
              (facts) => facts.mtime,
              () => null,
            );
      times.set(model.modelKey, time);
    }),
  );
  return times;
}
