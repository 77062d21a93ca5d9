import type { Metadata } from "next";
import { CompareView } from "./_components/compare-view";

export const metadata: Metadata = { title: "Compare models" };

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { models } = await searchParams;
  // `?models=1&models=2` says the same as `?models=1,2`.
  return <CompareView models={Array.isArray(models) ? models.join(",") : (models ?? null)} />;
}
