import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { DataTransfer } from "./_components/data-transfer";
import { HealthSummary } from "./_components/health-summary";
import { SnapshotsCard } from "./_components/snapshots-card";
import { WebhookFailuresCard } from "./_components/webhook-failures-card";

export const metadata: Metadata = { title: "Health" };

export default function HealthPage() {
  return (
    <>
      <PageHeader
        title="Health"
        description="The database's integrity, data problems worth a look, snapshots to go back to, and lmstrix.json import and export."
      />
      <div className="grid grid-cols-1 gap-5">
        <HealthSummary />
        <SnapshotsCard />
        <WebhookFailuresCard />
        <DataTransfer />
      </div>
    </>
  );
}
