import type { Metadata } from "next";
import { idParam } from "~/lib/id-param";
import { getDatabase } from "~/server/db";
import { readModelTitle } from "~/server/read-models/model-page";
import { ModelDetail } from "./_components/model-detail";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  // The tab names the model; a database that cannot be read leaves it to the page to say so.
  const title = await getDatabase()
    .then((db) => readModelTitle(db, Number(id)))
    .catch(() => null);
  return { title: title ?? `Model #${id}` };
}

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  return <ModelDetail id={await idParam(params)} />;
}
