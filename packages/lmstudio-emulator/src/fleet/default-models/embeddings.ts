import type { FleetModelInput } from "../schema.js";
import { embedding } from "./model-builders.js";

/** The 7 embedding models of the built-in fleet. */
export const embeddings: FleetModelInput[] = [
  embedding("text-embedding-nomic-embed-text-v1.5", "Nomic Embed Text v1.5", "137M", 0.14, 2048, 36),
  embedding("text-embedding-nomic-embed-text-v1.5@q4_k_m", "Nomic Embed Text v1.5", "137M", 0.08, 2048, 36),
  embedding("text-embedding-mxbai-embed-large-v1", "mxbai embed large v1", "335M", 0.34, 4096, 96),
  embedding("text-embedding-qwen3-embedding-0.6b", "Qwen3 Embedding 0.6B", "0.6B", 0.6, 32768, 112),
  embedding("text-embedding-qwen3-embedding-4b", "Qwen3 Embedding 4B", "4B", 4.0, 32768, 144),
  embedding("text-embedding-qwen3-embedding-8b", "Qwen3 Embedding 8B", "8B", 8.0, 32768, 144),
  embedding("jina-embeddings-v4-text-retrieval", "Jina Embeddings v4", "3B", 3.2, 128000, 36),
];

// KV cache per token (KiB, f16): Llama 3 8B 128, Llama 3.2 3B 112, Llama 3.2 1B 32, Qwen2.5 7B 56,
// Qwen2.5 3B 36, Qwen2.5 14B 192, Qwen3 8B 144, Qwen3 14B 160, Mistral 7B 128, Mistral Nemo 160,
