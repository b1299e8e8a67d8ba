// Preflight: the checks a post must pass before it is published, each with a stable rule id the
// UI shows and tests match on. The renderer runs them live; the core runs them again before any
// publish, because the renderer is not trusted to have done so.
//
// Runtime: std (no DOM, no Node).
import { altTextLimitFor, lengthRuleFor, maxImagesFor, platformRules, postLength, videoLimitsFor, type AccountLimits, type PlatformId, type PlatformPostOptions } from '../platforms';
import { partsFor, variantFor, type TextVariants } from './postParts';
import { countGraphemes } from './textLength';
import { utf8Length } from './textLength';
import { formatBytes, videoLimitFindings, videoRuleIds, type PreflightVideo } from './videoLimits';

export type { PreflightVideo } from './videoLimits';

export const preflightRules = {
  targetsNone: 'targets.none',
  contentEmpty: 'content.empty',
  lengthMax: 'length.max',
  lengthMaxBytes: 'length.max_bytes',
  mediaCount: 'media.count',
  mediaUnsupported: 'media.unsupported',
  mediaAltText: 'media.alt_text',
  mediaAltTextLength: 'media.alt_text_length',
  mediaRequired: 'media.required',
  mediaStorageMissing: 'media.storage_missing',
  accountStatus: 'account.status',
  xSpendingCap: 'x.spending_cap',
  pinterestBoard: 'pinterest.board',
  pinterestTitleLength: 'pinterest.title_length',
  pinterestLink: 'pinterest.link',
  tiktokTitleLength: 'tiktok.title_length',
  tiktokVideoRequired: 'tiktok.video_required',
  tiktokCreatorInfo: 'tiktok.creator_info',
  tiktokPrivacyLevel: 'tiktok.privacy_level',
  tiktokDuration: 'tiktok.duration',
  tiktokDisclosure: 'tiktok.disclosure',
  tiktokBrandedPrivate: 'tiktok.branded_private',
  threadsLength: 'threads.length',
  threadsLinkLimit: 'threads.link_limit',
  facebookLength: 'facebook.length',
  facebookPhotoSize: 'facebook.photo_size',
  instagramCaptionLength: 'instagram.caption_length',
  instagramHashtagLimit: 'instagram.hashtag_limit',
  instagramMediaRequired: 'instagram.media_required',
  instagramCarouselSize: 'instagram.carousel_size',
  youtubeVideoRequired: 'youtube.video_required',
  youtubeTitleRequired: 'youtube.title_required',
  youtubeTitleLength: 'youtube.title_length',
  youtubeTitleAngleBrackets: 'youtube.title_angle_brackets',
  youtubeMadeForKids: 'youtube.made_for_kids',
  youtubeDescriptionBytes: 'youtube.description_bytes',
  youtubeDescriptionAngleBrackets: 'youtube.description_angle_brackets',
  youtubeTagsLength: 'youtube.tags_length',
  youtubePublishAt: 'youtube.publish_at',
  videoUnsupported: videoRuleIds.unsupported,
  videoMix: videoRuleIds.mix,
  videoSize: videoRuleIds.size,
  videoDuration: videoRuleIds.duration,
  videoDimensions: videoRuleIds.dimensions,
  videoFrameRate: videoRuleIds.frameRate,
  videoFormat: videoRuleIds.format,
  videoCodec: videoRuleIds.codec,
} as const;

export type PreflightRuleId = (typeof preflightRules)[keyof typeof preflightRules];

export interface PreflightTarget {
  accountId: string;
  handle: string;
  platform: PlatformId;
  status: string;
  /** The account's own server limits (a Mastodon instance's), when it has them. */
  limits?: AccountLimits | null;
  /** Posts allowed and taken in the rolling 30 days, on a platform that bills per post. */
  spendingCap?: { limit: number; used: number } | null;
}

export interface PreflightInput {
  /** The main text: the first post, and the replies that follow it in a reply chain. */
  text: string;
  replies?: string[];
  /** Texts of their own for some platforms or accounts (postParts). */
  variants?: TextVariants;
  splitLongPosts?: boolean;
  /** Mastodon's content warning; counted with the text there. */
  contentWarning?: string;
  /** `bytes`, where known, for platforms whose upload limit counts a message's files together. */
  images: Array<{ alt: string; bytes?: number }>;
  /** The draft's one video, as probed, when it has one. */
  video?: PreflightVideo | null;
  hasLinkCard: boolean;
  /** The fields only some platforms have (a pin's board, title and link). */
  platformOptions?: PlatformPostOptions;
  targets: PreflightTarget[];
  requireAltText: boolean;
  /** Whether media storage (the user's bucket) is saved, for platforms that fetch media from an
   *  address (`mediaByPublicUrl`); unknown where absent, and then not checked. */
  mediaStorageSaved?: boolean;
}

