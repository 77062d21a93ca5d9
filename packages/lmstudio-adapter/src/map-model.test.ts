import { downloadedModelSchema } from "@lmstrix/core";
import type { ModelInfo } from "@lmstudio/sdk";
import { describe, expect, it } from "vitest";
import { mapDownloadedModel } from "./map-model";

const llm: ModelInfo = {
  type: "llm",
  modelKey: "qwen/qwen3-8b",
  format: "gguf",
  displayName: "Qwen3 8B",
  path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
  sizeBytes: 5_027_784_192,
  paramsString: "8B",
  architecture: "qwen3",
  quantization: { name: "Q4_K_M", bits: 4 },
  vision: false,
  trainedForToolUse: true,
  maxContextLength: 40_960,
};

describe("mapDownloadedModel", () => {
  it("maps an LLM", () => {
    expect(mapDownloadedModel(llm)).toEqual({
      modelKey: "qwen/qwen3-8b",
      displayName: "Qwen3 8B",
      type: "llm",
      format: "gguf",
      publisher: "lmstudio-community",
      path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
      sizeBytes: 5_027_784_192,
      architecture: "qwen3",
      quantization: "Q4_K_M",
      params: "8B",
      declaredContext: 40_960,
      vision: false,
      toolUse: true,
    });
    expect(() => downloadedModelSchema.parse(mapDownloadedModel(llm))).not.toThrow();
  });

  it("takes the type from the host, not from the name", () => {
    const embedding: ModelInfo = {
      type: "embedding",
      modelKey: "text-embedding-nomic-embed-text-v1.5",
      format: "gguf",
      displayName: "Nomic Embed",
      path: "nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q4_K_M.gguf",
      sizeBytes: 84_106_624,
      maxContextLength: 2048,
    };
    const mapped = mapDownloadedModel(embedding);
    expect(mapped).toMatchObject({ type: "embedding", vision: false, toolUse: false, quantization: null });
    expect(mapDownloadedModel({ ...llm, modelKey: "my-embed-looking-chat-model" }).type).toBe("llm");
  });

  it("leaves absent optional fields null", () => {
    const { paramsString, architecture, quantization, ...bare } = llm;
    const mapped = mapDownloadedModel({ ...bare, path: "model.gguf" });
    expect(mapped).toMatchObject({ params: null, architecture: null, quantization: null, publisher: null });
  });
});
