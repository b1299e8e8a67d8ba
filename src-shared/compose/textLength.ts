// How platforms count a post's length. Shared by the renderer (live counter) and the core
// (preflight before any publish), so the two can never disagree.
//
// Runtime: std (no DOM, no Node).

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: "👩‍👩‍👧" is one, "é" written as e + accent is one. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** JavaScript string length: UTF-16 code units ("👍" is two). */
export function utf16Length(text: string): number {
  return text.length;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export interface LengthRule {
  /** What the counter shows next to the limit. */
  count(text: string): number;
  limit: number;
  unit: string;
}
