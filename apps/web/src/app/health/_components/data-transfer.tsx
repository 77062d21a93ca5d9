"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent, useState } from "react";
import { Button, buttonClassName } from "~/components/button";
import { CheckboxField, Field, HostOptions, SelectField } from "~/components/field";
import { Card } from "~/components/page-header";
import { InlineError } from "~/components/query-state";
import { useHosts } from "~/components/use-hosts";
import { noHostChosenLabel, pickDefaultHost } from "~/lib/hosts";
import type { AppRouter } from "~/server/root";
import { useTRPC } from "~/trpc/react";

const EXPORTS = [
  { format: "lmstrix", label: "lmstrix.json" },
  { format: "json", label: "Full history (JSON)" },
  { format: "csv", label: "Models (CSV)" },
];

/** lmstrix.json in (an upload) and out (downloads), so users of the Python tool keep their history. */
export function DataTransfer() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { hosts } = useHosts();
  const [hostId, setHostId] = useState<number | null>(null);
  const [exportHostId, setExportHostId] = useState<string>("");
  const [file, setFile] = useState<File | null>(null);
  const [isDryRun, setIsDryRun] = useState(true);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const importFile = useMutation(
    trpc.data.importRegistry.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const chosenHost = hostId ?? pickDefaultHost(hosts);

  const onImport = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || chosenHost === null) return;
    importFile.mutate({
      hostId: chosenHost,
      fileName: file.name,
      text: await file.text(),
      dryRun: isDryRun,
      skipInvalid,
    });
  };
  const exportQuery = (format: string) =>
    `/api/export?format=${format}${exportHostId ? `&hostId=${exportHostId}` : ""}`;
  const exportHost = hosts.find((host) => String(host.id) === exportHostId);
  const limitsQuery = `/api/limits${exportHost ? `?host=${encodeURIComponent(exportHost.name)}` : ""}`;

  return (
    <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
      <Card title="Import lmstrix.json">
        <form onSubmit={onImport} className="grid gap-3 text-sm">
          <Field label="Registry file (lmstrix.json or lmsm.json)">
            {(control) => (
              <input
                {...control}
                type="file"
                accept=".json,application/json"
                onChange={(event) => setFile(event.target.files?.[0] ?? null)}
              />
            )}
          </Field>
          <SelectField
            label="Into host"
            value={chosenHost ?? ""}
            onChange={(event) => setHostId(Number(event.target.value))}
          >
            {chosenHost === null ? <option value="">{noHostChosenLabel(hosts)}</option> : null}
            <HostOptions hosts={hosts} />
          </SelectField>
          <CheckboxField checked={isDryRun} onChange={(event) => setIsDryRun(event.target.checked)}>
            Dry run: only show what would change
          </CheckboxField>
          <CheckboxField checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)}>
            Skip invalid entries (with a warning each) instead of rejecting the file
          </CheckboxField>
          <div>
            <Button
              type="submit"
              variant="primary"
              disabled={!file || chosenHost === null || importFile.isPending}
            >
              {importFile.isPending ? "Importing…" : isDryRun ? "Check file" : "Import"}
            </Button>
          </div>
          <InlineError error={importFile.error} />
          {importFile.data ? <ImportResult result={importFile.data} /> : null}
        </form>
      </Card>
      <Card title="Export">
        <div className="grid gap-3 text-sm">
          <SelectField
            label="Host"
            value={exportHostId}
            onChange={(event) => setExportHostId(event.target.value)}
          >
            <option value="">All hosts</option>
            <HostOptions hosts={hosts} />
          </SelectField>
          <p className="text-slate-600">
            lmstrix.json is read by the Python tool (one host); the history has every run and probe; the
            measured limits are what <code>/api/limits</code> gives other tools.
          </p>
          <div className="flex flex-wrap gap-2">
            {EXPORTS.map(({ format, label }) => (
              <a key={format} className={buttonClassName()} href={exportQuery(format)} download>
                {label}
              </a>
            ))}
            {/* What `lmstrix export --format limits` writes: the API other tools read, as a file. */}
            <a className={buttonClassName()} href={limitsQuery} download="lmstrix-limits.json">
              Measured limits (JSON)
            </a>
          </div>
        </div>
      </Card>
    </div>
  );
}

function ImportResult({ result }: { result: inferRouterOutputs<AppRouter>["data"]["importRegistry"] }) {
  const isUnchangedReimport =
    result.previousImportRunId !== null && result.created.length + result.updated.length === 0;
  return (
    <div role="status" className="rounded border border-slate-200 bg-slate-50 p-3">
      <p className="font-medium">
        {result.dryRun ? "Would change: " : "Imported: "}
        {result.created.length} new, {result.updated.length} updated, {result.unchanged} unchanged,{" "}
        {result.probesAdded} history entries.
        {isUnchangedReimport
          ? ` Nothing changed: this file was imported before (run #${result.previousImportRunId}).`
          : ""}
      </p>
      {result.warnings.length > 0 ? (
        <ul className="mt-2 list-disc pl-5 text-amber-900">
          {result.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
