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

/**
 * A recall or a recall threshold to the tenth of a percent it has: "85.6%", "94.5%", "95%". Whole percents
 * would print RULER's 85.6 % as 86 %, and a check that recalled 94.5 % as a failed "95%" at a threshold of 95 %.
 */
export function recallPercent(share: number): string {
  return percent(share, Number.isInteger(Math.round(share * 1000) / 10) ? 0 : 1);
}

const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * A span of time the way people say it, the same in the CLI and the dashboard: "850 ms", "4.2 s", "42 s",
 * "1 min 12 s", "2 h 5 min". Sub-second precision only where it is the whole story.
 */
export function duration(ms: number): string {
  if (ms < 1_000) return `${wholeNumber.format(ms)} ms`;
  if (ms < 10_000) return `${oneDecimal.format(ms / 1_000)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  if (hours > 0) return `${wholeNumber.format(hours)} h ${minutes} min`;
  return `${minutes} min ${totalSeconds % 60} s`;
}
