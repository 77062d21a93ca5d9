import { describe, expect, it } from "vitest";
import type { DownloadedModel, ModelSummary } from "../domain/model";
import type { HostLease, ModelSummaryPatch, Store } from "../ports/store";
import { HostBusyError } from "./host-idle";
import { CLEARED_RESULTS, clearTestResults, scanHost } from "./scan";

const HOST = { id: 1, name: "gpu-box" };
const STALE_MS = 30_000;

describe("a scan", () => {
  it("writes what LM Studio lists to the host's models, and the version it runs to the host", async () => {
    const listed = [{ modelKey: "qwen/qwen3-8b" }] as DownloadedModel[];
    const synced: Array<{ hostId: number; models: DownloadedModel[] }> = [];
    const versions: Array<{ hostId: number; version: string }> = [];
    const store: Pick<Store, "syncModels" | "setHostLmStudioVersion"> = {
      syncModels: async (hostId, models) => {
        synced.push({ hostId, models });
        return { added: ["qwen/qwen3-8b"], changed: [], gone: [], unchanged: 0 };
      },
      setHostLmStudioVersion: async (hostId, version) => {
        versions.push({ hostId, version });
      },
    };
    const result = await scanHost(
      { listModels: async () => listed, version: async () => ({ version: "0.4.21", build: null }) },
      async () => ({ store, hostId: 3 }),
    );
    expect(synced).toEqual([{ hostId: 3, models: listed }]);
    expect(result.sync.added).toEqual(["qwen/qwen3-8b"]);
    expect(versions).toEqual([{ hostId: 3, version: "0.4.21" }]);
    expect(result.lmStudioVersion).toBe("0.4.21");
  });

  it("opens nothing when LM Studio does not answer: an unreachable new host is never written", async () => {
    let opened = false;
    const unreachable = new Error("connect ECONNREFUSED");
    const scan = scanHost(
      {
        listModels: async () => {
          throw unreachable;
        },
        version: async () => {
          throw unreachable;
        },
      },
      async () => {
        opened = true;
        throw new Error("must not be called");
      },
    );
    await expect(scan).rejects.toBe(unreachable);
    expect(opened).toBe(false);
  });
});

describe("clearing test results", () => {
  function storeWith(lease: HostLease | null) {
    const models = [
      { id: 1, testStatus: "failed" },
      { id: 2, testStatus: "completed" },
    ] as ModelSummary[];
    const patched: Array<{ id: number; patch: ModelSummaryPatch }> = [];
    const store: Pick<Store, "getHostLease" | "listModels" | "updateModelSummary"> = {
      getHostLease: async () => lease,
      listModels: async () => models,
      updateModelSummary: async (id, patch) => {
        patched.push({ id, patch });
      },
    };
    return { store, patched };
  }

  it("clears the failed models only, or every model", async () => {
    const failed = storeWith(null);
    expect(await clearTestResults(failed.store, HOST, "failed", STALE_MS)).toBe(1);
    expect(failed.patched).toEqual([{ id: 1, patch: CLEARED_RESULTS }]);
    const all = storeWith(null);
    expect(await clearTestResults(all.store, HOST, "all", STALE_MS)).toBe(2);
    expect(all.patched.map((entry) => entry.id)).toEqual([1, 2]);
  });

  it("is refused while a run holds the host, and clears nothing", async () => {
    const busy = storeWith({ hostId: 1, holder: "web:box:9", runId: 4, heartbeatAt: new Date() });
    const refused = await clearTestResults(busy.store, HOST, "all", STALE_MS).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HostBusyError);
    expect((refused as HostBusyError).by).toEqual({ runId: 4, holder: "web:box:9" });
    expect(busy.patched).toEqual([]);
  });
});
