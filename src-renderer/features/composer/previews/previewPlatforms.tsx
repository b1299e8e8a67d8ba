// How each platform shows a post, for the composer's previews: one record each, in one registry
// keyed by every platform id, so a platform without its preview does not compile. What the records
// say (which runs are links, where the feed cuts, how images are laid out) is read by the shared
// preview parts; a platform whose post is not a text with media (a YouTube video, a TikTok, a pin)
// brings its own layout.
import type { ComponentType } from 'react';
import type { Platform } from '../../../bridge';
import type { FeedCut } from '../../../../src-shared/compose/feedTruncation';
import type { MarkupDialect } from '../../../../src-shared/compose/inlineMarkup';
import type { RichTextSyntax } from '../../../../src-shared/compose/richText';
import { ChatMessage, FeedPost, PinPost, TikTokPost, YouTubeVideo, type PreviewLayoutProps } from './previewLayouts';

export interface PlatformPreview {
  /** Which runs of the text become links, mentions and tags there. */
  syntax: RichTextSyntax;
  /** The inline formatting it draws from plain text (Discord, Slack). */
  markup: MarkupDialect;
  /** Links are shown shortened (X's display_url), while they count as a fixed length. */
  shortLinks?: boolean;
  /** Where the feed hides the rest of a long text, and the words of its button. */
  feedCut?: FeedCut & { more: string };
  /** How several images show: a grid of at most `max` (the last one saying how many more), or one
   *  at a time with a count (a carousel). */
  images: { layout: 'grid'; max: number } | { layout: 'carousel' };
  /** Images with alt text wear an "ALT" badge. */
  altBadge: boolean;
  /** The draft's link card shows under a text without media (the platform makes its card from the
   *  page the same way, or is sent this card). */
  linkCard: boolean;
  /** A content warning hides the post behind a "Show more" (Mastodon's spoiler_text). */
  contentWarning?: boolean;
  /** Said under the post after its count: how the platform counts a link. */
  lengthNote?: string;
  /** Links, mentions and tags in the platform's colour: light theme, dark theme (4.5:1 or better
   *  against the preview's surface in each). */
  linkColour: [light: string, dark: string];
  /** The avatar and name head the post, with the text under both at full width (LinkedIn,
   *  Facebook, Instagram), rather than the avatar in a column beside the text. */
  headerAbove?: boolean;
  /** The images or video come before the text (a caption: Instagram, a Telegram album). */
  mediaFirst?: boolean;
  /** The caption starts with the account's name in bold (Instagram). */
  captionByline?: boolean;
  /** The account is named by its username alone, without the @ (Instagram, Threads). */
  bareUsername?: boolean;
  /** The tag a chat shows after a webhook's or bot's name. */
  chatTag?: string;
  /** The layout: a post in a feed, a chat message, or the platform's own. */
  Layout: ComponentType<PreviewLayoutProps>;
}

