"use client";

import { plural } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useDeferredValue, useEffect, useMemo, useState } from "react";
import { PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { TestOptionsDialog } from "~/components/test-options-dialog";
import { useHosts } from "~/components/use-hosts";
import { type RunRequest, useStartRuns } from "~/components/use-start-runs";
import { nextSort, paginate } from "~/lib/sort";
import { useUrlState } from "~/lib/use-url-state";
import { useTRPC } from "~/trpc/react";
import {
  filterModels,
  firstDirectionFor,
  groupByHost,
  type ModelFilters,
  sortModels,
} from "../_lib/model-rows";
import { modelsViewParams, parseModelsView } from "../_lib/models-url";
import { HostTestActions } from "./host-test-actions";
import { ModelsFilters } from "./models-filters";
import { ModelsTable } from "./models-table";
import { RetestStaleAction } from "./retest-stale-action";
import { SelectionBar } from "./selection-bar";
import { useLiveModelRows } from "./use-live-model-rows";

const PAGE_SIZE = 100;

interface PendingTest {
  title: string;
  summary: string;
  requests: RunRequest[];
}

export function ModelsView() {
  const trpc = useTRPC();
  // Kept current by the run events (no polling of the table); read once the stream follows them.
  const live = useLiveModelRows();
  const models = useQuery(trpc.model.list.queryOptions(undefined, { enabled: live.canRead }));
  const { hosts } = useHosts();
  const [view, setView] = useUrlState(parseModelsView, modelsViewParams);
  const { sort, page } = view;
  // The search box answers each keystroke; the URL follows (without a history entry per letter).
  const [text, setText] = useState(view.filters.text);
  useEffect(() => {
    const onBackOrForward = () =>
      setText(parseModelsView(new URLSearchParams(window.location.search)).filters.text);
    window.addEventListener("popstate", onBackOrForward);
    return () => window.removeEventListener("popstate", onBackOrForward);
  }, []);
  const filters = useMemo(() => ({ ...view.filters, text }), [view.filters, text]);
  const deferredFilters = useDeferredValue(filters);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [pendingTest, setPendingTest] = useState<PendingTest | null>(null);
  const startRuns = useStartRuns();

  const all = models.data ?? [];
  const visible = useMemo(
    () => sortModels(filterModels(models.data ?? [], deferredFilters), sort),
    [models.data, deferredFilters, sort],
  );
  const shown = paginate(visible, page, PAGE_SIZE);
  const selectedRows = all.filter((row) => selected.has(row.id));

  const changeFilters = (patch: Partial<ModelFilters>) => {
    const isTyping = patch.text !== undefined && patch.text !== text;
    if (patch.text !== undefined) setText(patch.text);
    setView(
      (current) => ({ ...current, filters: { ...current.filters, ...patch }, page: 1 }),
      isTyping ? "replace" : "push",
    );
  };
  const openTest = (test: PendingTest) => {
    startRuns.reset();
    setPendingTest(test);
  };

  let body: ReactNode;
  if (models.isPending) body = <Loading what="models" />;
  else if (models.isError) body = <LoadError what="models" error={models.error} />;
  else if (all.length === 0) {
    body = (
      <EmptyState title="No models yet">
        <p>
          LMStrix has not seen any models. Start LM Studio (or <code>pnpm demo</code> for the built-in
          emulator), then scan a host from the{" "}
          <a href="/hosts" className="font-medium text-sky-800 underline">
            Hosts
          </a>{" "}
          page or run <code>pnpm lmstrix scan</code>.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="flex flex-col gap-3">
        <HostTestActions
          hosts={hosts}
          models={all}
          onTestAll={(host, count) =>
            openTest({
              title: `Test all untested models on ${host.name}`,
              summary: `${plural(count, "LLM")} on ${host.name} that are untested or failed, smallest first.`,
              requests: [{ hostId: host.id, all: true }],
            })
          }
        />
        <RetestStaleAction models={all} />
        <ModelsFilters models={all} hosts={hosts} filters={filters} onChange={changeFilters} />
        <SelectionBar
          selectedIds={selectedRows.map((row) => row.id)}
          onClear={() => setSelected(new Set())}
          onTest={() =>
            openTest({
              title: `Test ${selectedRows.length === 1 ? selectedRows[0]?.modelKey : `${selectedRows.length} models`}`,
              summary: `Finds the context limit of ${selectedRows.map((row) => row.modelKey).join(", ")}.`,
              requests: groupByHost(selectedRows),
            })
          }
        />
        <ModelsTable
          rows={shown.rows}
          totalRows={visible.length}
          pagination={{ ...shown, total: visible.length }}
          onPage={(next) => setView((current) => ({ ...current, page: next }))}
          sort={sort}
          onSort={(key) =>
            setView((current) => ({ ...current, sort: nextSort(current.sort, key, firstDirectionFor(key)) }))
          }
          selected={selected}
          onSelectedChange={setSelected}
        />
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title="Models"
        description="Every model on every host, with the largest context it loaded and answered at."
      />
      {body}
      <TestOptionsDialog
        open={pendingTest !== null}
        title={pendingTest?.title ?? ""}
        summary={pendingTest?.summary}
        isPending={startRuns.isPending}
        error={startRuns.error}
        onClose={() => setPendingTest(null)}
        onStart={(options) => pendingTest && startRuns.mutate({ requests: pendingTest.requests, options })}
      />
    </>
  );
}
