"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "~/components/page-header";
import { LoadError, Loading } from "~/components/query-state";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/** Notifications that failed every retry: a receiver down or refusing, and which run's news it missed. */
export function WebhookFailuresCard() {
  const trpc = useTRPC();
  const failures = useQuery(trpc.notification.failures.queryOptions(undefined, { refetchInterval: 10_000 }));
  let body: ReactNode;
  if (failures.isPending) body = <Loading what="webhook deliveries" />;
  else if (failures.isError) body = <LoadError what="webhook deliveries" error={failures.error} />;
  else if (failures.data.length === 0) {
    body = <p className="text-sm text-slate-600">Every notification was delivered (or none was sent).</p>;
  } else {
    body = (
      <ul aria-label="Failed webhook deliveries" className="flex flex-col gap-2 text-sm">
        {failures.data.map((failure) => (
          <li
            key={failure.id}
            data-testid="webhook-failure"
            className="rounded border border-amber-200 bg-amber-50 px-3 py-2"
          >
            <span className="font-medium">{failure.event}</span>
            {failure.runId ? (
              <>
                {" "}
                of{" "}
                <Link href={`/runs/${failure.runId}`} className="text-sky-800 hover:underline">
                  run #{failure.runId}
                </Link>
              </>
            ) : null}{" "}
            to <code className="break-all">{failure.url}</code> failed after {failure.attempts} attempts:{" "}
            {failure.error} <span className="text-slate-600">({formatDateTime(failure.createdAt)})</span>
          </li>
        ))}
      </ul>
    );
  }
  return <Card title="Webhook deliveries that failed">{body}</Card>;
}
