import type { ModelHost } from "../model-host.js";
import { channel, type NamespaceEndpoints, rpc } from "../protocol/endpoints.js";
import { notifyParameterSchema, voidParameterSchema } from "../protocol/schemas.js";

/** What `client.system.getLMStudioVersion()` reports (an LM Studio build of mid-2025). */
export const EMULATED_LM_STUDIO_VERSION = { version: "0.3.20", build: 4 } as const;

/** The /system namespace: listDownloadedModels, version, notify and the `alive` channel. */
export function systemEndpoints(host: ModelHost): NamespaceEndpoints {
  return {
    rpc: {
      listDownloadedModels: rpc(voidParameterSchema, () => host.listDownloaded()),
      version: rpc(voidParameterSchema, () => ({ ...EMULATED_LM_STUDIO_VERSION })),
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
