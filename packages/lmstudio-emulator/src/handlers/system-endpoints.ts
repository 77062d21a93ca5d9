import type { ModelHost } from "../model-host.js";
import { channel, type NamespaceEndpoints, rpc } from "../protocol/endpoints.js";
import { notifyParameterSchema, voidParameterSchema } from "../protocol/schemas.js";

export { EMULATED_LM_STUDIO_VERSION } from "../lmstudio-version.js";

/** The /system namespace: listDownloadedModels, version, notify and the `alive` channel. */
export function systemEndpoints(host: ModelHost): NamespaceEndpoints {
  return {
    rpc: {
      listDownloadedModels: rpc(voidParameterSchema, () => host.listDownloaded()),
      // The fleet's `lmStudioVersion`, or the one the emulator was started with.
      version: rpc(voidParameterSchema, () => ({ ...host.lmStudioVersion })),
      notify: rpc(notifyParameterSchema, () => undefined),
    },
    channel: {
      // `client.system.whenDisconnected()`: stays open until the socket goes away.
      alive: channel(
        voidParameterSchema,
        null,
        (_parameter, ch) =>
          new Promise<void>((resolve) =>
            ch.socketClosed.addEventListener("abort", () => resolve(), { once: true }),
          ),
      ),
    },
  };
}

/** Namespaces the SDK opens but the emulator has nothing for: every call gets a clear error. */
export const EMPTY_NAMESPACE: NamespaceEndpoints = { rpc: {}, channel: {} };
