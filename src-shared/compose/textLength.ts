// How each platform counts a post's length. Shared by the renderer (live counter) and the core
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

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export interface LengthRule {
  /** What the counter shows next to the limit. */
  count(text: string): number;
  limit: number;
  unit: string;
}

// app.bsky.feed.post: maxGraphemes 300, maxLength 3000 bytes (lexicon app/bsky/feed/post.json).
export const blueskyLength: LengthRule = { count: countGraphemes, limit: 300, unit: 'characters' };
export const blueskyMaxBytes = 3000;
