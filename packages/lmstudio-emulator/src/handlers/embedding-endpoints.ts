import type { ModelHost } from "../model-host.js";
import { randomFor } from "../prng.js";
import { type NamespaceEndpoints, rpc } from "../protocol/endpoints.js";
import { contextOverflow } from "../protocol/errors.js";
import { embedStringParameterSchema } from "../protocol/schemas.js";
import { countTokens } from "../tokenizer.js";
import { modelEndpoints } from "./model-endpoints.js";

/** Dimensions of the fake embedding vectors. */
export const EMBEDDING_DIMENSIONS = 64;

/** The /embedding namespace: model endpoints plus embedString (a deterministic unit vector). */
export function embeddingEndpoints(host: ModelHost): NamespaceEndpoints {
  const base = modelEndpoints(host, "embedding");
  return {
    rpc: {
      ...base.rpc,
      embedString: rpc(embedStringParameterSchema, ({ modelSpecifier, inputString }) => {
        const instance = host.resolve(modelSpecifier, "embedding");
        const tokens = countTokens(inputString);
        if (tokens > instance.contextLength) throw contextOverflow(tokens, instance.contextLength);
        const random = randomFor(host.seed, instance.model.modelKey, inputString);
        const raw = Array.from({ length: EMBEDDING_DIMENSIONS }, () => random() * 2 - 1);
        const norm = Math.hypot(...raw) || 1;
        return { embedding: raw.map((value) => value / norm) };
      }),
    },
    channel: base.channel,
  };
}
