/**
 * The words and numbers people read, the same in the engine's messages, the CLI and the dashboard: counts
 * with thousands separators ("31,744"), a plural that agrees with its count ("1 model", "2 models"), and
 * shares as "98%" (no space).
 */

const wholeNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Token counts (and any whole count) in messages people read: "31,744". */
export function tokens(count: number): string {
  return wholeNumber.format(count);
}

/**
 * A count and its noun, agreeing: "1 model", "2 models", "1,024 probes". Nouns whose plural is not the noun
 * plus "s" give it: `plural(n, "entry", "entries")`.
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${tokens(count)} ${count === 1 ? noun : pluralNoun}`;
}

/** A share 0..1 as "98%"; `digits` decimals when asked for ("81.2%"). */
export function percent(share: number, digits = 0): string {
  const format = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${format.format(share * 100)}%`;
}
