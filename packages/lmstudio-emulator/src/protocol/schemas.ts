import { z } from "zod";

/**
 * Incoming shapes, mirrored from the zod schemas in @lmstudio/sdk 1.5 (dist/index.cjs). LM Studio
 * validates every frame and parameter with these; so does the emulator.
 */

/** First frame on every socket (`authPacketSchema` in lms-communication). */
export const authPacketSchema = z.object({
  authVersion: z.literal(1),
  clientIdentifier: z.string().max(256),
  clientPasskey: z.string().max(256),
});

/** `clientToServerMessageSchema`. */
export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("communicationWarning"), warning: z.string() }),
  z.object({ type: z.literal("keepAlive") }),
  z.object({
    type: z.literal("channelCreate"),
    endpoint: z.string(),
    channelId: z.number().int(),
    creationParameter: z.any().optional(),
  }),
  z.object({
    type: z.literal("channelSend"),
    channelId: z.number().int(),
    message: z.any().optional(),
    ackId: z.number().int().optional(),
  }),
  z.object({ type: z.literal("channelAck"), channelId: z.number().int(), ackId: z.number().int() }),
  z.object({
    type: z.literal("rpcCall"),
    endpoint: z.string(),
    callId: z.number().int(),
    parameter: z.any().optional(),
  }),
  z.object({
    type: z.literal("signalSubscribe"),
    creationParameter: z.any().optional(),
    endpoint: z.string(),
    subscribeId: z.number().int(),
  }),
  z.object({ type: z.literal("signalUnsubscribe"), subscribeId: z.number().int() }),
  z.object({
    type: z.literal("writableSignalSubscribe"),
    creationParameter: z.any().optional(),
    endpoint: z.string(),
    subscribeId: z.number().int(),
  }),
  z.object({ type: z.literal("writableSignalUnsubscribe"), subscribeId: z.number().int() }),
  z.object({
    type: z.literal("writableSignalUpdate"),
    subscribeId: z.number().int(),
    patches: z.array(z.any()),
    tags: z.array(z.string()),
  }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

// --- shared types ---------------------------------------------------------------------------

/** `reasonableKeyStringSchema`. */
const reasonableKeyString = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => value !== "__proto__", { message: 'For security reasons, "__proto__" is not allowed' })
  .refine((value) => !/\p{C}/u.test(value), { message: "Control characters are not allowed" });

export const modelQuerySchema = z.object({
  domain: z.enum(["llm", "embedding", "imageGen", "transcription", "tts"]).optional(),
  identifier: reasonableKeyString.optional(),
  path: reasonableKeyString.optional(),
  vision: z.boolean().optional(),
});

export const modelSpecifierSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("query"), query: modelQuerySchema }),
  z.object({ type: z.literal("instanceReference"), instanceReference: z.string() }),
]);

export type ModelSpecifier = z.infer<typeof modelSpecifierSchema>;

export const kvConfigSchema = z.object({
  fields: z.array(z.object({ key: z.string(), value: z.any().optional() })),
});

export type KvConfig = z.infer<typeof kvConfigSchema>;

export const kvConfigStackSchema = z.object({
  layers: z.array(
    z.object({
      layerName: z.enum([
        "currentlyEditing",
        "currentlyLoaded",
        "apiOverride",
        "conversationSpecific",
        "conversationGlobal",
        "preset",
        "serverSession",
        "httpServerRequestOverride",
        "completeModeFormatting",
        "instance",
        "userModelDefault",
        "virtualModel",
        "modelDefault",
        "hardware",
      ]),
      config: kvConfigSchema,
    }),
  ),
});

export type KvConfigStack = z.infer<typeof kvConfigStackSchema>;

const fileTypeSchema = z.enum([
  "image",
  "text/plain",
  "application/pdf",
  "application/word",
  "text/other",
  "unknown",
]);
const textPart = z.object({ type: z.literal("text"), text: z.string() });
const filePart = z.object({
  type: z.literal("file"),
  name: z.string(),
  identifier: z.string(),
  sizeBytes: z.number().int(),
  fileType: fileTypeSchema,
});
const toolCallRequest = z.object({
  id: z.string().optional(),
  type: z.literal("function"),
  arguments: z.record(z.string(), z.any()).optional(),
  name: z.string(),
});

export const chatHistoryDataSchema = z.object({
  messages: z.array(
    z.discriminatedUnion("role", [
      z.object({
        role: z.literal("assistant"),
        content: z.array(
          z.discriminatedUnion("type", [
            textPart,
            filePart,
            z.object({ type: z.literal("toolCallRequest"), toolCallRequest }),
          ]),
        ),
      }),
      z.object({
        role: z.literal("user"),
        content: z.array(z.discriminatedUnion("type", [textPart, filePart])),
      }),
      z.object({
        role: z.literal("system"),
        content: z.array(z.discriminatedUnion("type", [textPart, filePart])),
      }),
      z.object({
        role: z.literal("tool"),
        content: z.array(
          z.object({
            type: z.literal("toolCallResult"),
            content: z.string(),
            toolCallId: z.string().optional(),
          }),
        ),
      }),
    ]),
  ),
});

export type ChatHistoryData = z.infer<typeof chatHistoryDataSchema>;

/** Every channel here accepts exactly one client packet: `{type: "cancel"}`. */
export const cancelPacketSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("cancel") })]);

// --- endpoint parameters ----------------------------------------------------------------------

export const loadModelParameterSchema = z.object({
  modelKey: z.string(),
  identifier: z.string().optional(),
  ttlMs: z.number().int().min(1).optional(),
  loadConfigStack: kvConfigStackSchema,
});

export const getOrLoadParameterSchema = z.object({
  identifier: z.string(),
  loadTtlMs: z.number().int().min(1).optional(),
  loadConfigStack: kvConfigStackSchema,
});

export const unloadModelParameterSchema = z.object({ identifier: z.string() });
export const getModelInfoParameterSchema = z.object({
  specifier: modelSpecifierSchema,
  throwIfNotFound: z.boolean(),
});
export const specifierParameterSchema = z.object({ specifier: modelSpecifierSchema });
export const tokenizeParameterSchema = z.object({ specifier: modelSpecifierSchema, inputString: z.string() });
export const embedStringParameterSchema = z.object({
  modelSpecifier: modelSpecifierSchema,
  inputString: z.string(),
});

export const predictParameterSchema = z.object({
  modelSpecifier: modelSpecifierSchema,
  history: chatHistoryDataSchema,
  predictionConfigStack: kvConfigStackSchema,
  fuzzyPresetIdentifier: z.string().optional(),
  ignoreServerSessionConfig: z.boolean().optional(),
});

/**
 * SDK 2.0 sends `model.complete()` over `completeRawText` with the raw prompt instead of a chat
 * history (shape from lmstudio-js tests; the packets it expects back are the `predict` ones).
 * Unknown extra keys are tolerated because the exact 2.0 schema is not available here.
 */
export const completeRawTextParameterSchema = z.looseObject({
  modelSpecifier: modelSpecifierSchema,
  rawPrompt: z.string(),
  predictionConfigStack: kvConfigStackSchema,
});

export const applyPromptTemplateParameterSchema = z.object({
  specifier: modelSpecifierSchema,
  history: chatHistoryDataSchema,
  predictionConfigStack: kvConfigStackSchema,
  opts: z.object({
    omitBosToken: z.boolean().optional(),
    omitEosToken: z.boolean().optional(),
    toolDefinitions: z.array(z.any()).optional(),
  }),
});

export const voidParameterSchema = z.undefined();

export const notifyParameterSchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  noAutoDismiss: z.boolean().optional(),
});
