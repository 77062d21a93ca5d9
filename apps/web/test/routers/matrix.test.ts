import { startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, describe, expect, it } from "vitest";
import { fromJsonText } from "~/lib/json-text";
import { ROUTER_FLEET, refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();
const second = startEmulator({ port: 0, fleet: ROUTER_FLEET, timeScale: 0.001, seed: 6 });
afterAll(async () => (await second).close());

describe("matrix router", () => {
  it("shows every base model × host with measured, untested and stale cells, and finds what fits", async () => {
    const api = harness.caller();
    const other = await api.host.create({ name: "second", url: (await second).url });
    await api.host.scan({ id: harness.localHostId });
    await api.host.scan({ id: other.id });
    const { id: runId } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { cooldownMs: 0 },
    });
    await waitUntil("the run to end", async () => (await api.run.get({ id: runId })).status === "completed");

    const matrix = fromJsonText(await api.matrix.get());
    expect(matrix.hosts.map((host) => host.name)).toEqual(["local", "second"]);
    expect(matrix.groups.map((group) => group.base)).toEqual(["embedder", "large", "small"]);
    const [onLocal, onSecond] = matrix.groups[2]?.rows[0]?.cells ?? [];
    const tested = (await api.model.list({ hostId: harness.localHostId })).find(
      (row) => row.modelKey === "small",
    );
    expect(onLocal).toMatchObject({
      modelId: tested?.id,
      loadableLimit: tested?.loadableLimit,
      share: (tested?.loadableLimit ?? 0) / 8_192,
      untested: false,
      stale: [],
    });
    expect(onLocal?.genTokensPerSec).toBeGreaterThan(0);
    expect(onSecond).toMatchObject({ untested: true, share: null });

    // Measured under 0.3.20; the host reports 0.4.21 now.
    const { prisma } = harness.services.db;
    await prisma.model.update({ where: { id: tested?.id }, data: { measuredLmStudioVersion: "0.3.20" } });
    await prisma.host.update({ where: { id: harness.localHostId }, data: { lmStudioVersion: "0.4.21" } });
    const stale = fromJsonText(await api.matrix.get()).groups[2]?.rows[0]?.cells[0];
    expect(stale?.stale).toEqual(["LM Studio 0.3.20 → 0.4.21"]);

    const fits = fromJsonText(await api.matrix.fit({ tokens: 8_000, minTokensPerSec: 1, type: "llm" }));
    expect(fits.map((fit) => [fit.modelKey, fit.hostName])).toEqual([["small", "local"]]);
    expect(fits[0]).toMatchObject({ limit: tested?.loadableLimit, limitKind: "loadable" });
    expect(fromJsonText(await api.matrix.fit({ tokens: 9_000 }))).toEqual([]);
  });

  it("refuses a finder request that is not a context size", async () => {
    const api = harness.caller();
    expect((await refusal(api.matrix.fit({ tokens: 0 }))).code).toBe("BAD_REQUEST");
    expect((await refusal(api.matrix.fit({ tokens: 1_000, minTokensPerSec: -2 }))).code).toBe("BAD_REQUEST");
  });
});
