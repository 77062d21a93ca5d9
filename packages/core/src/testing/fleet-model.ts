import type { FleetModel } from "../use-cases/measured-fleet";

/** A model row for the matrix and finder tests: untested, 100,000 tokens declared, unless `patch` says more. */
export function fleetModel(patch: Partial<FleetModel> & Pick<FleetModel, "id" | "hostId" | "modelKey">) {
  return {
    displayName: patch.modelKey,
    type: "llm",
    quantization: null,
    declaredContext: 100_000,
    loadableLimit: null,
    effectiveLimit: null,
    effectiveThreshold: null,
    testStatus: "untested",
    sizeBytes: 4_000_000_000,
    modifiedAt: null,
    measuredLmStudioVersion: null,
    measuredSizeBytes: null,
    measuredModifiedAt: null,
    ...patch,
  } satisfies FleetModel;
}
