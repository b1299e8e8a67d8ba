// Splits a text too long for one post into posts that each fit, at sentence boundaries where it
// can: a reply chain reads as the writer wrote it. A sentence longer than a post is split between
// words, and a word longer than a post (a long link, a run without spaces) between characters, so
// splitting always succeeds. Sentences and words come from Intl.Segmenter (UAX #29), which knows
// where sentences end in every script ("Dr. Smith" does not end one; "。" does).
//
// Runtime: std (no DOM, no Node).

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text as consecutive parts for which `fits` holds, each as long as it can be without cutting
 * a sentence (or, failing that, a word). Whitespace at the cuts is dropped; nothing else is.
 * A text that fits comes back whole, as one part.
 */
export function splitToFit(text: string, fits: (part: string) => boolean): string[] {
  const trimmed = text.trim();
  if (fits(trimmed)) return trimmed === '' ? [] : [trimmed];
  return pack(pieces(trimmed, sentences), fits, (piece) => pack(pieces(piece, words), fits, (word) => pack(pieces(word, graphemes), fits, (g) => [g])));
}

/** The text cut into segments, each keeping its trailing whitespace, so joining them gives it back. */
function pieces(text: string, segmenter: Intl.Segmenter): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * Fills parts greedily with consecutive pieces; a piece that does not fit in a part of its own is
 * split finer by `splitFiner` first.
 */
function pack(segments: string[], fits: (part: string) => boolean, splitFiner: (piece: string) => string[]): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    const part = current.trim();
    if (part !== '') parts.push(part);
    current = '';
  };
  for (const segment of segments) {
    const candidate = current + segment;
    if (fits(candidate.trim())) {
      current = candidate;
      continue;
    }
    flush();
    if (fits(segment.trim())) {
      current = segment;
      continue;
    }
    // Too long even alone: its finer pieces are packed the same way, the last one left open for
    // what follows.
    const finer = splitFiner(segment);
    for (const [index, piece] of finer.entries()) {
      if (index < finer.length - 1) parts.push(piece.trim());
      else current = piece + (/\s*$/.exec(segment)?.[0] ?? '');
    }
  }
  flush();
  return parts.filter((part) => part !== '');
}
