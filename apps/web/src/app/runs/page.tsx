import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsView } from "./_components/runs-view";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  // The host filter is read from the URL's query, known in the browser only (the page is static).
  return (
    <Suspense>
      <RunsView />
    </Suspense>
  );
}
