import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { savedLoadDefaultsFile } from "@lmstrix/core/lmstudio-home";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitsResponse } from "~/server/limits-api";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

const EXISTING = JSON.stringify({
  preset: "",
  operation: { fields: [] },
  load: {
    fields: [
      { key: "llm.load.contextLength", value: 2048 },
      { key: "llm.load.seed", value: 42 },
    ],
  },
  anotherTool: "kept",
});

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-"));
});
afterAll(() => rm(home, { recursive: true, force: true }));

async function testedSmallModel() {
  const api = harness.caller();
  await api.host.scan({ id: harness.localHostId });
  const small = (await api.model.list()).find((row) => row.modelKey === "small")!;
  const { id: runId } = await api.run.start({
    hostId: harness.localHostId,
    modelKeys: ["small"],
    options: { cooldownMs: 0 },
  });
  await waitUntil("the run to end", async () => (await api.run.get({ id: runId })).status === "completed");
  return { api, small, runId };
}

describe("Apply to LM Studio (model router) and /api/limits", () => {
  it("previews, applies and undoes the limit in the host's LM Studio home, keeping the other fields", async () => {
    const { api, small, runId } = await testedSmallModel();
    const previous = process.env.LMSTUDIO_HOME;
    process.env.LMSTUDIO_HOME = path.join(home, "not-there");
    try {
      const elsewhere = await api.model.applyPreview({ modelId: small.id, limit: "loadable" });
      expect(elsewhere).toMatchObject({ state: "elsewhere", command: "lmstrix apply small --host local" });
      expect((await refusal(api.model.applyLimit({ modelId: small.id, limit: "loadable" }))).code).toBe(
        "BAD_REQUEST",
      );
    } finally {
      if (previous === undefined) delete process.env.LMSTUDIO_HOME;
      else process.env.LMSTUDIO_HOME = previous;
    }

    await api.host.update({ id: harness.localHostId, lmstudioHome: home });
    const file = savedLoadDefaultsFile(home, {
      path: (await harness.services.store.getModel(harness.localHostId, "small"))!.path,
    })!;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, EXISTING);

    expect(await api.model.applyPreview({ modelId: small.id, limit: "effective" })).toMatchObject({
      state: "unmeasured",
    });
    // An effective search that found none is said as such (the store as such a run leaves it).
    await harness.services.store.updateModelSummary(small.id, { effectiveThreshold: 0.9 });
    expect(await api.model.applyPreview({ modelId: small.id, limit: "effective" })).toMatchObject({
      state: "unmeasured",
      noneFoundReason: "no size recalled 90% of its needles",
    });
    await harness.services.store.updateModelSummary(small.id, { effectiveThreshold: null });
    expect(await api.model.applyPreview({ modelId: small.id, limit: "effective" })).toMatchObject({
      noneFoundReason: null,
    });
    const preview = await api.model.applyPreview({ modelId: small.id, limit: "loadable" });
    expect(preview).toMatchObject({ state: "ready", change: { file, before: 2048, after: 8_192 } });
    expect(await readFile(file, "utf8")).toBe(EXISTING);

    const applied = await api.model.applyLimit({ modelId: small.id, limit: "loadable" });
    expect(applied.contextLength).toBe(8_192);
    const written = JSON.parse(await readFile(file, "utf8"));
    expect(written).toEqual({
      ...JSON.parse(EXISTING),
      load: {
        fields: [
          { key: "llm.load.contextLength", value: 8_192 },
          { key: "llm.load.seed", value: 42 },
        ],
      },
    });
    expect(applied.change.backup.startsWith(path.join(harness.dataDir, "lmstudio-backups", "local"))).toBe(
      true,
    );

    expect(await api.model.undoApply({ modelId: small.id })).toMatchObject({
      outcome: "restored",
      contextLength: 2048,
    });
    expect(await readFile(file, "utf8")).toBe(EXISTING);
    expect((await refusal(api.model.undoApply({ modelId: small.id }))).code).toBe("NOT_FOUND");

    await writeFile(file, "not json");
    expect((await refusal(api.model.applyLimit({ modelId: small.id, limit: "loadable" }))).code).toBe(
      "CONFLICT",
    );
    expect(await readFile(file, "utf8")).toBe("not json");

    const response = await limitsResponse(
      harness.services.store,
      new URL("http://lmstrix/api/limits?host=local"),
    );
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report).toMatchObject({ format: "lmstrix-limits", version: 1 });
    expect(report.hosts.local.models.small).toMatchObject({ loadable: 8_192, effective: null, runId });
    expect(typeof report.hosts.local.models.small.lmStudioVersion).toBe("string");
    const unknown = await limitsResponse(
      harness.services.store,
      new URL("http://lmstrix/api/limits?host=nope"),
    );
    expect(unknown.status).toBe(404);
  });
});
