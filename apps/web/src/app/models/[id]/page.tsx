import type { Metadata } from "next";
import { idParam } from "~/lib/id-param";
import { ModelDetail } from "./_components/model-detail";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Model #${id}` };
}

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  return <ModelDetail id={await idParam(params)} />;
}
