import type { FleetModel } from "./fleet/schema.js";

/**
 * Wire shapes of downloaded models and loaded instances. They satisfy the SDK 1.5 schemas
 * (`llmInfoSchema`, `embeddingModelInfoSchema`, `llmInstanceInfoSchema`, …) and carry the newer
 * fields (`publisher`, `indexedModelIdentifier`, `deviceIdentifier`, `ttlMs`, `lastUsedTime`) that
 * later SDKs require; 1.5 strips keys it does not know.
 */
export interface ModelInfoWire {
  type: "llm" | "embedding";
  modelKey: string;
  format: "gguf" | "safetensors";
  displayName: string;
  publisher: string;
  path: string;
  sizeBytes: number;
  paramsString?: string;
  architecture?: string;
  quantization?: { name: string; bits: number };
  indexedModelIdentifier: string;
  deviceIdentifier: null;
  maxContextLength: number;
  vision?: boolean;
  trainedForToolUse?: boolean;
}

export interface InstanceInfoWire extends ModelInfoWire {
  identifier: string;
  instanceReference: string;
  ttlMs: number | null;
  lastUsedTime: number | null;
  contextLength: number;
}

export function modelInfo(model: FleetModel): ModelInfoWire {
  const info: ModelInfoWire = {
    type: model.type,
    modelKey: model.modelKey,
    format: model.format,
    displayName: model.displayName,
    publisher: model.publisher,
    path: model.path,
    sizeBytes: model.sizeBytes,
    indexedModelIdentifier: model.path,
    deviceIdentifier: null,
    maxContextLength: model.maxContextLength,
  };
  if (model.paramsString !== undefined) info.paramsString = model.paramsString;
  if (model.architecture !== undefined) info.architecture = model.architecture;
  if (model.quantization !== undefined) info.quantization = { ...model.quantization };
  // vision / trainedForToolUse exist only on LLM infos (embeddingModelInfoSchema has neither).
  if (model.type === "llm") {
    info.vision = model.vision;
    info.trainedForToolUse = model.trainedForToolUse;
  }
  return info;
}

export function instanceInfo(
  model: FleetModel,
  instance: {
    identifier: string;
    instanceReference: string;
    ttlMs: number | null;
    lastUsedTime: number | null;
    contextLength: number;
  },
): InstanceInfoWire {
  return {
    ...modelInfo(model),
    identifier: instance.identifier,
    instanceReference: instance.instanceReference,
    ttlMs: instance.ttlMs,
    lastUsedTime: instance.lastUsedTime,
    contextLength: instance.contextLength,
  };
}
