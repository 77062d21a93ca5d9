/**
 * The Compare page's address, `/compare?models=ID,ID,…`: 2–4 distinct model ids. The server's `model.compare`
 * checks the same; the page says what is wrong before asking it.
 */

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 4;

export type CompareRequest = { ids: number[]; problem: null } | { ids: null; problem: string };

/** `models`' ids, or a sentence saying what is wrong with them. */
export function parseCompareModels(raw: string | null | undefined): CompareRequest {
  const parts = (raw ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0) {
    return { ids: null, problem: "Choose 2 to 4 models to compare: select them in the Models table." };
  }
  const notIds = parts.filter((part) => !/^\d+$/.test(part) || !Number.isSafeInteger(Number(part)));
  const zero = parts.filter((part) => /^\d+$/.test(part) && Number(part) === 0);
  const bad = [...notIds, ...zero];
  if (bad.length > 0) {
    return {
      ids: null,
      problem: `Model ids are positive whole numbers; “${bad.join("”, “")}” ${bad.length === 1 ? "is" : "are"} not.`,
    };
  }
  const ids = parts.map(Number);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) {
    return {
      ids: null,
      problem: `Each model can be compared only once; ${[...new Set(repeated)].join(", ")} is repeated.`,
    };
  }
  const reason = compareCountProblem(ids.length);
  return reason ? { ids: null, problem: reason } : { ids, problem: null };
}

/** Why `count` models (in the address, or selected in the table) cannot be compared; null when they can. */
export function compareCountProblem(count: number, how: "given" | "selected" = "given"): string | null {
  const counted = `${count} ${count === 1 ? "is" : "are"} ${how}`;
  if (count < MIN_COMPARED) return `Compare needs at least ${MIN_COMPARED} models (${counted}).`;
  if (count > MAX_COMPARED) return `Compare takes at most ${MAX_COMPARED} models (${counted}).`;
  return null;
}

export function compareHref(ids: readonly number[]): string {
  return `/compare?models=${ids.join(",")}`;
}
