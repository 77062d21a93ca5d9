import type { DownloadedModel } from "@lmstrix/core";
import type { ModelInfo } from "@lmstudio/sdk";

/**
 * Maps the SDK's `ModelInfo` to core's `DownloadedModel`. The type comes from the host (`llm` /
 * `embedding`), never from the name: lmstrix guessed "embed" from names and got it wrong.
 */
export function mapDownloadedModel(info: ModelInfo): DownloadedModel {
  const isLlm = info.type === "llm";
  return {
    modelKey: info.modelKey,
    displayName: info.displayName,
    type: info.type,
    format: info.format ?? null,
    publisher: publisherOf(info.path),
    path: info.path,
    sizeBytes: Math.max(0, Math.round(info.sizeBytes)),
    architecture: info.architecture ?? null,
    quantization: info.quantization?.name ?? null,
    params: info.paramsString ?? null,
    declaredContext: info.maxContextLength,
    vision: isLlm ? info.vision : false,
    toolUse: isLlm ? info.trainedForToolUse : false,
  };
}

/**
 * SDK 1.5 strips `publisher` from `ModelInfo` (its schema does not list it), but LM Studio lays models
 * out as `publisher/repository/file`, so the first segment of the path is the publisher.
 */
function publisherOf(path: string): string | null {
  const segments = path.split("/").filter((segment) => segment !== "");
  return segments.length >= 2 ? segments[0]! : null;
}
