import { RuntimeError, type RuntimeErrorCategory } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { classifyError, describeError } from "./classify-error";

/** Texts seen from real LM Studio servers and from the SDK's transport (LMSTUDIO-PROTOCOL.md, "Errors"). */
const TABLE: [message: string, category: RuntimeErrorCategory][] = [
  ["connect ECONNREFUSED 127.0.0.1:1234", "UNREACHABLE"],
  ["getaddrinfo ENOTFOUND gpu-box.local", "UNREACHABLE"],
  ["Failed to connect to LM Studio.", "UNREACHABLE"],
  ["WebSocket connection closed", "DISCONNECTED"],
  ["read ECONNRESET", "DISCONNECTED"],
  ["Connection lost to the server", "DISCONNECTED"],
  [
    "Model loading was stopped due to insufficient system resources. Under the current settings, this model requires approximately 21.37 GB of memory.",
    "INSUFFICIENT_RESOURCES",
  ],
  ["Failed to load model: out of memory", "INSUFFICIENT_RESOURCES"],
  ["CUDA out of memory. Tried to allocate 2.00 GiB", "INSUFFICIENT_RESOURCES"],
  ["ggml_metal_graph_compute: command buffer 0 failed with status 5", "INSUFFICIENT_RESOURCES"],
  [
    "Metal error: Insufficient Memory (kIOGPUCommandBufferCallbackErrorOutOfMemory)",
    "INSUFFICIENT_RESOURCES",
  ],
  // A load without a guardrail that runs out of memory part-way, as llama.cpp and MLX word it.
  [
    "Failed to load model\nggml_backend_cuda_buffer_type_alloc_buffer: allocating 12500.00 MiB on device 0: cudaMalloc failed: out of memory",
    "INSUFFICIENT_RESOURCES",
  ],
  ["alloc_tensor_range: failed to allocate CUDA0 buffer of size 13107200000", "INSUFFICIENT_RESOURCES"],
  ["llama_model_load: error loading model: unable to allocate CUDA0 buffer", "INSUFFICIENT_RESOURCES"],
  ["Failed to load model error loading model: unable to allocate Vulkan0 buffer", "INSUFFICIENT_RESOURCES"],
  [
    "llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache",
    "INSUFFICIENT_RESOURCES",
  ],
  [
    "[metal::malloc] Attempting to allocate 21474836480 bytes which is greater than the maximum allowed buffer size of 17179869184 bytes.",
    "INSUFFICIENT_RESOURCES",
  ],
  [
    "[METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
    "INSUFFICIENT_RESOURCES",
  ],
  ["Unable to reuse from cache: llama_memory is null", "MEMORY_CACHE_CORRUPTED"],
  ["The model has crashed without additional information. (Exit code: 6)", "MODEL_CRASHED"],
  ["Model is unloaded.", "MODEL_CRASHED"],
  ["This model has already been unloaded.", "MODEL_CRASHED"],
  [
    "Trying to keep the first 5021 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens",
    "CONTEXT_OVERFLOW",
  ],
  [
    "The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 5000 >= n_ctx: 4096)",
    "CONTEXT_OVERFLOW",
  ],
  ["No model found that fits the query", "NOT_FOUND"],
  ["No loaded model satisfies all requirements specified in the query.", "NOT_FOUND"],
  ['Cannot find a model with path "nobody/nothing"', "NOT_FOUND"],
  ['Cannot find a model with identifier "qwen3-8b:2"', "NOT_FOUND"],
  ["Failed to load model", "LOAD_FAILED"],
  [
    "Error loading model. (Exit code: 18446744072635812000). Unknown error. Try a different model and/or config.",
    "LOAD_FAILED",
  ],
  ["llama-server exited before becoming healthy", "LOAD_FAILED"],
  ["Something nobody has seen before", "UNKNOWN"],
];

