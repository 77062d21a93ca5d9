import "server-only";
import type { FitQuery } from "@lmstrix/core";
import { type Database, readFits, readMatrix } from "@lmstrix/db";
import { toJsonText } from "~/lib/json-text";

/** The `/matrix` page: every base model × every host (core's matrix over one read of the fleet), as JSON text. */
export async function readMatrixPage({ prisma }: Pick<Database, "prisma">) {
  return toJsonText(await readMatrix(prisma));
}

/** The matrix page's finder: which model on which host serves the request, best first, as JSON text. */
export async function readFitResults({ prisma }: Pick<Database, "prisma">, query: FitQuery) {
  return toJsonText(await readFits(prisma, query));
}