export interface PreflightIssue {
  ruleId: PreflightRuleId;
  /** The target the issue is about, or null when it concerns the whole post. */
  accountId: string | null;
  message: string;
}

/** How a target's handle reads: account handles take an @ (`@alice.bsky.social`,
 *  `@alice@mastodon.social`), channel and chat names do not (the platform's `handleStyle`). */
export function targetLabel(target: { handle: string; platform: PlatformId }): string {
  return platformRules[target.platform].handleStyle === 'at' ? `@${target.handle}` : target.handle;
}

export function runPreflight(input: PreflightInput): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  if (input.targets.length === 0) {
    issues.push({ ruleId: preflightRules.targetsNone, accountId: null, message: 'Choose at least one account to post to.' });
  }
  const video = input.video ?? null;
  if (input.text.trim() === '' && input.images.length === 0 && !video) {
    issues.push({ ruleId: preflightRules.contentEmpty, accountId: null, message: 'Write something or add an image.' });
  }
  // A video needs alt text only where a target would show it (YouTube and TikTok have no field).
  const videoWantsAlt = video !== null && video.alt.trim() === '' && input.targets.some((t) => altTextLimitFor(t.platform, t.limits, 'video') !== undefined);
  if (input.requireAltText && (input.images.some((image) => image.alt.trim() === '') || videoWantsAlt)) {
    issues.push({
      ruleId: preflightRules.mediaAltText,
      accountId: null,
      message: `Every ${video ? 'image and video' : 'image'} needs alt text (Settings: require alt text).`,
    });
  }
  const hasImages = input.images.length > 0;
  for (const target of input.targets) {
    const rules = platformRules[target.platform];
    // A video carries the text as its caption too (Telegram sendVideo: caption 0-1024).
    const length = lengthRuleFor(target.platform, hasImages || video !== null, target.limits);
    const maxImages = maxImagesFor(target.platform, target.limits);
    const label = targetLabel(target);
    const parts = partsFor(input, target, hasImages || video !== null);
    if (variantFor(input, target).scope !== 'main' && (parts[0] ?? '').trim() === '' && !hasImages && !video) {
      issues.push({ ruleId: preflightRules.contentEmpty, accountId: target.accountId, message: `The text written for ${label} is empty: write it, or use the main text.` });
    }
    for (const [index, part] of parts.entries()) {
      // Media go with the first post of a chain; the replies are text.
      const partLength = index === 0 ? length : lengthRuleFor(target.platform, false, target.limits);
      const which = parts.length > 1 ? `Post ${index + 1} of ${parts.length}: ` : '';
      const count = postLength(target.platform, partLength, part, input.contentWarning);
      if (count > partLength.limit) {
        // Only a caption has a limit of its own (Telegram's 1,024 under a photo or video); an
        // account's own limits (a Mastodon instance's) are the text's, whatever it carries.
        const asCaption = index === 0 && rules.captionLength !== undefined && partLength === rules.captionLength;
        const what = !asCaption ? '' : video ? ' as a video caption' : ' as an image caption';
        issues.push({
          ruleId: rules.lengthRuleId ?? preflightRules.lengthMax,
          accountId: target.accountId,
          message: `${which}${count - partLength.limit} ${partLength.unit} over ${rules.name}'s ${partLength.limit}${what} for ${label}.`,
        });
      } else if (rules.maxBytes !== undefined && utf8Length(part) > rules.maxBytes) {
        issues.push({
          ruleId: preflightRules.lengthMaxBytes,
          accountId: target.accountId,
          message: `${which}The text is over ${rules.name}'s ${rules.maxBytes}-byte limit for ${label}.`,
        });
      }
    }
    if (hasImages && maxImages === 0) {
      issues.push({
        ruleId: preflightRules.mediaUnsupported,
        accountId: target.accountId,
        message: `${rules.name} takes no images from this computer: remove them or untick ${label}.`,
      });
    } else if (input.images.length > maxImages) {
      issues.push({
        ruleId: rules.mediaCountRuleId ?? preflightRules.mediaCount,
        accountId: target.accountId,
        message: `${rules.name} takes at most ${maxImages === 1 ? 'one image' : `${maxImages} images`} a post.`,
      });
    }
    if (video) issues.push(...videoIssues(video, input.images, target, label));
    if (rules.mediaByPublicUrl && (hasImages || video) && input.mediaStorageSaved === false) {
      issues.push({
        ruleId: preflightRules.mediaStorageMissing,
        accountId: target.accountId,
        message: `${rules.name} fetches images and videos from a web address, so Localpost needs your media storage for ${label}: set it up in Settings → Media storage, or remove the media.`,
      });
    }
    // A video pin stands for the image once Localpost can post one there.
    if (rules.requiresImage && !hasImages && !(video && rules.video?.publishable)) {
      issues.push({
        ruleId: preflightRules.mediaRequired,
        accountId: target.accountId,
        message: rules.video?.publishable
          ? `${rules.name} posts an image or a video with your text, so ${label} needs one: add an image or a video, or untick ${label}.`
          : `${rules.name} posts an image with your text, so ${label} needs one: add an image or untick ${label}.`,
      });
    }
    const altLimit = altTextLimitFor(target.platform, target.limits);
    const videoAltLimit = altTextLimitFor(target.platform, target.limits, 'video');
    const altTooLong =
      (altLimit !== undefined && input.images.some((image) => countGraphemes(image.alt) > altLimit)) ||
      (video !== null && videoAltLimit !== undefined && countGraphemes(video.alt) > videoAltLimit);
    if (altTooLong) {
      const limit = Math.min(altLimit ?? Infinity, videoAltLimit ?? Infinity);
      issues.push({
        ruleId: preflightRules.mediaAltTextLength,
        accountId: target.accountId,
        message: `${rules.name} takes alt text of at most ${limit} characters for ${label}: shorten it.`,
      });
    }
    const optionIssues = parts.flatMap(
      (part, index) =>
        rules.checkOptions?.(input.platformOptions ?? {}, target.accountId, label, {
          text: part,
          video: index === 0 ? video : null,
          images: index === 0 ? input.images : [],
        }) ?? [],
    );
    for (const issue of optionIssues) {
      // A field every account of the platform shares (a pin's title) is one issue, not one per account.
      const accountId = issue.wholePost ? null : target.accountId;
      if (!issues.some((known) => known.ruleId === issue.ruleId && known.accountId === accountId)) {
        issues.push({ ruleId: issue.ruleId, accountId, message: issue.message });
      }
    }
    if (target.spendingCap && target.spendingCap.used >= target.spendingCap.limit) {
      issues.push({
        ruleId: preflightRules.xSpendingCap,
        accountId: target.accountId,
        message: `${label} has used all ${target.spendingCap.limit} posts of its spending cap for the last 30 days: raise the cap in Accounts or wait.`,
      });
    }
    if (target.status !== 'connected') {
      issues.push({
        ruleId: preflightRules.accountStatus,
        accountId: target.accountId,
        message: `${label} needs to be reconnected before it can post.`,
      });
    }
  }
  return issues;
}

