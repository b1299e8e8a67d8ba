// A TikTok video's own settings, beyond the text every post has (its title, the caption), as
// TikTok's Content Posting API requires an app to ask for them: the creator's settings read first
// (`creator_info/query`), who can see the video chosen by the user among the levels the creator
// offers with no default, comments, duets and stitches off unless the user turns them on (and not
// offered where the creator turned them off), the video no longer than the creator may post, and
// the commercial content disclosure with TikTok's own wording (developers.tiktok.com,
// content-sharing-guidelines and content-posting-api-reference-query-creator-info).
//
// Runtime: std (no DOM, no Node).
import type { PreflightRuleId } from './compose/preflight';
import type { PreflightVideo } from './compose/videoLimits';
import type { OptionIssue } from './pins';

/** `privacy_level_options` (content-posting-api-reference-query-creator-info). */
export const tiktokPrivacyLevels = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;
export type TikTokPrivacyLevel = (typeof tiktokPrivacyLevels)[number];

/** How TikTok's own app names each level. */
export const tiktokPrivacyLabels: Record<TikTokPrivacyLevel, string> = {
  PUBLIC_TO_EVERYONE: 'Everyone',
  MUTUAL_FOLLOW_FRIENDS: 'Friends (followers you follow back)',
  FOLLOWER_OF_CREATOR: 'Followers',
  SELF_ONLY: 'Only me',
};

/** What `creator_info/query` said about one account, when Localpost asked. */
export interface TikTokCreator {
  nickname: string;
  username: string;
  avatarUrl: string | null;
  /** The levels to offer: the creator's own, or only SELF_ONLY for an app TikTok has not audited. */
  privacyLevels: TikTokPrivacyLevel[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
  /** `max_video_post_duration_sec`. */
  maxVideoSeconds: number;
  /** The developer app is not audited: everything it posts is private, and the account must be. */
  onlyPrivate: boolean;
  fetchedAt: number;
}

export interface TikTokFields {
  /** Who sees the video, by account id: absent until the user chooses (TikTok: no default). */
  privacy: Record<string, TikTokPrivacyLevel>;
  allowComment: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
  /** "Disclose video content": the video promotes a brand, a product or a service. */
  disclose: boolean;
  /** `brand_organic_toggle`: promoting the creator's own business. */
  yourBrand: boolean;
  /** `brand_content_toggle`: a paid partnership with a third party. */
  brandedContent: boolean;
  /** The creator settings last read, by account id: what the form offered and preflight checks against. */
  creators: Record<string, TikTokCreator>;
}

export const emptyTikTokFields: TikTokFields = {
  privacy: {},
  allowComment: false,
  allowDuet: false,
  allowStitch: false,
  disclose: false,
  yourBrand: false,
  brandedContent: false,
  creators: {},
};

/**
 * TikTok's required declarations (content-sharing-guidelines, "Commercial content disclosure"):
 * the line shown before posting, and the label the video then carries.
 */
export function tiktokDeclaration(fields: Pick<TikTokFields, 'disclose' | 'brandedContent'>): string {
  return fields.disclose && fields.brandedContent
    ? 'By posting, you agree to TikTok’s Branded Content Policy and Music Usage Confirmation.'
    : 'By posting, you agree to TikTok’s Music Usage Confirmation.';
}

export function tiktokDisclosureLabel(fields: Pick<TikTokFields, 'disclose' | 'yourBrand' | 'brandedContent'>): string | null {
  if (!fields.disclose) return null;
  if (fields.brandedContent) return 'Your video will be labeled as “Paid partnership”.';
  if (fields.yourBrand) return 'Your video will be labeled as “Promotional content”.';
  return null;
}

const rule = {
  videoRequired: 'tiktok.video_required',
  creatorInfo: 'tiktok.creator_info',
  privacyLevel: 'tiktok.privacy_level',
  duration: 'tiktok.duration',
  disclosure: 'tiktok.disclosure',
  brandedPrivate: 'tiktok.branded_private',
} as const satisfies Record<string, PreflightRuleId>;

/** What keeps the video for this account from going out, by TikTok's rules and the creator's settings. */
export function checkTikTokFields(fields: TikTokFields | undefined, accountId: string, label: string, video: PreflightVideo | null): OptionIssue[] {
  const tiktok = fields ?? emptyTikTokFields;
  const issues: OptionIssue[] = [];
  if (!video) {
    // Photo posts take only URLs TikTok pulls from a verified domain (content-posting-api-reference-photo-post):
    // from this computer, TikTok takes a video.
    issues.push({ ruleId: rule.videoRequired, message: `TikTok posts a video, so ${label} needs one: add a video or untick ${label}.` });
  }
  const creator = tiktok.creators[accountId];
  const privacy = tiktok.privacy[accountId];
  if (!creator) {
    issues.push({ ruleId: rule.creatorInfo, message: `Localpost has not read ${label}'s TikTok posting settings yet: wait for them under "On TikTok" (it needs a connection).` });
  } else {
    if (!privacy) {
      issues.push({ ruleId: rule.privacyLevel, message: `Choose who can see the video on ${label}: TikTok sets no default.` });
    } else if (!creator.privacyLevels.includes(privacy)) {
      issues.push({ ruleId: rule.privacyLevel, message: `${label} cannot post to “${tiktokPrivacyLabels[privacy]}” now: choose one of the levels shown.` });
    }
    if (video && video.durationSeconds > creator.maxVideoSeconds) {
      issues.push({
        ruleId: rule.duration,
        message: `The video lasts ${Math.ceil(video.durationSeconds)} seconds, and ${label} may post videos of at most ${creator.maxVideoSeconds} seconds on TikTok.`,
      });
    }
  }
  if (tiktok.disclose && !tiktok.yourBrand && !tiktok.brandedContent) {
    issues.push({ ruleId: rule.disclosure, message: 'You said the video promotes something: choose “Your brand”, “Branded content” or both, or turn the disclosure off.', wholePost: true });
  }
  if (tiktok.disclose && tiktok.brandedContent && privacy === 'SELF_ONLY') {
    // "Branded content visibility cannot be set to private" (content-sharing-guidelines).
    issues.push({ ruleId: rule.brandedPrivate, message: `Branded content cannot be private on TikTok: choose another audience for ${label}, or untick “Branded content”.` });
  }
  return issues;
}
