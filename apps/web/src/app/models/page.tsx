import type { Metadata } from "next";
import { ModelsTable } from "./models-table";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Models</h1>
      <ModelsTable />
    </>
  );
}
