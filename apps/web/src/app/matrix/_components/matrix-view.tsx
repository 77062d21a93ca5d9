"use client";

import { plural } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Card, PageHeader } from "~/components/page-header";
import { EmptyState, LoadError, Loading } from "~/components/query-state";
import { fromJsonText } from "~/lib/json-text";
import { useUrlState } from "~/lib/use-url-state";
import { useTRPC } from "~/trpc/react";
import { finderViewParams, parseFinderView } from "../_lib/matrix-url";
import { FitFinder } from "./fit-finder";
import { MatrixTable, ShareLegend } from "./matrix-table";

export function MatrixView() {
  const trpc = useTRPC();
  const matrix = useQuery({ ...trpc.matrix.get.queryOptions(), select: fromJsonText });
  const [finder, setFinder] = useUrlState(parseFinderView, finderViewParams);

  let body: ReactNode;
  if (matrix.isPending) body = <Loading what="the matrix" />;
  else if (matrix.isError) body = <LoadError what="the matrix" error={matrix.error} />;
  else if (matrix.data.groups.length === 0) {
    body = (
      <EmptyState title="No models yet">
        <p>
          Scan a host from the Hosts page (or run <code>pnpm lmstrix scan</code>) to fill the matrix.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <Card
        title={`${plural(matrix.data.groups.length, "base model")} × ${plural(matrix.data.hosts.length, "host")}`}
      >
        <div className="flex flex-col gap-3">
          <ShareLegend />
          <MatrixTable matrix={matrix.data} />
        </div>
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title="Matrix"
        description="Every model on every host: the loadable (L) and effective (E) limit and the generation speed at it. Click a cell for the model's page on that host."
      />
      <div className="flex flex-col gap-6">
        <Card>
          <FitFinder view={finder} onChange={setFinder} />
        </Card>
        {body}
      </div>
    </>
  );
}
