import type { z } from "zod";
import { collapseStack, toKvConfig } from "../kv-config.js";
import type { ModelHost } from "../model-host.js";
import type { InstanceInfoWire, ModelInfoWire } from "../model-info.js";
import { channel, type RequestContext, rpc } from "../protocol/endpoints.js";
import type { ModelDomain } from "../protocol/errors.js";
import {
  cancelPacketSchema,
  getModelInfoParameterSchema,
  getOrLoadParameterSchema,
  loadModelParameterSchema,
  specifierParameterSchema,
  tokenizeParameterSchema,
  unloadModelParameterSchema,
  voidParameterSchema,
} from "../protocol/schemas.js";
import { countTokens, tokenize } from "../tokenizer.js";

type LoadModelPacket =
  | { type: "resolved"; info: ModelInfoWire }
  | { type: "progress"; progress: number }
  | { type: "success"; info: InstanceInfoWire };

type GetOrLoadPacket =
  | { type: "alreadyLoaded"; info: InstanceInfoWire }
  | { type: "startLoading"; identifier: string; info: ModelInfoWire }
  | { type: "loadProgress"; progress: number }
  | { type: "loadSuccess"; info: InstanceInfoWire };

/** Aborted by a client `cancel` packet or by the socket closing. */
function cancellation(channelSignal: AbortSignal, onCancel: (listener: () => void) => void): AbortSignal {
  const controller = new AbortController();
  onCancel(() => controller.abort(new Error("cancelled by client")));
  return AbortSignal.any([controller.signal, channelSignal]);
}

/**
 * The endpoints every model namespace shares (`createBaseModelBackendInterface` in the SDK):
 * loadModel, getOrLoad, unloadModel, listLoaded, getModelInfo, getLoadConfig, plus tokenize and
 * countTokens, which both /llm and /embedding have.
 */
export function modelEndpoints(host: ModelHost, domain: ModelDomain) {
  const afterReply = (dropClient: boolean, context: RequestContext) => {
    // Let the success packet and channelClose go out first, then cut the client off.
    if (dropClient) setImmediate(() => context.dropClient());
  };

  return {
    rpc: {
      unloadModel: rpc(unloadModelParameterSchema, ({ identifier }) => {
        host.unload(identifier, domain);
      }),
      listLoaded: rpc(voidParameterSchema, () =>
        host.instancesOf(domain).map((instance) => host.info(instance)),
      ),
      getModelInfo: rpc(getModelInfoParameterSchema, ({ specifier, throwIfNotFound }) => {
        if (throwIfNotFound) return host.info(host.resolve(specifier, domain));
        const instance = host.tryResolve(specifier, domain);
        return instance === undefined ? undefined : host.info(instance);
      }),
      getLoadConfig: rpc(specifierParameterSchema, ({ specifier }) =>
        toKvConfig(host.resolve(specifier, domain).loadConfig),
      ),
      tokenize: rpc(tokenizeParameterSchema, ({ specifier, inputString }) => {
        host.resolve(specifier, domain);
        return { tokens: tokenize(inputString) };
      }),
      countTokens: rpc(tokenizeParameterSchema, ({ specifier, inputString }) => {
        host.resolve(specifier, domain);
        return { tokenCount: countTokens(inputString) };
      }),
    },
    channel: {
      loadModel: channel<z.output<typeof loadModelParameterSchema>, LoadModelPacket>(
        loadModelParameterSchema,
        cancelPacketSchema,
        async (parameter, ch, context) => {
          const signal = cancellation(ch.socketClosed, (listener) => ch.onMessage(listener));
          const { instance, dropClient } = await host.load({
            modelKey: parameter.modelKey,
            identifier: parameter.identifier,
            ttlMs: parameter.ttlMs,
            loadConfig: collapseStack(parameter.loadConfigStack),
            domain,
            signal,
            onResolved: (info) => ch.send({ type: "resolved", info }),
            onProgress: (progress) => ch.send({ type: "progress", progress }),
          });
          ch.send({ type: "success", info: host.info(instance) });
          afterReply(dropClient, context);
        },
      ),
      /**
       * `client.llm.model(key)`: answers `alreadyLoaded` with an instance whose identifier or model
       * key matches (its load config is then ignored, as in LM Studio); otherwise loads with it.
       */
      getOrLoad: channel<z.output<typeof getOrLoadParameterSchema>, GetOrLoadPacket>(
        getOrLoadParameterSchema,
        cancelPacketSchema,
        async (parameter, ch, context) => {
          const existing =
            host.instancesOf(domain).find((instance) => instance.identifier === parameter.identifier) ??
            host.instancesOf(domain).find((instance) => instance.model.modelKey === parameter.identifier);
          if (existing !== undefined) {
            ch.send({ type: "alreadyLoaded", info: host.info(existing) });
            return;
          }
          const signal = cancellation(ch.socketClosed, (listener) => ch.onMessage(listener));
          const { instance, dropClient } = await host.load({
            modelKey: parameter.identifier,
            ttlMs: parameter.loadTtlMs,
            loadConfig: collapseStack(parameter.loadConfigStack),
            domain,
            signal,
            onResolved: (info) => ch.send({ type: "startLoading", identifier: parameter.identifier, info }),
            onProgress: (progress) => ch.send({ type: "loadProgress", progress }),
          });
          ch.send({ type: "loadSuccess", info: host.info(instance) });
          afterReply(dropClient, context);
        },
      ),
    },
  };
}
