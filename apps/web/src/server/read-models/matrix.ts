import "server-only";
import { buildMatrix, type FitQuery, whatFits } from "@lmstrix/core";
import { type Database, readMeasuredFleet } from "@lmstrix/db";

/** The `/matrix` page: every base model × every host, built by core from one read of the fleet. */
export async function readMatrix({ prisma }: Pick<Database, "prisma">) {
  return buildMatrix(await readMeasuredFleet(prisma));
}

/** The matrix page's finder: which model on which host serves the request, best first. */
export async function readFits({ prisma }: Pick<Database, "prisma">, query: FitQuery) {
  return whatFits(await readMeasuredFleet(prisma), query);
}