/**
 * A platform where Localpost cannot post video yet refuses it plainly, whatever its limits: the
 * limits apply once its upload exists (`publishable`).
 */
function videoIssues(video: PreflightVideo, images: PreflightInput['images'], target: PreflightTarget, label: string): PreflightIssue[] {
  const imageCount = images.length;
  const hasImages = imageCount > 0;
  const rules = platformRules[target.platform];
  const limits = videoLimitsFor(target.platform, target.limits);
  const issue = (ruleId: PreflightRuleId, message: string): PreflightIssue => ({ ruleId, accountId: target.accountId, message });
  if (!limits) {
    return [issue(preflightRules.videoUnsupported, `${rules.name} takes no video from this computer: remove the video or untick ${label}.`)];
  }
  if (!limits.publishable) {
    return [issue(preflightRules.videoUnsupported, `Localpost cannot post video to ${rules.name} yet: remove the video or untick ${label}.`)];
  }
  const issues: PreflightIssue[] = [];
  if (hasImages && !limits.mixesWithImages) {
    issues.push(issue(preflightRules.videoMix, `${rules.name} posts images or a video, not both: remove one or untick ${label}.`));
  } else if (hasImages && imageCount + 1 > maxImagesFor(target.platform, target.limits)) {
    // Where they mix, the video is one of the message's files (Discord's attachments, Telegram's album).
    issues.push(issue(rules.mediaCountRuleId ?? preflightRules.mediaCount, `${rules.name} takes at most ${maxImagesFor(target.platform, target.limits)} files a post, the video included.`));
  }
  const findings = videoLimitFindings(video, limits, `${rules.name} for ${label}`);
  for (const finding of findings) issues.push(issue(finding.ruleId, finding.message));
  const together = video.bytes + images.reduce((sum, image) => sum + (image.bytes ?? 0), 0);
  if (limits.limitCoversAllFiles && hasImages && together > limits.maxBytes && !findings.some((f) => f.ruleId === preflightRules.videoSize)) {
    issues.push(
      issue(
        preflightRules.videoSize,
        `The video and images come to ${formatBytes(together)}, over the ${formatBytes(limits.maxBytes)} ${rules.name} for ${label} takes for one message's files: remove an image or make the video smaller.`,
      ),
    );
  }
  return issues;
}