describe("classifyError", () => {
  it.each(TABLE)("%s → %s", (message, category) => {
    const classified = classifyError(new Error(message));
    expect(classified).toBeInstanceOf(RuntimeError);
    expect(classified.category).toBe(category);
    expect(classified.message).toBe(message);
  });

  it("keeps the original error as cause", () => {
    const original = new Error("Failed to load model");
    expect(classifyError(original).cause).toBe(original);
  });

  it("returns a RuntimeError unchanged", () => {
    const error = new RuntimeError("TIMEOUT", "took too long");
    expect(classifyError(error)).toBe(error);
  });

  it("prefers the more specific diagnosis when a message has several", () => {
    const error = new Error(
      "Failed to load model. Model loading was stopped due to insufficient system resources.",
    );
    expect(classifyError(error).category).toBe("INSUFFICIENT_RESOURCES");
  });

  it("reads the socket error code when the message lacks it", () => {
    const error = Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" });
    expect(classifyError(error).category).toBe("UNREACHABLE");
  });

  it("reads the server's title and cause the SDK attaches to its errors", () => {
    const error = Object.assign(new Error("No loaded model satisfies all requirements"), {
      title: "No model found that fits the query",
    });
    expect(classifyError(error).category).toBe("NOT_FOUND");
    const withCause = Object.assign(new Error("Error"), { cause: "llama_memory is null" });
    expect(classifyError(withCause).category).toBe("MEMORY_CACHE_CORRUPTED");
  });

  it("strips colour codes from the message", () => {
    const error = new Error("\u001b[91m Failed to load model \u001b[39m");
    const classified = classifyError(error);
    expect(classified.message).toBe("Failed to load model");
    expect(classified.category).toBe("LOAD_FAILED");
  });

  it("treats an AbortError as CANCELLED", () => {
    const error = Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
    expect(classifyError(error).category).toBe("CANCELLED");
  });

  it("reads the memory a refused load needs from LM Studio's guardrail text, in bytes", () => {
    const refusal = new Error(
      "Model loading was stopped due to insufficient system resources. Under the current settings, this model requires approximately 21.37 GB of memory, and continuing to load it would likely overload your system and cause it to freeze.",
    );
    const classified = classifyError(refusal);
    expect(classified.category).toBe("INSUFFICIENT_RESOURCES");
    expect(classified.details).toEqual({ requiredBytes: Math.round(21.37 * 1024 ** 3) });
    // The SDK may put the server's text in the cause instead of the message.
    const wrapped = Object.assign(new Error("Failed to load model"), {
      cause:
        "Model loading was stopped due to insufficient system resources. Under the current settings, this model requires approximately 7 GB of memory.",
    });
    expect(classifyError(wrapped).details).toEqual({ requiredBytes: 7 * 1024 ** 3 });
  });

  it("gives no memory figure when the host states none, or for other categories", () => {
    expect(
      classifyError(new Error("CUDA out of memory. Tried to allocate 2.00 GiB")).details,
    ).toBeUndefined();
    expect(
      classifyError(new Error("Failed to load model: this model requires approximately 3.5 GB of memory"))
        .details,
    ).toBeUndefined();
    expect(classifyError(new Error("Failed to load model")).details).toBeUndefined();
  });

  it("reads the KV cache buffer a load without a guardrail failed to allocate, in llama.cpp's forms", () => {
    const kvCacheFailure =
      "llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache";
    const failedLoad = (cause: string) => Object.assign(new Error("Failed to load model"), { cause });
    // The emulator's CUDA text (a llama.cpp build's log lines): exact bytes win over the MiB line.
    const cuda = failedLoad(
      [
        "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 16384.00 MiB on device 0: cudaMalloc failed: out of memory",
        "alloc_tensor_range: failed to allocate CUDA0 buffer of size 17179869184",
        kvCacheFailure,
      ].join("\n"),
    );
    expect(classifyError(cuda).category).toBe("INSUFFICIENT_RESOURCES");
    expect(classifyError(cuda).details).toEqual({ failedKvCacheBytes: 17_179_869_184 });
    const vulkan = failedLoad(
      `ggml_vulkan: Device memory allocation of size 4294967296 failed.\nalloc_tensor_range: failed to allocate Vulkan0 buffer of size 4294967296\n${kvCacheFailure}`,
    );
    expect(classifyError(vulkan).details).toEqual({ failedKvCacheBytes: 4 * 1024 ** 3 });
    const vulkanAlone = failedLoad(
      `ggml_vulkan: Device memory allocation of size 4294967296 failed.\n${kvCacheFailure}`,
    );
    expect(classifyError(vulkanAlone).details).toEqual({ failedKvCacheBytes: 4 * 1024 ** 3 });
    const metal = failedLoad(
      `ggml_backend_metal_buffer_type_alloc_buffer: error: failed to allocate buffer, size =  2048.50 MiB\n${kvCacheFailure}`,
    );
    expect(classifyError(metal).details).toEqual({ failedKvCacheBytes: Math.round(2048.5 * 1024 ** 2) });
    const cudaMebibytes = failedLoad(
      "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 1536.25 MiB on device 0: cudaMalloc failed: out of memory\nllama_new_context_with_model: llama_kv_cache_init() failed for self-attention cache",
    );
    expect(classifyError(cudaMebibytes).details).toEqual({
      failedKvCacheBytes: Math.round(1536.25 * 1024 ** 2),
    });
  });

  it("reads no KV cache size when the failed buffer was the weights' or a compute buffer", () => {
    const weights = Object.assign(new Error("Failed to load model"), {
      cause:
        "alloc_tensor_range: failed to allocate CUDA0 buffer of size 4920000000\nllama_model_load: error loading model: unable to allocate CUDA0 buffer",
    });
    expect(classifyError(weights).category).toBe("INSUFFICIENT_RESOURCES");
    expect(classifyError(weights).details).toBeUndefined();
    const compute = new Error(
      "ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 805306368\nllama_init_from_model: failed to allocate compute buffers",
    );
    expect(classifyError(compute).details).toBeUndefined();
  });

  it("uses the fallback category for unknown texts and describes non-errors", () => {
    expect(classifyError("weird", "UNREACHABLE").category).toBe("UNREACHABLE");
    expect(describeError(42)).toBe("42");
  });

  it("keeps a server title the SDK replaced with its own wording", () => {
    const error = Object.assign(new Error("Here are your loaded models: none"), { title: "Model missing" });
    expect(describeError(error)).toBe("Model missing: Here are your loaded models: none");
  });
});
