import type { z } from "zod";
import { collapseStack, hasLayer, toKvConfig } from "../kv-config.js";
import type { ModelHost, PredictionStats } from "../model-host.js";
import type { InstanceInfoWire } from "../model-info.js";
import { buildChatPrompt, buildRawPrompt, historyAsRawText } from "../prompt.js";
import { channel, type NamespaceEndpoints, rpc, type ServerChannel } from "../protocol/endpoints.js";
import {
  applyPromptTemplateParameterSchema,
  cancelPacketSchema,
  completeRawTextParameterSchema,
  type KvConfig,
  type KvConfigStack,
  type ModelSpecifier,
  predictParameterSchema,
} from "../protocol/schemas.js";
import { modelEndpoints } from "./model-endpoints.js";

type PredictPacket =
  | { type: "promptProcessingProgress"; progress: number }
  | {
      type: "fragment";
      fragment: {
        content: string;
        tokensCount: number;
        containsDrafted: boolean;
        reasoningType: "none";
        isStructural: boolean;
      };
    }
  | {
      type: "success";
      stats: PredictionStats;
      modelInfo: InstanceInfoWire;
      loadModelConfig: KvConfig;
      predictionConfig: KvConfig;
    };

/** The /llm namespace: model endpoints plus predict, completeRawText and applyPromptTemplate. */
export function llmEndpoints(host: ModelHost): NamespaceEndpoints {
  const base = modelEndpoints(host, "llm");

  const runPrediction = async (
    specifier: ModelSpecifier,
    predictionConfigStack: KvConfigStack,
    buildPrompt: (config: ReadonlyMap<string, unknown>) => ReturnType<typeof buildRawPrompt>,
    ch: ServerChannel<PredictPacket>,
  ) => {
    const instance = host.resolve(specifier, "llm");
    const predictionConfig = collapseStack(predictionConfigStack);
    const cancel = new AbortController();
    ch.onMessage(() => cancel.abort(new Error("cancelled by client")));
    const outcome = await host.predict({
      instance,
      prompt: buildPrompt(predictionConfig),
      predictionConfig,
      cancel: cancel.signal,
      socketClosed: ch.socketClosed,
      onPromptProgress: (progress) => ch.send({ type: "promptProcessingProgress", progress }),
      onFragment: (content) =>
        ch.send({
          type: "fragment",
          fragment: {
            content,
            tokensCount: 1,
            containsDrafted: false,
            reasoningType: "none",
            isStructural: false,
          },
        }),
    });
    // A cancelled prediction still ends with `success` (stopReason "userStopped"), then channelClose.
    ch.send({
      type: "success",
      stats: outcome.stats,
      modelInfo: host.info(instance),
      loadModelConfig: toKvConfig(instance.loadConfig),
      predictionConfig: toKvConfig(predictionConfig),
    });
  };

  return {
    rpc: {
      ...base.rpc,
      applyPromptTemplate: rpc(
        applyPromptTemplateParameterSchema,
        ({ specifier, history, predictionConfigStack }) => {
          host.resolve(specifier, "llm");
          const config = collapseStack(predictionConfigStack);
          return { formatted: buildChatPrompt(history, systemPromptOf(config)).text };
        },
      ),
    },
    channel: {
      ...base.channel,
      predict: channel<z.output<typeof predictParameterSchema>, PredictPacket>(
        predictParameterSchema,
        cancelPacketSchema,
        (parameter, ch) =>
          runPrediction(
            parameter.modelSpecifier,
            parameter.predictionConfigStack,
            (config) =>
              // SDK 1.5 `complete()` marks raw completion with a `completeModeFormatting` layer.
              hasLayer(parameter.predictionConfigStack, "completeModeFormatting")
                ? buildRawPrompt(historyAsRawText(parameter.history))
                : buildChatPrompt(parameter.history, systemPromptOf(config)),
            ch,
          ),
      ),
      completeRawText: channel<z.output<typeof completeRawTextParameterSchema>, PredictPacket>(
        completeRawTextParameterSchema,
        cancelPacketSchema,
        (parameter, ch) =>
          runPrediction(
            parameter.modelSpecifier,
            parameter.predictionConfigStack,
            () => buildRawPrompt(parameter.rawPrompt),
            ch,
          ),
      ),
    },
  };
}

function systemPromptOf(config: ReadonlyMap<string, unknown>): string | undefined {
  const value = config.get("llm.prediction.systemPrompt");
  return typeof value === "string" ? value : undefined;
}
