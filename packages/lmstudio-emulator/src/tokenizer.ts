/**
 * The emulator's deterministic tokenizer, used for countTokens, tokenize, prompt-size checks and
 * prediction stats alike.
 *
 * Rule: a token is optional leading whitespace followed by either a run of letters (any script,
 * with combining marks), a single digit, or a single other character (punctuation, symbol).
 * Whitespace at the very end of the text that no token can absorb is one more token.
 * So "2+3=" is 4 tokens, "Hello, world!" is 4, "ninety-six" is 3, "" is 0.
 */
const TOKEN_PATTERN = /\s*(?:[\p{L}\p{M}]+|\p{N}|[^\s\p{L}\p{M}\p{N}])|\s+/gu;

/** Splits text into token strings; joining them gives back the text exactly. */
export function splitTokens(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

export function countTokens(text: string): number {
  let count = 0;
  TOKEN_PATTERN.lastIndex = 0;
  while (TOKEN_PATTERN.exec(text) !== null) count++;
  return count;
}

/** Vocabulary size of the fake tokenizer; ids are a stable hash of the token text. */
export const VOCABULARY_SIZE = 151_936;

export function tokenize(text: string): number[] {
  return splitTokens(text).map(tokenId);
}

function tokenId(token: string): number {
  // FNV-1a, 32 bit.
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % VOCABULARY_SIZE;
}
