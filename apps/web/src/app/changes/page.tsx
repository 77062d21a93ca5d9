import type { Metadata } from "next";
import { Suspense } from "react";
import { ChangesView } from "./_components/changes-view";

export const metadata: Metadata = { title: "Changes" };

export default function ChangesPage() {
  // The filters are read from the URL's query, known in the browser only (the page is static).
  return (
    <Suspense>
      <ChangesView />
    </Suspense>
  );
}
