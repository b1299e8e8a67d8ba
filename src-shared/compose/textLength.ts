// How platforms count a post's length. Shared by the renderer (live counter) and the core
// (preflight before any publish), so the two can never disagree.
//
// Runtime: std (no DOM, no Node).
import twitterText from 'twitter-text';

// Made at the first count: ICU's break rules cost memory an idle core never needs.
let segmenter: Intl.Segmenter | undefined;

/** User-perceived characters: "👩‍👩‍👧" is one, "é" written as e + accent is one. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text)) count++;
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

// Mastodon's StatusLengthValidator: grapheme clusters, every URL counted as the instance's
// characters_reserved_per_url (23 by default) whatever its length, and a remote mention
// @user@domain counted as @user.
const urlPattern = /https?:\/\/[^\s<>"]+/g;
const remoteMentionPattern = /(^|[^\w@])(@[\w.-]+)@[\w.-]+\.[a-z]{2,}/gi;

export function mastodonLength(limit: number, charactersPerUrl: number): LengthRule {
  return {
    count: (text) => countGraphemes(text.replace(urlPattern, 'x'.repeat(charactersPerUrl)).replace(remoteMentionPattern, '$1$2')),
    limit,
    unit: 'characters',
  };
}

/** X's weighted length, by X's own library (fundamentals/counting-characters): most Latin text
 *  counts 1, CJK and emoji 2, every URL 23 whatever its length. */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}
