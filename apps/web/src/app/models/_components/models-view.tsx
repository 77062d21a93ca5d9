"use client";

import { plural } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useDeferredValue, useMemo, useState } from "react";
import { PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { TestOptionsDialog } from "~/components/test-options-dialog";
import { type RunRequest, useStartRuns } from "~/components/use-start-runs";
import type { SortState } from "~/lib/sort";
import { nextSort, paginate } from "~/lib/sort";
import { useTRPC } from "~/trpc/react";
import {
  filterModels,
  firstDirectionFor,
  groupByHost,
  type ModelFilters,
  type ModelSortKey,
  NO_MODEL_FILTERS,
  sortModels,
} from "../_lib/model-rows";
import { HostTestActions } from "./host-test-actions";
import { ModelsFilters } from "./models-filters";
import { ModelsTable } from "./models-table";
import { SelectionBar } from "./selection-bar";

const PAGE_SIZE = 100;

interface PendingTest {
  title: string;
  summary: string;
  requests: RunRequest[];
}

export function ModelsView() {
  const trpc = useTRPC();
  const models = useQuery(
    trpc.model.list.queryOptions(undefined, {
      // While a model is being tested its status changes under the user's eyes; otherwise stay quiet.
      refetchInterval: (query) => (query.state.data?.some((m) => m.testStatus === "testing") ? 3_000 : false),
    }),
  );
  const [filters, setFilters] = useState<ModelFilters>(NO_MODEL_FILTERS);
  const deferredFilters = useDeferredValue(filters);
  const [sort, setSort] = useState<SortState<ModelSortKey>>({ key: "host", direction: "ascending" });
  const [page, setPage] = useState(1);
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

  const changeFilters = (next: ModelFilters) => {
    setFilters(next);
    setPage(1);
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
          models={all}
          onTestAll={(host, count) =>
            openTest({
              title: `Test all untested models on ${host.name}`,
              summary: `${plural(count, "LLM")} on ${host.name} that are untested or failed, smallest first, in lmstrix's passes.`,
              requests: [{ hostId: host.id, all: true }],
            })
          }
        />
        <ModelsFilters models={all} filters={filters} onChange={changeFilters} />
        <SelectionBar
          count={selectedRows.length}
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
          onPage={setPage}
          sort={sort}
          onSort={(key) => setSort((current) => nextSort(current, key, firstDirectionFor(key)))}
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
