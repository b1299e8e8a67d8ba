// How platforms count a post's length. Shared by the renderer (live counter) and the core
// (preflight before any publish), so the two can never disagree.
//
// Runtime: std (no DOM, no Node).
import twitterText from 'twitter-text';

/**
 * The count, remembering its answers for the last few texts. The composer asks about the same
 * text several times a keystroke (preflight, each target's counter, the preview's note), and the
 * grapheme and URL counts walk the whole text each time they are asked.
 */
export function rememberingCounts(count: (text: string) => number, remembered = 8): (text: string) => number {
  const answers = new Map<string, number>();
  return (text) => {
    const known = answers.get(text);
    if (known !== undefined) return known;
    const answer = count(text);
    if (answers.size >= remembered) answers.delete(answers.keys().next().value!);
    answers.set(text, answer);
    return answer;
  };
}

const asciiOnly = /^[\x00-\x7f]*$/;
const crLf = /\r\n/g;

// Made at the first count: ICU's break rules cost memory an idle core never needs.
let segmenter: Intl.Segmenter | undefined;

/** User-perceived characters: "👩‍👩‍👧" is one, "é" written as e + accent is one. */
export const countGraphemes = rememberingCounts((text) => {
  // In ASCII every character is a grapheme of its own except CR LF, which is one (UAX #29, rules
  // GB3–GB5): most posts are counted without walking ICU's break rules.
  if (asciiOnly.test(text)) return text.length - (text.match(crLf)?.length ?? 0);
  let count = 0;
  for (const _ of (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text)) count++;
  return count;
});

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

/** One remembering count per instance's limits, so an account's counts are remembered across the
 *  rules made for it (a rule is made each time it is asked for). */
const mastodonCounts = new Map<string, (text: string) => number>();

export function mastodonLength(limit: number, charactersPerUrl: number): LengthRule {
  const key = `${limit}/${charactersPerUrl}`;
  let count = mastodonCounts.get(key);
  if (!count) {
    count = rememberingCounts((text) => countGraphemes(text.replace(urlPattern, 'x'.repeat(charactersPerUrl)).replace(remoteMentionPattern, '$1$2')));
    mastodonCounts.set(key, count);
  }
  return { count, limit, unit: 'characters' };
}

/** X's weighted length, by X's own library (fundamentals/counting-characters): most Latin text
 *  counts 1, CJK and emoji 2, every URL 23 whatever its length. */
export const xWeightedLength = rememberingCounts((text) => twitterText.parseTweet(text).weightedLength);
