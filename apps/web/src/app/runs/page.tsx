import type { Metadata } from "next";
import { RunsTable } from "./runs-table";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Runs</h1>
      <RunsTable />
    </>
  );
}
