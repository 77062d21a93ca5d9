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

/** What the LM Studio SDK refuses in its `baseUrl` (it throws when the client is built), as a message; null when none. */
function sdkUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.search !== "")
    return `host URL must not carry a query ("${url.search}"): LM Studio's SDK refuses it`;
  if (url.hash !== "")
    return `host URL must not carry a fragment ("${url.hash}"): LM Studio's SDK refuses it`;
  if (url.username !== "" || url.password !== "")
    return "host URL must not carry a user name or password: LM Studio's SDK refuses them (and they would be stored in plain text)";
  return null;
}

/**
 * LM Studio is reached over WebSocket: `ws://host:port` (or `wss://`, a path where it is reverse-proxied),
 * without what the SDK refuses (a query, a fragment, credentials): such a host would be saved and then fail
 * on every call.
 */
export const hostUrlSchema = urlSchema(
  ["ws:", "wss:"],
  "host URL must look like ws://127.0.0.1:1234",
).superRefine((value, ctx) => {
  const problem = sdkUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

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
