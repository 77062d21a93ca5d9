import { describe, expect, it } from "vitest";
import { fleetModel } from "../testing/fleet-model";
import type { MeasuredFleet } from "./measured-fleet";
import { whatFits } from "./what-fits";

const tested = { testStatus: "completed", measuredLmStudioVersion: "0.4.21" } as const;

const fleet: MeasuredFleet = {
  hosts: [
    { id: 1, name: "alpha", lmStudioVersion: "0.4.21" },
    { id: 2, name: "beta", lmStudioVersion: "0.4.22" },
  ],
  models: [
    // Loads at 64k but recalls only to 24k: its effective limit is the one that counts.
    fleetModel({
      id: 1,
      hostId: 1,
      modelKey: "forgetful",
      ...tested,
      loadableLimit: 64_000,
      effectiveLimit: 24_000,
    }),
    fleetModel({ id: 2, hostId: 1, modelKey: "fast", ...tested, loadableLimit: 40_000 }),
    fleetModel({ id: 3, hostId: 1, modelKey: "slow", ...tested, loadableLimit: 120_000 }),
    fleetModel({ id: 4, hostId: 2, modelKey: "fast", ...tested, loadableLimit: 40_000 }),
    fleetModel({ id: 5, hostId: 1, modelKey: "unmeasured-speed", ...tested, loadableLimit: 50_000 }),
    fleetModel({
      id: 6,
      hostId: 1,
      modelKey: "embedder",
      type: "embedding",
      ...tested,
      loadableLimit: 50_000,
    }),
    fleetModel({ id: 7, hostId: 1, modelKey: "untested" }),
  ],
  speeds: [
    { modelId: 1, context: 64_000, kind: "loadable", genTokensPerSec: 90 },
    { modelId: 2, context: 40_000, kind: "loadable", genTokensPerSec: 80 },
    // A filled check at ≥ N wins over a short one, even a closer short one.
    { modelId: 2, context: 32_000, kind: "loadable", genTokensPerSec: 85 },
    { modelId: 2, context: 36_000, kind: "effective", genTokensPerSec: 60 },
    { modelId: 3, context: 30_000, kind: "loadable", genTokensPerSec: 9 },
    { modelId: 3, context: 120_000, kind: "loadable", genTokensPerSec: 4 },
    { modelId: 4, context: 40_000, kind: "loadable", genTokensPerSec: 70 },
  ],
};

describe("what fits", () => {
  it("finds the models whose served limit holds the tokens, best first", () => {
    const fits = whatFits(fleet, { tokens: 30_000 });
    // The stale one (beta runs another LM Studio now) last; then the fastest first; unmeasured after measured.
    expect(fits.map((fit) => `${fit.modelKey}@${fit.hostName}`)).toEqual([
      "fast@alpha",
      "slow@alpha",
      "embedder@alpha",
      "unmeasured-speed@alpha",
      "fast@beta",
    ]);
    expect(fits[0]).toMatchObject({
      limit: 40_000,
      limitKind: "loadable",
      genTokensPerSec: 60,
      speedKind: "filled",
      speedContext: 36_000,
    });
    expect(fits[1]).toMatchObject({ genTokensPerSec: 9, speedContext: 30_000 });
    expect(fits.at(-1)?.stale).toEqual(["LM Studio 0.4.21 → 0.4.22"]);
  });

  it("judges by the effective limit where measured", () => {
    expect(whatFits(fleet, { tokens: 24_000 }).map((fit) => fit.modelKey)).toContain("forgetful");
    expect(whatFits(fleet, { tokens: 24_001 }).map((fit) => fit.modelKey)).not.toContain("forgetful");
  });

  it("leaves out a model whose effective search found no limit, whatever it loads at", () => {
    const noneFound = fleetModel({
      id: 8,
      hostId: 1,
      modelKey: "never-recalls",
      ...tested,
      loadableLimit: 120_000,
      effectiveThreshold: 0.856,
    });
    const fits = whatFits({ ...fleet, models: [...fleet.models, noneFound] }, { tokens: 4_096 });
    expect(fits.map((fit) => fit.modelKey)).not.toContain("never-recalls");
    // Not measured is another matter: judged by the loadable limit, as before.
    expect(fits.map((fit) => fit.modelKey)).toContain("slow");
  });

  it("asks for a speed measured at a window at least that large", () => {
    const fits = whatFits(fleet, { tokens: 35_000, minTokensPerSec: 8 });
    // slow: 9 tok/s was at 30k only; at ≥ 35k it made 4. unmeasured-speed and the embedder have no speed.
    expect(fits.map((fit) => `${fit.modelKey}@${fit.hostName}`)).toEqual(["fast@alpha", "fast@beta"]);
    expect(whatFits(fleet, { tokens: 35_000, minTokensPerSec: 65 }).map((fit) => fit.hostName)).toEqual([
      "beta",
    ]);
  });

  it("keeps to a type", () => {
    expect(whatFits(fleet, { tokens: 1_000, type: "embedding" }).map((fit) => fit.modelKey)).toEqual([
      "embedder",
    ]);
  });

  it("refuses a request that is not a context size", () => {
    expect(() => whatFits(fleet, { tokens: 0 })).toThrow(/at least 1/);
    expect(() => whatFits(fleet, { tokens: 1_000, minTokensPerSec: -1 })).toThrow();
  });
});
