import { embeddings } from "./default-models/embeddings.js";
import { llms128k } from "./default-models/llms-128k.js";
import { llmsAbove128k } from "./default-models/llms-above-128k.js";
import { llmsUpTo64k } from "./default-models/llms-up-to-64k.js";
import { GiB } from "./default-models/model-builders.js";
import { type Fleet, type FleetInput, parseFleet } from "./schema.js";

/**
 * The built-in fleet, modelled on "a realistic fleet (one user's machine, mid-2025)" in
 * LMSTRIX-SPEC.md: 57 models, 7 of them embedding models, declared contexts from 4K to ~1M,
 * quantised variants of shared bases, on a machine that gives LM Studio 16 GiB.
 *
 * KV bytes per token follow each architecture (2 × layers × KV heads × head dim × 2 bytes, f16), so
 * small declared contexts load in full while many 128K models stop far below declared, and a few
 * models carry faults seen in the wild.
 */
export const defaultFleetInput: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [...llmsUpTo64k, ...llms128k, ...llmsAbove128k, ...embeddings],
};

/** The validated built-in fleet (57 models). */
export const defaultFleet: Fleet = parseFleet(defaultFleetInput, "built-in fleet");
