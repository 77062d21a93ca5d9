import type { Metadata } from "next";
import { Suspense } from "react";
import { ModelsView } from "./_components/models-view";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  // The view reads its sort and filters from the URL's query, known in the browser only (the page is static).
  return (
    <Suspense>
      <ModelsView />
    </Suspense>
  );
}
