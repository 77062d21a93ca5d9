import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelDetail } from "./_components/model-detail";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Model #${id}` };
}

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const modelId = Number(id);
  if (!Number.isSafeInteger(modelId) || modelId <= 0) notFound();
  return <ModelDetail id={modelId} />;
}
