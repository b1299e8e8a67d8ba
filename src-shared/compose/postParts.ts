// What each target of a post says: the post's main text, or the variant written for its platform
// or for the account itself, and how that text becomes posts there: a reply chain (the first post
// and replies, each to the one before) where the platform has them, one post elsewhere. The
// composer's counters and previews, preflight and the outbox all ask here, so what the user sees
// is what is checked and what is sent.
//
// Runtime: std (no DOM, no Node).
import { lengthRuleFor, platformRules, postLength, type AccountLimits, type PlatformId } from '../platforms';
import { splitToFit } from './splitText';

/** A text of its own: the first post and the replies that follow it. */
export interface TextVariant {
  text: string;
  replies: string[];
}

/** Variants by platform, and by account (an account's own wins over its platform's). A target
 *  with neither follows the main text, and keeps following it as it changes. */
export interface TextVariants {
  platforms: Partial<Record<PlatformId, TextVariant>>;
  accounts: Record<string, TextVariant>;
}

export const noVariants: TextVariants = { platforms: {}, accounts: {} };

/** What a post says and how it is cut, before any target's variant is applied. */
export interface PostText {
  text: string;
  replies?: string[];
  variants?: TextVariants;
  /** Cut each post longer than its platform takes into a reply chain, at sentence boundaries. */
  splitLongPosts?: boolean;
  contentWarning?: string;
}

export interface PartsTarget {
  accountId: string;
  platform: PlatformId;
  limits?: AccountLimits | null;
}

export type VariantScope = 'account' | 'platform' | 'main';

/** The text a target says, and where it comes from. */
export function variantFor(post: PostText, target: PartsTarget): { scope: VariantScope; variant: TextVariant } {
  const variants = post.variants ?? noVariants;
  const own = variants.accounts[target.accountId];
  if (own) return { scope: 'account', variant: own };
  const platform = variants.platforms[target.platform];
  if (platform) return { scope: 'platform', variant: platform };
  return { scope: 'main', variant: { text: post.text, replies: post.replies ?? [] } };
}

/** Whether the platform takes a reply chain from Localpost. */
export function takesReplyChains(platform: PlatformId): boolean {
  return platformRules[platform].replyChains === true;
}

/** The blank line a chain's parts are joined with on a platform that has no replies. */
export const partSeparator = '\n\n';

/**
 * The posts a target publishes, in order: one, or a reply chain where the platform has them. Empty
 * replies are dropped. With `splitLongPosts`, a part over the platform's limit is cut at sentence
 * boundaries (the first part under the caption limit when it carries media). On a platform with
 * no replies the parts become one post, joined by a blank line.
 */
export function partsFor(post: PostText, target: PartsTarget, hasMedia: boolean): string[] {
  const { variant } = variantFor(post, target);
  const written = [variant.text, ...variant.replies.filter((reply) => reply.trim() !== '')];
  if (!takesReplyChains(target.platform)) return [written.join(partSeparator)];
  if (!post.splitLongPosts) return written;
  const fits = (withMedia: boolean, part: string) => {
    const rule = lengthRuleFor(target.platform, withMedia, target.limits);
    return postLength(target.platform, rule, part, post.contentWarning) <= rule.limit;
  };
  return written.flatMap((part, writtenIndex) => {
    // The media go with the chain's first post alone: only that one is held to a caption's limit.
    const cut = splitToFit(part, (piece, index) => fits(writtenIndex === 0 && index === 0 && hasMedia, piece));
    return cut.length > 0 ? cut : [part];
  });
}
