// Preflight: the checks a post must pass before it is published, each with a stable rule id the
// UI shows and tests match on. The renderer runs them live; the core runs them again before any
// publish, because the renderer is not trusted to have done so.
//
// Runtime: std (no DOM, no Node).
import { blueskyLength, blueskyMaxBytes, utf8Length } from './textLength';

export const preflightRules = {
  targetsNone: 'targets.none',
  contentEmpty: 'content.empty',
  lengthMax: 'length.max',
  lengthMaxBytes: 'length.max_bytes',
  mediaCount: 'media.count',
  mediaAltText: 'media.alt_text',
  accountStatus: 'account.status',
} as const;

export type PreflightRuleId = (typeof preflightRules)[keyof typeof preflightRules];

export interface PreflightTarget {
  accountId: string;
  handle: string;
  platform: 'bluesky';
  status: 'connected' | 'needs_reauth' | 'error';
}

export interface PreflightInput {
  text: string;
  images: Array<{ alt: string }>;
  hasLinkCard: boolean;
  targets: PreflightTarget[];
  requireAltText: boolean;
}

export interface PreflightIssue {
  ruleId: PreflightRuleId;
  /** The target the issue is about, or null when it concerns the whole post. */
  accountId: string | null;
  message: string;
}

export const maxImagesPerPost = { bluesky: 4 } as const;

export function runPreflight(input: PreflightInput): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  if (input.targets.length === 0) {
    issues.push({ ruleId: preflightRules.targetsNone, accountId: null, message: 'Choose at least one account to post to.' });
  }
  if (input.text.trim() === '' && input.images.length === 0) {
    issues.push({ ruleId: preflightRules.contentEmpty, accountId: null, message: 'Write something or add an image.' });
  }
  if (input.requireAltText && input.images.some((image) => image.alt.trim() === '')) {
    issues.push({
      ruleId: preflightRules.mediaAltText,
      accountId: null,
      message: 'Every image needs alt text (Settings: require alt text).',
    });
  }
  for (const target of input.targets) {
    const count = blueskyLength.count(input.text);
    if (count > blueskyLength.limit) {
      issues.push({
        ruleId: preflightRules.lengthMax,
        accountId: target.accountId,
        message: `${count - blueskyLength.limit} characters over Bluesky's ${blueskyLength.limit} for @${target.handle}.`,
      });
    } else if (utf8Length(input.text) > blueskyMaxBytes) {
      issues.push({
        ruleId: preflightRules.lengthMaxBytes,
        accountId: target.accountId,
        message: `The text is over Bluesky's ${blueskyMaxBytes}-byte limit for @${target.handle}.`,
      });
    }
    if (input.images.length > maxImagesPerPost[target.platform]) {
      issues.push({
        ruleId: preflightRules.mediaCount,
        accountId: target.accountId,
        message: `Bluesky takes at most ${maxImagesPerPost[target.platform]} images a post.`,
      });
    }
    if (target.status !== 'connected') {
      issues.push({
        ruleId: preflightRules.accountStatus,
        accountId: target.accountId,
        message: `@${target.handle} needs to be reconnected before it can post.`,
      });
    }
  }
  return issues;
}
