import { defaultFleet } from "@lmstrix/lmstudio-emulator";
import { DAY, ERRORS, Inserter, isoTime, type SeedContext } from "./seed-rows";

const HOST_NAMES = ["mac-studio", "rtx4090-box", "mbp-m3-max", "lab-server", "mini-pc"];

export interface SeededModels {
  hosts: Inserter;
  models: Inserter;
  /** Each host's model ids (index: host id − 1). */
  modelsByHost: number[][];
  declaredById: Map<number, number>;
}

/** The hosts, then the models spread over them: the default fleet's keys, with suffixes once a host used each. */
export async function seedHostsAndModels(ctx: SeedContext): Promise<SeededModels> {
  const { client, options, random, pick, now, origin } = ctx;
  // Hosts.
  const hosts = new Inserter(client, "Host", ["id", "name", "url", "enabled", "createdAt", "updatedAt"]);
  for (let h = 1; h <= options.hosts; h++) {
    const name = HOST_NAMES[h - 1] ?? `host-${h}`;
    await hosts.add([h, name, `http://127.0.0.1:${1233 + h}`, 1, isoTime(origin), isoTime(origin)]);
  }
  await hosts.flush();

  // Models: the default fleet's keys, with suffixes once a host has used each key.
  const fleet = defaultFleet.models;
  const modelCols = [
    "id",
    "hostId",
    "modelKey",
    "displayName",
    "type",
    "format",
    "publisher",
    "path",
    "sizeBytes",
    "architecture",
    "quantization",
    "params",
    "declaredContext",
    "vision",
    "toolUse",
    "isPresent",
    "firstSeenAt",
    "lastSeenAt",
    "testStatus",
    "loadableLimit",
    "effectiveLimit",
    "lastGoodContext",
    "lastBadContext",
    "lastTestedAt",
    "errorCategory",
    "errorMessage",
  ];
  const models = new Inserter(client, "Model", modelCols);
  const modelsByHost: number[][] = Array.from({ length: options.hosts }, () => []);
  const declaredById = new Map<number, number>();
  for (let m = 1; m <= options.models; m++) {
    const hostId = ((m - 1) % options.hosts) + 1;
    const index = Math.floor((m - 1) / options.hosts);
    const spec = fleet[index % fleet.length];
    if (!spec) throw new Error("empty fleet");
    const round = Math.floor(index / fleet.length);
    const key =
      round === 0
        ? spec.modelKey
        : `${spec.modelKey}-${["v2", "ft", "abliterated", "q6"][round % 4]}${round}`;
    const declared = spec.maxContextLength;
    const limit = Math.min(declared, Math.round(declared * (0.3 + random() * 0.7)));
    const status = random() < 0.85 ? "completed" : random() < 0.5 ? "failed" : "untested";
    const tested = status !== "untested";
    const error = status === "failed" ? pick(ERRORS) : null;
    declaredById.set(m, declared);
    modelsByHost[hostId - 1]?.push(m);
    await models.add([
      m,
      hostId,
      key,
      `${spec.displayName}${round ? ` (${round})` : ""}`,
      spec.type,
      "gguf",
      spec.publisher ?? null,
      spec.path,
      spec.sizeBytes,
      spec.architecture ?? null,
      spec.quantization?.name ?? null,
      spec.paramsString ?? null,
      declared,
      spec.vision ? 1 : 0,
      spec.trainedForToolUse ? 1 : 0,
      1,
      isoTime(origin),
      isoTime(now - DAY),
      status,
      tested && !error ? limit : null,
      tested && !error ? limit - Math.floor(random() * 200) : null,
      tested && !error ? limit : null,
      tested && limit < declared ? limit + 1024 : null,
      tested ? isoTime(now - Math.floor(random() * 30 * DAY)) : null,
      error?.[0] ?? null,
      error?.[1] ?? null,
    ]);
  }
  await models.flush();

  return { hosts, models, modelsByHost, declaredById };
}
