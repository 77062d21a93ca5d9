import type { Metadata } from "next";
import { HostsTable } from "./hosts-table";

export const metadata: Metadata = { title: "Hosts" };

export default function HostsPage() {
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Hosts</h1>
      <HostsTable />
    </>
  );
}
