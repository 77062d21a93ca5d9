"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchStreamLink,
  httpSubscriptionLink,
  loggerLink,
  splitLink,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "~/server/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function createClient() {
  return createTRPCClient<AppRouter>({
    links: [
      // Failed calls in the console while developing. Not in production: a refused action (a busy host, a
      // duplicate run) is shown on the page where it was asked for, and is not an error of the page.
      loggerLink({
        enabled: (op) =>
          process.env.NODE_ENV === "development" && op.direction === "down" && op.result instanceof Error,
      }),
      // Subscriptions travel as server-sent events; everything else as batched, streamed HTTP.
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
        false: httpBatchStreamLink({ url: "/api/trpc", transformer: superjson }),
      }),
    ],
  });
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(createClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
