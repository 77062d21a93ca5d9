import { notFound } from "next/navigation";

/** A detail page's `[id]` as a number; anything but a positive whole number is a 404. */
export async function idParam(params: Promise<{ id: string }>): Promise<number> {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}
