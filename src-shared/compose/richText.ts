// A post's text as a platform shows it: which runs become links, @mentions and #hashtags. The
// previews style these runs the way each platform does; what differs between platforms (does a
// bare "example.com" become a link, what an @mention looks like, are #tags links at all) is given
// as a RichTextSyntax by the platform's own record, never asked here.
//
// Links are found by twitter-text (X's own library, already the X counter's), which knows every
// top-level domain, so "example.com" is a link and "file.txt" is not, as on X and Bluesky.
//
// Runtime: std (no DOM, no Node).
import twitterText from 'twitter-text';

/** How a platform writes a mention:
 *  - `username`: @ and a name of letters, digits, _ and . (X, Instagram, Threads, TikTok, Telegram).
 *  - `handle`: @ and a domain name (Bluesky's handles, `@alice.bsky.social`: its facet detection).
 *  - `fediverse`: @user or @user@server (Mastodon's account mentions).
 *  - `none`: an @ is only text (webhooks, LinkedIn and Facebook through their APIs). */
export type MentionStyle = 'username' | 'handle' | 'fediverse' | 'none';

export interface RichTextSyntax {
  /** `any`: bare domains too ("example.com/page"); `scheme`: only http:// and https:// addresses;
   *  `none`: an address stays plain text (Instagram's captions). */
  links: 'any' | 'scheme' | 'none';
  mentions: MentionStyle;
  /** `all`, `none`, or `first` where only one tag a post counts (Threads' topic tag). */
  hashtags: 'all' | 'first' | 'none';
}

export type RichToken =
  | { kind: 'text'; text: string }
  /** `href` always has a scheme (https:// added to a bare domain), for a title or a tooltip. */
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string }
  | { kind: 'hashtag'; text: string };

interface Span {
  start: number;
  end: number;
  token: Exclude<RichToken, { kind: 'text' }>;
}

// A mention or tag starts a word: after the start, a space or an opening bracket, never inside
// an e-mail address ("a@b.com") or a word ("C#").
const wordStart = String.raw`(?<=^|[\s(\[{"'“‘])`;
const mentionPatterns: Record<Exclude<MentionStyle, 'none'>, RegExp> = {
  // Instagram and Threads names: up to 30 of letters, digits, _ and .; never ending with a dot
  // (the sentence's full stop after "@bob.").
  username: new RegExp(`${wordStart}@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?`, 'g'),
  // A handle is a domain name: labels of letters, digits and hyphens, at least two, the last not
  // all digits (atproto.com/specs/handle).
  handle: new RegExp(`${wordStart}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`, 'g'),
  // Mastodon's Account::MENTION_RE: a username of letters, digits, _ (dots and hyphens inside),
  // then an optional @domain.
  fediverse: new RegExp(`${wordStart}@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:@(?:[A-Za-z0-9-]+\\.)+[A-Za-z0-9-]*[A-Za-z])?`, 'g'),
};

// A tag: letters, marks, digits and _, with at least one that is not a digit ("#1" is not a tag
// anywhere); a trailing full stop or comma stays outside.
const hashtagPattern = new RegExp(`${wordStart}#[\\p{L}\\p{M}\\p{N}_]*[\\p{L}\\p{M}_][\\p{L}\\p{M}\\p{N}_]*`, 'gu');

const schemePattern = /^https?:\/\//i;
const schemeUrlPattern = /(?<![\w/])https?:\/\/[^\s<>"]*[^\s<>".,:;!?)\]'”’]/gi;

/** The runs of `text`, in order; joined again they are `text` exactly. */
export function tokenizeRichText(text: string, syntax: RichTextSyntax): RichToken[] {
  const spans: Span[] = [];
  const links = syntax.links === 'none' ? [] : twitterText.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: syntax.links === 'any' });
  for (const found of links) {
    const [start, end] = found.indices;
    if (syntax.links === 'scheme' && !schemePattern.test(found.url)) continue;
    spans.push({ start, end, token: { kind: 'link', text: found.url, href: schemePattern.test(found.url) ? found.url : `https://${found.url}` } });
  }
  const free = (start: number, end: number) => spans.every((span) => end <= span.start || start >= span.end);
  // An address with a scheme is a link whatever its host (an IP address, localhost), which
  // twitter-text, knowing only domains, leaves out; a closing full stop or bracket stays outside.
  for (const match of syntax.links === 'none' ? [] : text.matchAll(schemeUrlPattern)) {
    const end = match.index + match[0].length;
    if (free(match.index, end)) spans.push({ start: match.index, end, token: { kind: 'link', text: match[0], href: match[0] } });
  }

  if (syntax.mentions !== 'none') {
    for (const match of text.matchAll(mentionPatterns[syntax.mentions])) {
      const end = match.index + match[0].length;
      if (free(match.index, end)) spans.push({ start: match.index, end, token: { kind: 'mention', text: match[0] } });
    }
  }
  if (syntax.hashtags !== 'none') {
    for (const match of text.matchAll(hashtagPattern)) {
      const end = match.index + match[0].length;
      if (!free(match.index, end)) continue;
      spans.push({ start: match.index, end, token: { kind: 'hashtag', text: match[0] } });
      if (syntax.hashtags === 'first') break;
    }
  }

  spans.sort((a, b) => a.start - b.start);
  const tokens: RichToken[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) tokens.push({ kind: 'text', text: text.slice(at, span.start) });
    tokens.push(span.token);
    at = span.end;
  }
  if (at < text.length) tokens.push({ kind: 'text', text: text.slice(at) });
  return tokens;
}

/**
 * An address as X writes it in a post (the `display_url` of its URL entities, docs.x.com
 * "Entities"): without the scheme and "www.", and cut with an ellipsis past `max` characters,
 * while it counts as a t.co link of 23 characters whatever its length.
 */
export function shortDisplayUrl(url: string, max = 25): string {
  const bare = url.replace(schemePattern, '').replace(/^www\./i, '');
  return bare.length > max ? `${bare.slice(0, max - 1)}…` : bare;
}
