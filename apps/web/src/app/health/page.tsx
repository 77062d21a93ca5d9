import type { Metadata } from "next";
import { HealthReportView } from "./health-report";

export const metadata: Metadata = { title: "Health" };

export default function HealthPage() {
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Health</h1>
      <HealthReportView />
    </>
  );
}
