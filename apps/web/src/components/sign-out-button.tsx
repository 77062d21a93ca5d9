"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/**
 * The header's "Sign out", only in team mode (`LMSTRIX_TOKEN` set). The mode is asked of the server from the
 * browser, so the pages stay static (one build serves both modes). A plain form: signing out needs no script.
 */
export function SignOutButton() {
  const trpc = useTRPC();
  const session = useQuery(
    trpc.health.session.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  if (!session.data?.teamMode) return null;
  return (
    <form method="post" action="/api/sign-out" className="flex items-center gap-2">
      <span className="text-sm text-slate-500">{session.data.name}</span>
      <button
        type="submit"
        className="rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200"
      >
        Sign out
      </button>
    </form>
  );
}
