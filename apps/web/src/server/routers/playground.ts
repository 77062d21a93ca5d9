import { contextLengthSchema, hostHolder, modelKeySchema } from "@lmstrix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { toTrpcError } from "../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

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
  hostId: z.number().int().positive(),
  modelKey: modelKeySchema,
  contextLength: contextLengthSchema,
  prompt: z.string().min(1, "Write a prompt first").max(200_000),
  maxTokens: z.number().int().min(1).max(32_768).default(512),
  temperature: z.number().min(0).max(2).default(0.7),
});

export const playgroundRouter = createTRPCRouter({
  /** Loads a model at a context, streams its answer to a prompt, and unloads it again. */
  respond: publicProcedure.input(input).subscription(async function* ({ ctx, input, signal }) {
    const { store, runtimes } = await ctx.services();
    const host = await store.getHost(input.hostId);
    if (!host) throw new TRPCError({ code: "NOT_FOUND", message: `No host with id ${input.hostId}` });
    const busy = await hostHolder(store, host.id, env().LMSTRIX_LEASE_STALE_MS);
    if (busy) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Host ${host.name} is busy with run #${busy.runId}; try again when it ends`,
      });
    }
    const runtime = runtimes.for(host);
    const queue: PlaygroundUpdate[] = [];
    let wake: (() => void) | undefined;
    const push = (update: PlaygroundUpdate) => {
      queue.push(update);
      wake?.();
    };
    push({ type: "status", message: `Loading ${input.modelKey} at ${input.contextLength} tokens…` });
    const work = (async () => {
      const handle = await runtime.load(input.modelKey, { contextLength: input.contextLength, signal });
      try {
        push({ type: "status", message: `Loaded at ${handle.contextLength} tokens; answering…` });
        const response = await runtime.respond(handle, {
          messages: [{ role: "user", content: input.prompt }],
          maxTokens: input.maxTokens,
          temperature: input.temperature,
          signal,
          onFragment: (text) => push({ type: "fragment", text }),
        });
        push({
          type: "done",
          appliedContext: handle.contextLength,
          loadMs: handle.loadMs,
          stats: response.stats,
        });
      } finally {
        await runtime.unload(handle).catch(() => undefined);
      }
    })();
    let failure: unknown;
    let isDone = false;
    work
      .catch((error: unknown) => (failure = error))
      .finally(() => {
        isDone = true;
        wake?.();
      });
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (isDone) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if (failure) throw toTrpcError(failure, "The playground could not answer");
  }),
});
