/**
 * Deterministic filler text for filled-context checks: plain sentences from a fixed vocabulary, generated
 * from a seed (no downloads, the same text on every machine), with no digits, so that the only numbers in a
 * prompt are the needles'.
 */
const SUBJECTS = [
  "The old lighthouse keeper",
  "A quiet river town",
  "The committee on public gardens",
  "Every traveller on the northern road",
  "The museum's night guard",
  "A small bakery near the harbour",
  "The village choir",
  "An apprentice clockmaker",
  "The library's oldest map",
  "A flock of grey herons",
] as const;
const VERBS = [
  "remembered",
  "described",
  "argued about",
  "carefully repaired",
  "wrote a long letter about",
  "painted",
  "walked past",
  "quietly observed",
  "forgot about",
  "measured",
] as const;
const OBJECTS = [
  "the winter storms of many years ago",
  "a bridge that nobody used any more",
  "the colour of the evening sky",
  "a recipe for bread with seeds and honey",
  "the slow turning of the seasons",
  "an argument between two neighbours",
  "the sound of bells across the valley",
  "a garden wall covered in ivy",
  "the price of apples at the market",
  "a song about the sea",
] as const;
const ENDINGS = [
  "and nobody thought much of it.",
  "while the rain kept falling.",
  "before the lamps were lit.",
  "as the tide went out.",
  "without saying a word to anyone.",
  "with great patience.",
  "until the morning came.",
  "just as everyone expected.",
] as const;

/** A small, fast, seeded generator (mulberry32): the haystack must be identical across runs and machines. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * Paragraphs of filler of `chars` characters, give or take a word: the last sentence is cut after the word
 * that fits (and closed with a full stop), so that a prompt can be sized to within a token or two.
 */
export function haystackParagraphs(chars: number, seed = 1): string[] {
  const random = seededRandom(seed);
  const paragraphs: string[] = [];
  let total = 0;
  while (total < chars) {
    const sentences: string[] = [];
    const count = 3 + Math.floor(random() * 4);
    for (let i = 0; i < count && total < chars; i += 1) {
      const sentence = `${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${pick(random, OBJECTS)} ${pick(random, ENDINGS)}`;
      // A paragraph is joined to the one before by a blank line, a sentence to the one before by a space.
      const separator = i === 0 ? (paragraphs.length === 0 ? 0 : 2) : 1;
      const room = chars - total - separator;
      const fitted = sentence.length <= room ? sentence : cutAtWord(sentence, room);
      if (fitted === "") {
        total = chars;
        break;
      }
      sentences.push(fitted);
      total += separator + fitted.length;
    }
    if (sentences.length > 0) paragraphs.push(sentences.join(" "));
  }
  return paragraphs;
}

/** The words of `sentence` that fit in `room` characters with a closing full stop; "" when none does. */
function cutAtWord(sentence: string, room: number): string {
  const words = sentence.replace(/[.,]$/, "").split(" ");
  let text = "";
  for (const word of words) {
    const next = text === "" ? word : `${text} ${word}`;
    if (next.length + 1 > room) break;
    text = next;
  }
  return text === "" ? "" : `${text}.`;
}
