import type { ModelHandle, ModelRuntime, ResponseStats } from "../ports/model-runtime";

export interface AskModelRequest {
  modelKey: string;
  contextLength: number;
  prompt: string;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** The model is loaded: at the context LM Studio applied, which may differ from the one asked. */
  onLoaded?: (handle: ModelHandle) => void;
  /** Each piece of the answer as it streams in. */
  onFragment: (text: string) => void;
}

export interface AskModelAnswer {
  appliedContext: number;
  loadMs: number;
  stats: ResponseStats;
}

/**
 * One question to one model, outside any run (the Playground, `lmstrix infer`): load it at the context asked,
 * stream its answer, and unload it again whatever happens, so that nothing is left taking the host's memory.
 */
export async function askModel(runtime: ModelRuntime, request: AskModelRequest): Promise<AskModelAnswer> {
  const { signal } = request;
  const handle = await runtime.load(request.modelKey, { contextLength: request.contextLength, signal });
  try {
    request.onLoaded?.(handle);
    const response = await runtime.respond(handle, {
      messages: [{ role: "user", content: request.prompt }],
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      signal,
      onFragment: request.onFragment,
    });
    return { appliedContext: handle.contextLength, loadMs: handle.loadMs, stats: response.stats };
  } finally {
    await runtime.unload(handle).catch(() => undefined);
  }
}
