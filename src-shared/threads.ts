// How Threads counts a post and how many links it takes, for the live counter and preflight.
//
// developers.facebook.com/documentation/threads/posts: "The text … is limited to 500 characters …
// Emojis are counted as the number of UTF-8 bytes". So each character counts one, except an emoji,
// which counts its UTF-8 bytes (👍 is 4, a family of four with joiners 25): counted per grapheme,
// never fewer than Threads counts. Links: at most 5 a post (create-posts/text-attachments,
// `THREADS_API__LINK_LIMIT_EXCEEDED`).
//
// Runtime: std (no DOM, no Node).
import type { LengthRule } from './compose/textLength';
import { rememberingCounts, utf8Length } from './compose/textLength';
import type { OptionIssue } from './pins';

export const threadsTextLimit = 500;
export const threadsLinkLimit = 5;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const emoji = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** Characters as Threads counts them: one each, an emoji as many as its UTF-8 bytes. */
export const threadsCharacters = rememberingCounts((text) => {
  let count = 0;
  for (const { segment } of segmenter.segment(text)) count += emoji.test(segment) ? utf8Length(segment) : 1;
  return count;
});

export const threadsLength: LengthRule = { count: threadsCharacters, limit: threadsTextLimit, unit: 'characters' };

// What Threads turns into a link: an address with a scheme, or a bare domain with a path or a
// common top-level domain. Counted generously, so a post passed here is not refused there.
const linkPattern = /\bhttps?:\/\/[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|dev|app|me|info|de|uk|fr)\b(?:\/[^\s<>"]*)?/gi;

export function threadsLinkCount(text: string): number {
  return text.match(linkPattern)?.length ?? 0;
}

export function checkThreadsText(text: string, label: string): OptionIssue[] {
  const links = threadsLinkCount(text);
  if (links <= threadsLinkLimit) return [];
  return [{ ruleId: 'threads.link_limit', message: `Threads takes at most ${threadsLinkLimit} links a post, and this one has ${links}: remove ${links - threadsLinkLimit} for ${label}.`, wholePost: true }];
}
