export type JsonPathSegment = string | number;

export interface DuplicateKey {
  /** Path of the object that holds the key twice. */
  objectPath: JsonPathSegment[];
  key: string;
}

type Frame =
  | { type: "object"; path: JsonPathSegment[]; keys: Set<string>; key: string | null; expectingKey: boolean }
  | { type: "array"; path: JsonPathSegment[]; index: number };

/**
 * Keys that appear more than once in the same object. `JSON.parse` silently keeps the last one, which would
 * drop a registry entry without a word. `text` must already be valid JSON (`JSON.parse` accepted it).
 */
export function findDuplicateKeys(text: string, limit = 100): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const valuePath = (): JsonPathSegment[] => {
    const top = stack.at(-1);
    if (!top) return [];
    return top.type === "object" ? [...top.path, top.key ?? ""] : [...top.path, top.index];
  };
  let i = 0;
  while (i < text.length && found.length < limit) {
    const char = text[i]!;
    if (char === '"') {
      const end = endOfString(text, i);
      const top = stack.at(-1);
      if (top?.type === "object" && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) found.push({ objectPath: top.path, key });
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end + 1;
      continue;
    }
    if (char === "{") {
      stack.push({ type: "object", path: valuePath(), keys: new Set(), key: null, expectingKey: true });
    } else if (char === "[") {
      stack.push({ type: "array", path: valuePath(), index: 0 });
    } else if (char === "}" || char === "]") {
      stack.pop();
    } else if (char === ",") {
      const top = stack.at(-1);
      if (top?.type === "object") top.expectingKey = true;
      else if (top?.type === "array") top.index += 1;
    }
    i += 1;
  }
  return found;
}

/** Index of the quote that closes the string starting at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === "\\") i += 2;
    else if (char === '"') return i;
    else i += 1;
  }
  return text.length - 1;
}
