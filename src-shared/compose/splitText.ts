// Splits a text too long for one post into posts that each fit, at sentence boundaries where it
// can: a reply chain reads as the writer wrote it. A sentence longer than a post is split at
// spaces, so a link or a word never breaks when it fits in a post of its own; a run longer than a
// post is split between words (in a script written without spaces, such as Japanese, the only
// word boundaries there are), and a word longer than a post between characters, so splitting
// always succeeds. Sentences and words come from Intl.Segmenter (UAX #29), which knows where
// sentences end in every script ("Dr. Smith" does not end one; "。" does).
//
// Runtime: std (no DOM, no Node).

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text as consecutive parts for which `fits` holds, each as long as it can be without cutting
 * a sentence (or, failing that, at a space, then a word). `fits` is told which part it is asked
 * about (0 for the first), so the first may have a limit of its own (a caption beside media).
 * Whitespace at the cuts is dropped; nothing else is. A text that fits comes back whole, as one part.
 */
export function splitToFit(text: string, fits: (part: string, index: number) => boolean): string[] {
  const trimmed = text.trim();
  if (fits(trimmed, 0)) return trimmed === '' ? [] : [trimmed];
  const byGraphemes: SplitFiner = (word, first) => pack(pieces(word, graphemes), fits, first, (g) => [g]);
  const byWords: SplitFiner = (run, first) => pack(pieces(run, words), fits, first, byGraphemes);
  return pack(pieces(trimmed, sentences), fits, 0, (sentence, first) => pack(spaced(sentence), fits, first, byWords));
}

/** Cuts a piece too long for one part into parts, the first of them numbered `first`. */
type SplitFiner = (piece: string, first: number) => string[];

/** The text cut after each run of whitespace, each piece keeping it, so joining them gives it back. */
function spaced(text: string): string[] {
  return text.match(/\s*\S+\s*/gu) ?? [text];
}

/** The text cut into segments, each keeping its trailing whitespace, so joining them gives it back. */
function pieces(text: string, segmenter: Intl.Segmenter): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * Fills parts (numbered from `first`) greedily with consecutive pieces; a piece that does not fit
 * in a part of its own is split finer by `splitFiner` first.
 */
function pack(segments: string[], fits: (part: string, index: number) => boolean, first: number, splitFiner: SplitFiner): string[] {
  const parts: string[] = [];
  let current = '';
  const index = () => first + parts.length;
  const flush = () => {
    const part = current.trim();
    if (part !== '') parts.push(part);
    current = '';
  };
  for (const segment of segments) {
    const candidate = current + segment;
    if (fits(candidate.trim(), index())) {
      current = candidate;
      continue;
    }
    flush();
    if (fits(segment.trim(), index())) {
      current = segment;
      continue;
    }
    // Too long even alone: its finer pieces are packed the same way, the last one left open for
    // what follows.
    const finer = splitFiner(segment, index());
    for (const [at, piece] of finer.entries()) {
      if (at < finer.length - 1) parts.push(piece.trim());
      else current = piece + (/\s*$/.exec(segment)?.[0] ?? '');
    }
  }
  flush();
  return parts.filter((part) => part !== '');
}
