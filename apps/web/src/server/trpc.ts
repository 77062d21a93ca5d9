import "server-only";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Bad input comes back as field → messages, so the UI and scripts can say exactly what was wrong.
    // Only for bad input: a schema failing inside a procedure (stored data) is the server's fault, said as such.
    const badInput = error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError ? error.cause : null;
    const zodError = badInput ? z.flattenError(badInput) : null;
    // Its own message would be a JSON dump of the issues; scripts get "options.threshold: …; hostId: …" instead.
    const message = badInput
      ? badInput.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
      : shape.message;
    return { ...shape, message, data: { ...shape.data, zodError } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
