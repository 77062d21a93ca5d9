"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "~/components/button";
import { TextField } from "~/components/field";
import { describeError } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/** Where this host's notifications go: its own URL, or LMSTRIX_WEBHOOK_URL when empty. */
export function HostWebhook({ hostId, hostName }: { hostId: number; hostName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhook = useQuery(trpc.notification.hostWebhook.queryOptions({ id: hostId }));
  const [url, setUrl] = useState("");
  useEffect(() => setUrl(webhook.data?.url ?? ""), [webhook.data?.url]);
  const save = useMutation(
    trpc.notification.setHostWebhook.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries(trpc.notification.hostWebhook.pathFilter()),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: hostId, webhookUrl: url.trim() });
  };
  const fallback = webhook.data?.defaultUrl
    ? `Empty: LMSTRIX_WEBHOOK_URL (${webhook.data.defaultUrl}).`
    : "Empty: LMSTRIX_WEBHOOK_URL, which is not set.";

  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2 text-sm">
      <TextField
        compact
        className="min-w-56 flex-1"
        label="Webhook (run ends, regressions)"
        placeholder="https://example.org/hooks/lmstrix"
        hint={save.isSuccess ? "Saved." : fallback}
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        error={save.error ? describeError(save.error) : undefined}
        autoComplete="off"
      />
      <Button type="submit" size="sm" disabled={save.isPending} aria-label={`Save webhook of ${hostName}`}>
        Save
      </Button>
    </form>
  );
}
