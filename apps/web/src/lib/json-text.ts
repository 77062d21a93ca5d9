/**
 * A value that leaves the API as JSON text instead of as a superjson tree: for large answers of plain data
 * (the matrix: 5,000 cells). superjson walks every value to find Dates, Maps and BigInts, which took ≈ 200 ms
 * of the matrix's 300 ms budget at 1,000 models × 5 hosts; JSON.stringify takes ≈ 10 ms. Only for values that
 * hold no Date, Map, Set or BigInt (JSON would turn them into something else). The type travels with the text.
 */
declare const textOf: unique symbol;
export type JsonText<T> = string & { readonly [textOf]: T };

export function toJsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}

export function fromJsonText<T>(text: JsonText<T>): T {
  return JSON.parse(text) as T;
}
