import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

describe("host router", () => {
  it("lists the default host; a scan reads its models, new ones said as new", async () => {
    const api = harness.caller();
    const before = await api.host.list();
    expect(before.map(({ name, modelCount }) => ({ name, modelCount }))).toEqual([
      { name: "local", modelCount: 0 },
    ]);
    const scan = await api.host.scan({ id: harness.localHostId });
    expect([...scan.added].sort()).toEqual(["embedder", "large", "small"]);
    const again = await api.host.scan({ id: harness.localHostId });
    expect(again).toMatchObject({ added: [], changed: [], gone: [], unchanged: 3 });
    expect((await api.host.list())[0]?.modelCount).toBe(3);
  });

  it("says whether LM Studio answers: its version when up, the reason when down", async () => {
    const api = harness.caller();
    const up = await api.host.status({ id: harness.localHostId });
    expect(up).toMatchObject({ reachable: true, error: null });
    expect(up.version).toMatch(/^\d+\.\d+\.\d+/);

    const down = await api.host.create({ name: "gone", url: "ws://127.0.0.1:1" });
    const status = await api.host.status({ id: down.id });
    expect(status.reachable).toBe(false);
    expect(status.error).toContain("LM Studio is not answering at ws://127.0.0.1:1");
    const scan = await refusal(api.host.scan({ id: down.id }));
    expect(scan.message).toMatch(/^Could not scan gone: /);
    await api.host.delete({ id: down.id });
  });

  it("refuses a second host of the same name, a bad URL and an unknown id, saying which", async () => {
    const api = harness.caller();
    const twin = await refusal(api.host.create({ name: "local", url: "ws://127.0.0.1:2" }));
    expect(twin.code).toBe("CONFLICT");
    expect(twin.message).toBe('A host named "local" exists already');

    const badUrl = await refusal(api.host.create({ name: "other", url: "http//nowhere" }));
    expect(badUrl.code).toBe("BAD_REQUEST");
    // (The HTTP handler's error formatter turns the issues into "url: …"; a direct caller gets them as the cause.)
    expect(badUrl.cause).toBeInstanceOf(ZodError);
    expect((badUrl.cause as ZodError).issues).toMatchObject([
      { path: ["url"], message: "host URL must look like ws://127.0.0.1:1234" },
    ]);

    // What LM Studio's SDK would refuse on every call is refused here, once; a name differing in case is taken.
    for (const [url, message] of [
      ["ws://127.0.0.1:1234/?x=1", 'host URL must not carry a query ("?x=1"): LM Studio\'s SDK refuses it'],
      ["ws://127.0.0.1:1234#top", 'host URL must not carry a fragment ("#top"): LM Studio\'s SDK refuses it'],
      [
        "ws://user:pw@127.0.0.1:1234",
        "host URL must not carry a user name or password: LM Studio's SDK refuses them (and they would be stored in plain text)",
      ],
    ] as const) {
      const refused = await refusal(api.host.create({ name: "other", url }));
      expect((refused.cause as ZodError).issues, url).toMatchObject([{ path: ["url"], message }]);
    }
    const cased = await refusal(api.host.create({ name: "LOCAL", url: "ws://127.0.0.1:2" }));
    expect(cased.message).toBe('A host named "local" exists already');
    expect((await api.host.list()).map((host) => host.name)).toEqual(["local"]);

    const other = await api.host.create({ name: "other", url: "ws://127.0.0.1:3" });
    const clash = await refusal(api.host.update({ id: other.id, name: "local" }));
    expect(clash.code).toBe("CONFLICT");
    const renamed = await api.host.update({ id: other.id, name: "spare", enabled: false });
    expect(renamed).toMatchObject({ name: "spare", enabled: false });

    for (const call of [
      api.host.update({ id: 9_999, name: "x" }),
      api.host.delete({ id: 9_999 }),
      api.host.status({ id: 9_999 }),
      api.host.scan({ id: 9_999 }),
    ]) {
      const missing = await refusal(call);
      expect(missing.code).toBe("NOT_FOUND");
      expect(missing.message).toBe("No host with id 9999");
    }
    await api.host.delete({ id: other.id });
    expect((await api.host.list()).map((host) => host.name)).toEqual(["local"]);
  });

  it("takes an LM Studio home only where it is a folder on this machine, writing nothing otherwise", async () => {
    const api = harness.caller();
    const home = await mkdtemp(path.join(tmpdir(), "lmstudio-home-"));
    try {
      const missing = path.join(home, "no-such-folder");
      const refusedAdd = await refusal(
        api.host.create({ name: "far", url: "ws://127.0.0.1:4", lmstudioHome: missing }),
      );
      expect(refusedAdd.code).toBe("BAD_REQUEST");
      expect(refusedAdd.message).toBe(
        `there is no folder ${missing} on this machine (LM Studio home must be an existing folder here)`,
      );
      expect((await api.host.list()).map((host) => host.name)).toEqual(["local"]);

      const file = path.join(home, "settings.json");
      await writeFile(file, "{}");
      const refusedEdit = await refusal(api.host.update({ id: harness.localHostId, lmstudioHome: file }));
      expect(refusedEdit.message).toBe(`LM Studio home ${file} is a file, not a folder`);
      expect((await api.host.list())[0]?.lmstudioHome).toBeNull();

      expect((await api.host.update({ id: harness.localHostId, lmstudioHome: home })).lmstudioHome).toBe(
        home,
      );
      // The home it has is not checked again: a drive unmounted since does not stop an edit of the rest.
      const moved = path.join(home, "moved");
      await mkdir(moved);
      await api.host.update({ id: harness.localHostId, lmstudioHome: moved });
      await rm(moved, { recursive: true });
      const edited = await api.host.update({ id: harness.localHostId, lmstudioHome: moved, enabled: true });
      expect(edited.lmstudioHome).toBe(moved);
      // Taking it away needs no folder.
      expect(
        (await api.host.update({ id: harness.localHostId, lmstudioHome: null })).lmstudioHome,
      ).toBeNull();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("does not remove a host while one of its runs is running", async () => {
    const api = harness.caller();
    const spare = await api.host.create({ name: "busy", url: harness.emulator.url });
    await api.host.scan({ id: spare.id });
    const { id: runId } = await api.run.start({
      hostId: spare.id,
      modelKeys: ["large"],
      options: { strategy: "lmstrix", cooldownMs: 0 },
    });
    await waitUntil("the run to start", async () => (await api.run.get({ id: runId })).status === "running");
    const snapshotsBefore = (await api.data.snapshots()).length;
    const refused = await refusal(api.host.delete({ id: spare.id }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toBe("A run is running on this host; cancel it first");
    // Refused before anything was written, even a snapshot.
    expect(await api.data.snapshots()).toHaveLength(snapshotsBefore);
    // Nor is it moved to another URL under its run; the rest of it may change.
    await waitUntil("the run to hold the host", async () => {
      const hosts = await api.host.list();
      return hosts.find((host) => host.id === spare.id)?.lease !== null;
    });
    const moved = await refusal(api.host.update({ id: spare.id, url: "ws://127.0.0.1:2" }));
    expect(moved.code).toBe("CONFLICT");
    expect(moved.message).toBe(
      `Host busy is busy with run #${runId}; change its URL when the run ends (or cancel it)`,
    );
    expect((await api.host.list()).find((host) => host.id === spare.id)?.url).toBe(harness.emulator.url);
    expect(await api.host.update({ id: spare.id, url: harness.emulator.url, name: "busy" })).toMatchObject({
      name: "busy",
    });

    await api.run.cancel({ id: runId });
    await waitUntil("the run to end", async () => (await api.run.get({ id: runId })).status === "cancelled");
    // Its worker is still unloading and writing its last rows until it lets the host go.
    await waitUntil("the worker to let the host go", async () => {
      const hosts = await api.host.list();
      return hosts.find((host) => host.id === spare.id)?.lease === null;
    });
    const removals = async () =>
      (await api.data.snapshots()).filter((snapshot) => snapshot.reason === "before-remove").length;
    const removalsBefore = await removals();
    await api.host.delete({ id: spare.id });
    expect((await api.host.list()).some((host) => host.id === spare.id)).toBe(false);
    // Its models and history went with it, after a snapshot to go back to.
    expect(await removals()).toBe(removalsBefore + 1);
  });
});
