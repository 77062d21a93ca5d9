import type { Metadata } from "next";
import { idParam } from "~/lib/id-param";
import { RunView } from "./_components/run-view";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run #${id}` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  return <RunView id={await idParam(params)} />;
}
