import { describe, expect, it } from "vitest";
import { baseModelKey, modelVariant } from "../domain/base-model";
import { fleetModel } from "../testing/fleet-model";
import { buildMatrix, shareBand } from "./matrix";
import type { FleetHost, MeasuredFleet } from "./measured-fleet";

const hostA: FleetHost = { id: 1, name: "alpha", lmStudioVersion: "0.3.20" };
const hostB: FleetHost = { id: 2, name: "beta", lmStudioVersion: "0.4.21" };

const tested = { testStatus: "completed", measuredLmStudioVersion: "0.3.20" } as const;

describe("base models", () => {
  it("drop the quantisation suffix and the publisher prefix, in lower case", () => {
    expect(baseModelKey("llama-3.2-3b-instruct@q8_0")).toBe("llama-3.2-3b-instruct");
    expect(baseModelKey("llama-3.2-3b-instruct")).toBe("llama-3.2-3b-instruct");
    expect(baseModelKey("qwen/qwen3-8b")).toBe("qwen3-8b");
    expect(baseModelKey("Qwen/Qwen3-8B@Q4_K_M")).toBe("qwen3-8b");
  });

  it("tell quantisations apart by the suffix, else by what LM Studio reported", () => {
    expect(modelVariant("llama@q8_0", "Q4_K_M")).toBe("q8_0");
    expect(modelVariant("llama", "Q8_0")).toBe("q8_0");
    expect(modelVariant("llama", null)).toBe("");
  });
});

describe("the matrix", () => {
  const fleet: MeasuredFleet = {
    hosts: [hostB, hostA],
    models: [
      fleetModel({
        id: 1,
        hostId: 1,
        modelKey: "qwen/qwen3-8b",
        quantization: "Q4_K_M",
        ...tested,
        loadableLimit: 60_000,
        effectiveLimit: 40_000,
      }),
      fleetModel({
        id: 2,
        hostId: 2,
        modelKey: "qwen3-8b",
        quantization: "Q4_K_M",
        ...tested,
        loadableLimit: 80_000,
      }),
      fleetModel({ id: 3, hostId: 1, modelKey: "qwen3-8b@q8_0", quantization: "Q8_0" }),
      fleetModel({ id: 4, hostId: 1, modelKey: "gemma-3-4b", ...tested, loadableLimit: 100_000 }),
    ],
    speeds: [
      { modelId: 1, context: 40_000, kind: "effective", genTokensPerSec: 20 },
      { modelId: 1, context: 40_000, kind: "loadable", genTokensPerSec: 35 },
      { modelId: 1, context: 60_000, kind: "loadable", genTokensPerSec: 30 },
      { modelId: 2, context: 90_000, kind: "loadable", genTokensPerSec: 5 },
      { modelId: 2, context: 70_000, kind: "loadable", genTokensPerSec: 12 },
    ],
  };
  const matrix = buildMatrix(fleet);

  it("has hosts as columns by name and base models as groups, one row per quantisation", () => {
    expect(matrix.hosts.map((host) => host.name)).toEqual(["alpha", "beta"]);
    expect(matrix.groups.map((group) => group.base)).toEqual(["gemma-3-4b", "qwen3-8b"]);
    const qwen = matrix.groups[1];
    expect(qwen?.rows.map((row) => row.variant)).toEqual(["q4_k_m", "q8_0"]);
    expect(qwen?.rows[0]?.cells.map((cell) => cell?.modelKey)).toEqual(["qwen/qwen3-8b", "qwen3-8b"]);
    expect(qwen?.rows[1]?.cells.map((cell) => cell?.modelKey ?? null)).toEqual(["qwen3-8b@q8_0", null]);
  });

  it("gives each cell its limits, its share of the declared context and the speed at its limit", () => {
    const [alpha, beta] = matrix.groups[1]?.rows[0]?.cells ?? [];
    // The effective limit is the one served; at 40,000 the filled-window check's speed, not the short one's.
    expect(alpha).toMatchObject({ loadableLimit: 60_000, effectiveLimit: 40_000, share: 0.4 });
    expect(alpha).toMatchObject({ genTokensPerSec: 20, speedContext: 40_000, untested: false });
    // No probe at the limit: the largest window below it; the 90,000 probe is above the limit.
    expect(beta).toMatchObject({ share: 0.8, genTokensPerSec: 12, speedContext: 70_000 });
    // Which limit the share is of: the effective where measured, else the loadable.
    expect(alpha?.shareOf).toBe("effective");
    expect(beta).toMatchObject({ effectiveLimit: null, shareOf: "loadable" });
  });

  it("marks untested cells and stale ones with the reason", () => {
    const [alpha, beta] = matrix.groups[1]?.rows[0]?.cells ?? [];
    expect(matrix.groups[1]?.rows[1]?.cells[0]).toMatchObject({ untested: true, share: null, stale: [] });
    expect(matrix.groups[1]?.rows[1]?.cells[0]?.shareOf).toBeNull();
    expect(alpha?.stale).toEqual([]);
    expect(beta?.stale).toEqual(["LM Studio 0.3.20 → 0.4.21"]);
  });

  it("says where the effective search found no limit: no share, nothing served, not untested", () => {
    const [cell] =
      buildMatrix({
        hosts: [hostA],
        models: [
          fleetModel({
            id: 9,
            hostId: 1,
            modelKey: "never-recalls",
            ...tested,
            loadableLimit: 60_000,
            effectiveThreshold: 0.8,
          }),
        ],
        speeds: [{ modelId: 9, context: 60_000, kind: "loadable", genTokensPerSec: 30 }],
      }).groups[0]?.rows[0]?.cells ?? [];
    expect(cell).toMatchObject({ untested: false, noEffectiveLimitAt: 0.8, share: null, shareOf: null });
    expect(cell).toMatchObject({ loadableLimit: 60_000, genTokensPerSec: null });
    // Measured limits keep no such mark.
    expect(matrix.groups[1]?.rows[0]?.cells.map((measured) => measured?.noEffectiveLimitAt)).toEqual([
      null,
      null,
    ]);
  });

  it("puts two uploads of one quantisation on one host in rows of their own", () => {
    const twins = buildMatrix({
      hosts: [hostA],
      models: [
        fleetModel({ id: 1, hostId: 1, modelKey: "bartowski/phi-4", quantization: "Q4_K_M" }),
        fleetModel({ id: 2, hostId: 1, modelKey: "lmstudio-community/phi-4", quantization: "Q4_K_M" }),
      ],
      speeds: [],
    });
    expect(twins.groups).toHaveLength(1);
    expect(twins.groups[0]?.rows.map((row) => row.cells[0]?.modelKey)).toEqual([
      "bartowski/phi-4",
      "lmstudio-community/phi-4",
    ]);
  });

  it("bands shares for the legend", () => {
    expect([0, 0.24, 0.25, 0.6, 0.99, 1].map(shareBand)).toEqual([0, 0, 1, 2, 3, 4]);
  });
});
