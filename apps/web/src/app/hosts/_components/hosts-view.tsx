"use client";

import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Button } from "~/components/button";
import { PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { useTRPC } from "~/trpc/react";
import { HostCard } from "./host-card";
import { HostFormDialog } from "./host-form-dialog";

export function HostsView() {
  const trpc = useTRPC();
  // Often enough to see a host become busy with a run (or free again).
  const hosts = useQuery(trpc.host.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const [isAdding, setAdding] = useState(false);

  let body: ReactNode;
  if (hosts.isPending) body = <Loading what="hosts" />;
  else if (hosts.isError) body = <LoadError what="hosts" error={hosts.error} />;
  else if (hosts.data.length === 0) {
    body = (
      <EmptyState title="No hosts yet">
        <p>
          A host is one LM Studio server, reached at a WebSocket URL such as <code>ws://127.0.0.1:1234</code>.
          Add one with the button above, or with <code>pnpm lmstrix host add NAME URL</code>.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <ul aria-label="Hosts" className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {hosts.data.map((host) => (
          <li key={host.id}>
            <HostCard host={host} />
          </li>
        ))}
      </ul>
    );
  }

  return (
    <>
      <PageHeader
        title="Hosts"
        description="LM Studio servers LMStrix tests models on. Each runs one run at a time."
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add host
          </Button>
        }
      />
      {body}
      <HostFormDialog open={isAdding} onClose={() => setAdding(false)} />
    </>
  );
}
