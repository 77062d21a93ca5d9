/**
 * A table read in id order a page at a time (keyset paging on the primary key), until a page comes back
 * short: memory stays flat whatever the table's size. `read` returns up to `take` rows with an id above
 * `afterId`, in ascending id order.
 */
export async function* pagesById<Row extends { id: number }>(
  read: (afterId: number, take: number) => Promise<Row[]>,
  take: number,
): AsyncGenerator<Row[]> {
  let afterId = 0;
  for (;;) {
    const page = await read(afterId, take);
    yield page;
    if (page.length < take) return;
    afterId = page.at(-1)!.id;
  }
}

/** The rows of `pagesById`, one at a time. */
export async function* rowsById<Row extends { id: number }>(
  read: (afterId: number, take: number) => Promise<Row[]>,
  take: number,
): AsyncGenerator<Row> {
  for await (const page of pagesById(read, take)) yield* page;
}
