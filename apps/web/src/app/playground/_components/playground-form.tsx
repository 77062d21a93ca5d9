"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "~/components/button";
import { Field, HostOptions, INPUT_CLASS, SelectField, TextField } from "~/components/field";
import { Card } from "~/components/page-header";
import { type HostWithReachability, useHosts } from "~/components/use-hosts";
import { formatCount } from "~/lib/format";
import { noHostChosenLabel, pickDefaultHost } from "~/lib/hosts";
import { useTRPC } from "~/trpc/react";
import {
  DEFAULT_CONTEXT,
  defaultContextFor,
  type PlaygroundErrors,
  type PlaygroundRequest,
  parsePlaygroundForm,
} from "../_lib/playground-state";

export function PlaygroundForm({
  isStreaming,
  onSend,
  onStop,
}: {
  isStreaming: boolean;
  onSend: (target: { hostId: number; modelKey: string }, request: PlaygroundRequest) => void;
  onStop: () => void;
}) {
  const trpc = useTRPC();
  // Re-read every few seconds: whether a run holds the chosen host is said before Send.
  const { hosts, list: hostList } = useHosts({ refetchMs: 3_000 });
  const [chosenHostId, setHostId] = useState<number | null>(null);
  const hostId = chosenHostId ?? pickDefaultHost(hosts);
  const host = hosts.find((candidate) => candidate.id === hostId);
  const models = useQuery(
    trpc.model.list.queryOptions({ hostId: hostId ?? 0 }, { enabled: hostId !== null }),
  );
  const llms = (models.data ?? []).filter((model) => model.type === "llm" && model.isPresent);
  const [chosenModelKey, setModelKey] = useState<string | null>(null);
  const model = llms.find((candidate) => candidate.modelKey === chosenModelKey) ?? llms[0];
  const [contextLength, setContextLength] = useState<string | null>(null);
  const [prompt, setPrompt] = useState("");
  const [maxTokens, setMaxTokens] = useState("512");
  const [temperature, setTemperature] = useState("0.7");
  const [errors, setErrors] = useState<PlaygroundErrors>({});
  const shownContext = contextLength ?? defaultContextFor(model).toLocaleString("en-US");
  const modelNote = model
    ? `Declared ${formatCount(model.declaredContext)} · loadable limit ${model.loadableLimit === null ? "not measured yet" : formatCount(model.loadableLimit)}`
    : "Scan the host on the Hosts page to see its models.";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePlaygroundForm({ contextLength: shownContext, prompt, maxTokens, temperature });
    const problems: PlaygroundErrors = parsed.ok ? {} : { ...parsed.errors };
    if (!model || hostId === null) problems.model = "Choose a model first";
    setErrors(problems);
    if (!parsed.ok || !model || hostId === null) return;
    onSend({ hostId, modelKey: model.modelKey }, parsed.request);
  };

  return (
    <Card title="Ask">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Host"
            value={hostId ?? ""}
            onChange={(event) => {
              setHostId(Number(event.target.value));
              setModelKey(null);
              setContextLength(null);
            }}
            disabled={hosts.length === 0}
          >
            {hostList.isPending ? <option value="">Loading hosts…</option> : null}
            {!hostList.isPending && hostId === null ? (
              <option value="">{noHostChosenLabel(hosts)}</option>
            ) : null}
            <HostOptions hosts={hosts} />
          </SelectField>
          <SelectField
            label="Model"
            value={model?.modelKey ?? ""}
            onChange={(event) => {
              setModelKey(event.target.value);
              setContextLength(null);
            }}
            disabled={llms.length === 0}
            hint={errors.model ? undefined : modelNote}
            error={errors.model}
          >
            {llms.length === 0 ? (
              <option value="">{models.isLoading ? "Loading models…" : "No LLM on this host"}</option>
            ) : null}
            {llms.map((candidate) => (
              <option key={candidate.id} value={candidate.modelKey}>
                {candidate.modelKey}
              </option>
            ))}
          </SelectField>
        </div>
        {host ? <HostNotice host={host} /> : null}
        <TextField
          label="Context length (tokens)"
          inputMode="numeric"
          autoComplete="off"
          value={shownContext}
          onChange={(event) => setContextLength(event.target.value)}
          hint={`Defaults to the model's loadable limit, or ${formatCount(DEFAULT_CONTEXT)} when untested.`}
          error={errors.contextLength}
        />
        <Field label="Prompt" hint={errors.prompt ? undefined : "Ctrl+Enter sends."} error={errors.prompt}>
          {(control) => (
            <textarea
              {...control}
              rows={6}
              value={prompt}
              onChange={(event) => setPrompt(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && (event.metaKey || event.ctrlKey))
                  event.currentTarget.form?.requestSubmit();
              }}
              className={INPUT_CLASS}
              placeholder="2+3="
            />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Max tokens"
            inputMode="numeric"
            autoComplete="off"
            value={maxTokens}
            onChange={(event) => setMaxTokens(event.target.value)}
            error={errors.maxTokens}
          />
          <TextField
            label="Temperature"
            inputMode="decimal"
            autoComplete="off"
            value={temperature}
            onChange={(event) => setTemperature(event.target.value)}
            hint="0 to 2"
            error={errors.temperature}
          />
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          {isStreaming ? (
            <Button variant="danger" onClick={onStop}>
              Stop
            </Button>
          ) : null}
          <Button type="submit" variant="primary" disabled={isStreaming}>
            {isStreaming ? "Answering…" : "Send"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Said before Send: the host's LM Studio does not answer, or a run holds the host (Send would be refused). */
function HostNotice({ host }: { host: HostWithReachability }) {
  const runId = host.lease?.runId;
  if (runId) {
    return (
      <p
        role="status"
        className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        Host {host.name} is busy with{" "}
        <Link href={`/runs/${runId}`} className="font-medium underline">
          run #{runId}
        </Link>
        ; the playground can use it when that run ends.
      </p>
    );
  }
  if (host.reachability === "down") {
    return (
      <p role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        LM Studio on {host.name} is not answering ({host.url}); see the Hosts page.
      </p>
    );
  }
  return null;
}
