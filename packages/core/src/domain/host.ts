import { z } from "zod";

export const hostNameSchema = z
  .string()
  .trim()
  .min(1, "host name must not be empty")
  .max(64, "host name must be at most 64 characters")
  .regex(/^[\w.-]+$/, "host name may use letters, digits, '.', '_' and '-' only");

/** A URL of one of `protocols` (with the colon: "ws:") naming a host; `message` when it is not. */
export function urlSchema(protocols: readonly string[], message: string) {
  return z
    .string()
    .trim()
    .max(2048)
    .refine((value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== "";
      } catch {
        return false;
      }
    }, message);
}

/** LM Studio is reached over WebSocket: `ws://host:port` (or `wss://`). */
export const hostUrlSchema = urlSchema(["ws:", "wss:"], "host URL must look like ws://127.0.0.1:1234");

/** A host's LM Studio home folder on this machine (where LM Studio keeps its settings): an absolute path. */
export const lmstudioHomeSchema = z
  .string()
  .trim()
  .min(1, "LM Studio home must not be empty")
  .max(4096)
  .refine(
    (value) => value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value),
    "LM Studio home must be an absolute path",
  );

export const hostSchema = z.object({
  id: z.number().int(),
  name: hostNameSchema,
  url: hostUrlSchema,
  enabled: z.boolean(),
  /** Where the host's LM Studio keeps its settings, when that is on this machine; null: not known here. */
  lmstudioHome: z.string().nullable(),
  /** The LM Studio version the host reported last (scan or run start); null before it did. */
  lmStudioVersion: z.string().nullable(),
});
export type Host = z.infer<typeof hostSchema>;
