import "server-only";
import { type Database, readModelComparison as readStoredComparison } from "@lmstrix/db";

// The limits are core's (shared with `lmstrix compare`); the page reads them from here.
export { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from "@lmstrix/core";

/**
 * Several models side by side, in the order of `ids`: each with its host, its newest probes (oldest first,
 * as on its Model page) and its probe total; `missingIds` are the ids no model has. The read is the store's
 * (@lmstrix/db), shared with the CLI; the page works out each column's figures with core's rules.
 */
export function readModelComparison({ prisma }: Pick<Database, "prisma">, ids: readonly number[]) {
  return readStoredComparison(prisma, ids);
}

export type ComparedModel = Awaited<ReturnType<typeof readModelComparison>>["models"][number];
