import { EventEmitter, on } from "node:events";
import { askModel, contextLengthSchema, hostHolder, modelKeySchema } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { formatCount } from "~/lib/format";
import { toTrpcError } from "../errors";
import { createTRPCRouter, hostProcedure } from "../trpc";

export type PlaygroundUpdate =
  | { type: "status"; message: string }
  | { type: "fragment"; text: string }
  | {
      type: "done";
      appliedContext: number;
      loadMs: number;
      stats: {
        stopReason: string;
        promptTokens: number | null;
        predictedTokens: number | null;
        timeToFirstTokenMs: number | null;
        tokensPerSecond: number | null;
      };
    };

const input = z.object({
  modelKey: modelKeySchema,
  contextLength: contextLengthSchema,
  prompt: z.string().min(1, "Write a prompt first").max(200_000),
  maxTokens: z.number().int().min(1).max(32_768).default(512),
  temperature: z.number().min(0).max(2).default(0.7),
});

export const playgroundRouter = createTRPCRouter({
  /** Loads a model at a context, streams its answer to a prompt, and unloads it again. */
  respond: hostProcedure.input(input).subscription(async function* ({ ctx: { app, host }, input, signal }) {
    const busy = await hostHolder(app.store, host.id, env().LMSTRIX_LEASE_STALE_MS);
    if (busy) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Host ${host.name} is busy with run #${busy.runId}; try again when it ends`,
      });
    }
    const runtime = app.runtimes.for(host);
    // Node's own queue from pushes to an async iterator: nothing is lost while a fragment is being sent, and the
    // iteration ends with the work ("end") or throws its failure ("error").
    const updates = new EventEmitter();
    const received = on(updates, "update", { close: ["end"] });
    const push = (update: PlaygroundUpdate) => updates.emit("update", update);
    push({
      type: "status",
      message: `Loading ${input.modelKey} at ${formatCount(input.contextLength)} tokens…`,
    });
    askModel(runtime, {
      modelKey: input.modelKey,
      contextLength: input.contextLength,
      prompt: input.prompt,
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      signal,
      onLoaded: (handle) =>
        push({
          type: "status",
          message: `Loaded at ${formatCount(handle.contextLength)} tokens; answering…`,
        }),
      onFragment: (text) => push({ type: "fragment", text }),
    }).then(
      (answer) => {
        push({ type: "done", ...answer });
        updates.emit("end");
      },
      (error: unknown) => updates.emit("error", error),
    );
    try {
      for await (const [update] of received) yield update as PlaygroundUpdate;
    } catch (error) {
      throw toTrpcError(error, "The playground could not answer");
    }
  }),
});
