// The platforms Localpost posts to, and what each accepts: one table both the renderer (live
// counters, previews) and the core (preflight before every publish) read.
//
// Runtime: std (no DOM, no Node).
import { countGraphemes, mastodonLength, utf16Length, xWeightedLength, type LengthRule } from './compose/textLength';
import type { PlatformId } from './platformIds';
import { checkPinFields, type OptionIssue, type PinFields } from './pins';

export { platformIds, type PlatformId } from './platformIds';

/** Limits an account's own server sets (a Mastodon instance's GET /api/v2/instance). */
export interface AccountLimits {
  maxCharacters: number;
  maxImages: number;
  charactersReservedPerUrl: number;
  /** The longest image description the server takes (Mastodon's `description_limit`). */
  altTextLimit?: number;
}


/** What only some platforms' posts carry, one entry per platform that has any (the contract's
 *  `platformPostOptionsSchema` has the same shape). */
export interface PlatformPostOptions {
  pinterest?: PinFields;
}

export interface PlatformRules {
  name: string;
  /** The text limit for a post without images, and with them (a caption), when different. */
  length: LengthRule;
  captionLength?: LengthRule;
  /** A second limit in bytes (Bluesky: 3000 UTF-8 bytes besides the 300 graphemes). */
  maxBytes?: number;
  /** 0 where the platform takes no images from a local file. */
  maxImages: number;
  /** The longest alt text an image may carry, where the platform has a limit. */
  altTextLimit?: number;
  /** A post there is an image (a pin): one without is refused before it is sent. */
  requiresImage?: boolean;
  /** Platforms that bill the user per post (X): a spending cap applies, default posts per 30 days. */
  defaultSpendingCap?: number;
  /** How a handle reads: `at` for accounts (`@alice.bsky.social`, `@alice@mastodon.social`),
   *  `plain` for channel and chat names. */
  handleStyle: 'at' | 'plain';
  /** Where the content warning counts against the post's limit (Mastodon's StatusLengthValidator). */
  countsContentWarning?: boolean;
  /** Where each account's own server sets its limits (a Mastodon instance's GET /api/v2/instance):
   *  they then take over the ones here, and this is the length rule under them. */
  accountLimits?: { lengthRule(limits: AccountLimits): LengthRule };
  /** Checks the platform's own fields of a post for one of its accounts (a pin's board, title, link). */
  checkOptions?(options: PlatformPostOptions, accountId: string, label: string): OptionIssue[];
}

export const platformRules: Record<PlatformId, PlatformRules> = {
  // app.bsky.feed.post: maxGraphemes 300, maxLength 3000 bytes; app.bsky.embed.images: 4.
  bluesky: { name: 'Bluesky', length: { count: countGraphemes, limit: 300, unit: 'characters' }, maxBytes: 3000, maxImages: 4, handleStyle: 'at' },
  // Mastodon's defaults (500 characters, 4 images, every URL 23); each instance may say otherwise
  // in GET /api/v2/instance, and an account's own limits then take over (lengthRuleFor).
  mastodon: {
    name: 'Mastodon',
    length: mastodonLength(500, 23),
    maxImages: 4,
    altTextLimit: 1500,
    handleStyle: 'at',
    countsContentWarning: true,
    accountLimits: { lengthRule: (limits) => mastodonLength(limits.maxCharacters, limits.charactersReservedPerUrl) },
  },
  // 280 weighted characters as twitter-text counts them (CJK and emoji 2, every URL 23); 4 photos;
  // alt text up to 1000 (POST /2/media/metadata). Posts are billed to the user's own developer
  // app, so a cap of posts per rolling 30 days guards the bill (docs.x.com,
  // x-api/getting-started/pricing).
  x: { name: 'X', length: { count: xWeightedLength, limit: 280, unit: 'characters' }, maxImages: 4, altTextLimit: 1000, defaultSpendingCap: 50, handleStyle: 'at' },
  // Execute Webhook: content up to 2000 characters, files as attachments (10 per message). Counted
  // in UTF-16 units, which is never fewer than Discord's own count, so a post we pass is not
  // refused there.
  discord: { name: 'Discord', length: { count: utf16Length, limit: 2000, unit: 'characters' }, maxImages: 10, handleStyle: 'plain' },
  // Incoming webhooks take text and public image URLs only: no upload from this computer. Slack
  // truncates text past 40,000 characters.
  slack: { name: 'Slack', length: { count: utf16Length, limit: 40_000, unit: 'characters' }, maxImages: 0, handleStyle: 'plain' },
  // Bot API: sendMessage text 1–4096, sendPhoto/sendMediaGroup caption 0–1024; a media group
  // takes 2–10 photos. Telegram counts UTF-16 code units (its entity offsets are in them).
  telegram: {
    name: 'Telegram',
    length: { count: utf16Length, limit: 4096, unit: 'characters' },
    captionLength: { count: utf16Length, limit: 1024, unit: 'characters' },
    maxImages: 10,
    handleStyle: 'plain',
  },
  // posts-api: commentary up to 3,000 characters; one image (with altText up to 4,086) through
  // content.media. Counted in UTF-16 units, never fewer than LinkedIn counts.
  linkedin: { name: 'LinkedIn', length: { count: utf16Length, limit: 3000, unit: 'characters' }, maxImages: 1, altTextLimit: 4086, handleStyle: 'plain' },
  // A pin: one image, its description up to 500 (the description allows 800; Pinterest's own
  // editor stops at 500), alt text up to 500 (api-description v5/openapi.json `PinCreate`).
  pinterest: {
    name: 'Pinterest',
    length: { count: utf16Length, limit: 500, unit: 'characters' }, maxImages: 1,
    altTextLimit: 500,
    requiresImage: true,
    handleStyle: 'plain',
    checkOptions: (options, accountId, label) => checkPinFields(options.pinterest, accountId, label),
  },
};

/** The length rule that applies to a post on this platform, with or without images, under the
 *  account's own server limits when it has them. */
export function lengthRuleFor(platform: PlatformId, hasImages: boolean, limits?: AccountLimits | null): LengthRule {
  const rules = platformRules[platform];
  if (rules.accountLimits && limits) return rules.accountLimits.lengthRule(limits);
  return hasImages && rules.captionLength ? rules.captionLength : rules.length;
}

export function maxImagesFor(platform: PlatformId, limits?: AccountLimits | null): number {
  return platformRules[platform].accountLimits && limits ? limits.maxImages : platformRules[platform].maxImages;
}

export function altTextLimitFor(platform: PlatformId, limits?: AccountLimits | null): number | undefined {
  return (platformRules[platform].accountLimits ? limits?.altTextLimit : undefined) ?? platformRules[platform].altTextLimit;
}

/** How many characters the post takes on this platform: the text, plus the content warning where
 *  the platform counts it against the same limit (Mastodon: StatusLengthValidator). */
export function postLength(platform: PlatformId, rule: LengthRule, text: string, contentWarning = ''): number {
  return rule.count(text) + (platformRules[platform].countsContentWarning && contentWarning ? countGraphemes(contentWarning) : 0);
}

/** Whether the text has the shape Bluesky gives app passwords (xxxx-xxxx-xxxx-xxxx): anything
 *  else is probably the account's main password, which the connect form warns about. */
export function looksLikeAppPassword(password: string): boolean {
  return /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i.test(password.trim());
}
