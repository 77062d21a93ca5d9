import type { Metadata } from "next";
import { Suspense } from "react";
import { MatrixView } from "./_components/matrix-view";

export const metadata: Metadata = { title: "Matrix" };

export default function MatrixPage() {
  // The finder reads its request from the URL's query, known in the browser only (the page is static).
  return (
    <Suspense>
      <MatrixView />
    </Suspense>
  );
}
