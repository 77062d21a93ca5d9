"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Button, buttonClassName } from "~/components/button";
import { INPUT_CLASS } from "~/components/field";
import { Card } from "~/components/page-header";
import { InlineError } from "~/components/query-state";
import { useTRPC } from "~/trpc/react";

/** lmstrix.json in (an upload) and out (downloads), so users of the Python tool keep their history. */
export function DataTransfer() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hosts = useQuery(trpc.host.list.queryOptions());
  const ids = { host: useId(), file: useId(), exportHost: useId() };
  const [hostId, setHostId] = useState<number | null>(null);
  const [exportHostId, setExportHostId] = useState<string>("");
  const [file, setFile] = useState<File | null>(null);
  const [isDryRun, setIsDryRun] = useState(true);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const importFile = useMutation(
    trpc.data.importRegistry.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const chosenHost = hostId ?? hosts.data?.[0]?.id ?? null;

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
  const result = importFile.data;
  const exportQuery = (format: string) =>
    `/api/export?format=${format}${exportHostId ? `&hostId=${exportHostId}` : ""}`;

  return (
    <div className="grid gap-5 md:grid-cols-2">
      <Card title="Import lmstrix.json">
        <form onSubmit={onImport} className="grid gap-3 text-sm">
          <div className="grid gap-1">
            <label htmlFor={ids.file} className="font-medium">
              Registry file (lmstrix.json or lmsm.json)
            </label>
            <input
              id={ids.file}
              type="file"
              accept=".json,application/json"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <div className="grid gap-1">
            <label htmlFor={ids.host} className="font-medium">
              Into host
            </label>
            <select
              id={ids.host}
              className={INPUT_CLASS}
              value={chosenHost ?? ""}
              onChange={(event) => setHostId(Number(event.target.value))}
            >
              {hosts.data?.map((host) => (
                <option key={host.id} value={host.id}>
                  {host.name}
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={isDryRun}
              onChange={(event) => setIsDryRun(event.target.checked)}
            />
            Dry run: only show what would change
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={skipInvalid}
              onChange={(event) => setSkipInvalid(event.target.checked)}
            />
            Skip invalid entries (with a warning each) instead of rejecting the file
          </label>
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
          {result ? (
            <div role="status" className="rounded border border-slate-200 bg-slate-50 p-3">
              <p className="font-medium">
                {result.dryRun ? "Would change: " : "Imported: "}
                {result.created.length} new, {result.updated.length} updated, {result.unchanged} unchanged,{" "}
                {result.probesAdded} history entries.
                {result.previousImportRunId !== null && result.created.length + result.updated.length === 0
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
          ) : null}
        </form>
      </Card>
      <Card title="Export">
        <div className="grid gap-3 text-sm">
          <div className="grid gap-1">
            <label htmlFor={ids.exportHost} className="font-medium">
              Host
            </label>
            <select
              id={ids.exportHost}
              className={INPUT_CLASS}
              value={exportHostId}
              onChange={(event) => setExportHostId(event.target.value)}
            >
              <option value="">All hosts</option>
              {hosts.data?.map((host) => (
                <option key={host.id} value={host.id}>
                  {host.name}
                </option>
              ))}
            </select>
          </div>
          <p className="text-slate-600">
            lmstrix.json is read by the Python tool (one host); the history has every run and probe.
          </p>
          <div className="flex flex-wrap gap-2">
            <a className={buttonClassName()} href={exportQuery("lmstrix")} download>
              lmstrix.json
            </a>
            <a className={buttonClassName()} href={exportQuery("json")} download>
              Full history (JSON)
            </a>
            <a className={buttonClassName()} href={exportQuery("csv")} download>
              Models (CSV)
            </a>
          </div>
        </div>
      </Card>
    </div>
  );
}