// The colours are each platform's own link colour, darkened or lightened where needed to keep 4.5:1.
export const previewUi: Record<Platform, PlatformPreview> = {
  // Bluesky's facets: links (bare domains too), mentions of handles, tags (docs.bsky.app, "Links,
  // mentions, and rich text"); up to 4 images in a grid with an ALT badge; the external embed.
  bluesky: {
    syntax: { links: 'any', mentions: 'handle', hashtags: 'all' },
    markup: 'none',
    images: { layout: 'grid', max: 4 },
    altBadge: true,
    linkCard: true,
    linkColour: ['#0a65d0', '#4aa3ff'],
    Layout: FeedPost,
  },
  // Mastodon links only addresses with a scheme (its TextFormatter), mentions @user and
  // @user@server, tags; the content warning hides the post until opened; its own preview card.
  mastodon: {
    syntax: { links: 'scheme', mentions: 'fediverse', hashtags: 'all' },
    markup: 'none',
    images: { layout: 'grid', max: 4 },
    altBadge: true,
    linkCard: true,
    contentWarning: true,
    lengthNote: 'each link counts as 23',
    linkColour: ['#5151e0', '#9596ff'],
    Layout: FeedPost,
  },
  // X writes a link as its display_url and counts it as a t.co link of 23 characters
  // (docs.x.com, "Counting characters"); its card is made from the page's own tags.
  x: {
    syntax: { links: 'any', mentions: 'username', hashtags: 'all' },
    markup: 'none',
    shortLinks: true,
    images: { layout: 'grid', max: 4 },
    altBadge: true,
    linkCard: true,
    lengthNote: 'each link counts as 23 (t.co)',
    linkColour: ['#0f6fbf', '#4cb2ff'],
    Layout: FeedPost,
  },
  // Localpost escapes LinkedIn's little text, so @ and # stay plain; LinkedIn's feed shows about
  // 210 characters or 3 lines, then "…see more". A post made through the API gets no link card.
  linkedin: {
    headerAbove: true,
    syntax: { links: 'any', mentions: 'none', hashtags: 'none' },
    markup: 'none',
    feedCut: { characters: 210, lines: 3, more: '…see more' },
    images: { layout: 'carousel' },
    altBadge: false,
    linkCard: false,
    linkColour: ['#0a66c2', '#70b5f9'],
    Layout: FeedPost,
  },
  // Threads links addresses and @usernames; a post has one topic tag (the posts API's
  // `topic_tag`), taken from its first #tag when none is given.
  threads: {
    syntax: { links: 'any', mentions: 'username', hashtags: 'first' },
    markup: 'none',
    bareUsername: true,
    images: { layout: 'carousel' },
    altBadge: false,
    linkCard: true,
    linkColour: ['#0069b4', '#4cb5f9'],
    Layout: FeedPost,
  },
  // A Page post: the first link becomes Facebook's preview (sent as `link`); the feed shows about
  // 480 characters or 5 lines before "See more"; several photos in a grid of 5 at most.
  facebook: {
    headerAbove: true,
    syntax: { links: 'any', mentions: 'none', hashtags: 'all' },
    markup: 'none',
    feedCut: { characters: 480, lines: 5, more: '… See more' },
    images: { layout: 'grid', max: 5 },
    altBadge: false,
    linkCard: true,
    linkColour: ['#0064d1', '#5aa7ff'],
    Layout: FeedPost,
  },
  // A caption under the photo or carousel: about 125 characters or 2 lines, then "… more". An
  // address in a caption is not a link there; @usernames and #tags are.
  instagram: {
    headerAbove: true,
    syntax: { links: 'none', mentions: 'username', hashtags: 'all' },
    markup: 'none',
    feedCut: { characters: 125, lines: 2, more: '… more' },
    images: { layout: 'carousel' },
    mediaFirst: true,
    captionByline: true,
    bareUsername: true,
    altBadge: false,
    linkCard: false,
    linkColour: ['#00376b', '#e0f1ff'],
    Layout: FeedPost,
  },
  pinterest: {
    syntax: { links: 'scheme', mentions: 'none', hashtags: 'all' },
    markup: 'none',
    feedCut: { characters: 160, lines: 3, more: '… more' },
    images: { layout: 'carousel' },
    altBadge: false,
    linkCard: false,
    linkColour: ['#b5001c', '#ff7a8a'],
    Layout: PinPost,
  },
  // The description under the video shows about 3 lines before "...more"; YouTube links addresses,
  // @handles and #tags in it.
  youtube: {
    syntax: { links: 'any', mentions: 'username', hashtags: 'all' },
    markup: 'none',
    feedCut: { characters: 200, lines: 3, more: '...more' },
    images: { layout: 'carousel' },
    altBadge: false,
    linkCard: false,
    linkColour: ['#065fd4', '#3ea6ff'],
    Layout: YouTubeVideo,
  },
  // The caption over the video: about 2 lines, then "more"; an address in it is not a link.
  tiktok: {
    syntax: { links: 'none', mentions: 'username', hashtags: 'all' },
    markup: 'none',
    feedCut: { characters: 90, lines: 2, more: '… more' },
    images: { layout: 'carousel' },
    altBadge: false,
    linkCard: false,
    // Drawn over the video, always on black.
    linkColour: ['#ffffff', '#ffffff'],
    Layout: TikTokPost,
  },
  // Discord draws its markdown in a webhook's content; addresses with a scheme become links, and
  // the first gets an embed.
  discord: {
    syntax: { links: 'scheme', mentions: 'none', hashtags: 'none' },
    markup: 'discord',
    chatTag: 'APP',
    images: { layout: 'grid', max: 10 },
    altBadge: false,
    linkCard: true,
    linkColour: ['#005fcc', '#00a8fc'],
    Layout: ChatMessage,
  },
  // An incoming webhook's text is mrkdwn; Slack links addresses, and does not unfurl a bot's
  // links unless asked (chat.postMessage `unfurl_links`).
  slack: {
    syntax: { links: 'any', mentions: 'none', hashtags: 'none' },
    markup: 'slack',
    chatTag: 'APP',
    images: { layout: 'grid', max: 4 },
    altBadge: false,
    linkCard: false,
    linkColour: ['#1264a3', '#1d9bd1'],
    Layout: ChatMessage,
  },
  // Sent without parse_mode, so no formatting; Telegram's apps still link addresses, @usernames
  // and #hashtags, show a preview of the first link, and lay an album out as a grid.
  telegram: {
    syntax: { links: 'any', mentions: 'username', hashtags: 'all' },
    markup: 'none',
    images: { layout: 'grid', max: 10 },
    mediaFirst: true,
    altBadge: false,
    linkCard: true,
    linkColour: ['#1f6fb2', '#6ab3f3'],
    Layout: ChatMessage,
  },
};
