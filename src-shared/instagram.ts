// What Instagram takes in a post beyond its length, for the live counter and preflight.
//
// developers.facebook.com/docs/instagram-platform/content-publishing: a post is media with a
// caption, never text alone; a carousel holds 2 to 10 images and videos (ig-user/media,
// `children`: "up to 10"). The caption takes at most 2,200 characters (ig-user/media, `caption`,
// and error 2207010 past it). Hashtags: the API reference still says 30, but Instagram has capped
// a post or reel at 5 since late 2025 and refuses more, so 5 is what Localpost lets through.
//
// Runtime: std (no DOM, no Node).
import type { LengthRule } from './compose/textLength';
import { utf16Length } from './compose/textLength';
import type { OptionIssue } from './pins';

export const instagramCaptionLimit = 2200;
export const instagramHashtagLimit = 5;
export const instagramCarouselMax = 10;

/** Counted in UTF-16 units, never fewer than Instagram counts a caption's characters. */
export const instagramCaptionLength: LengthRule = { count: utf16Length, limit: instagramCaptionLimit, unit: 'characters' };

// A hashtag as Instagram links one: `#` after a start or a non-word character, then letters,
// digits or underscores (Unicode letters included).
const hashtagPattern = /(?:^|[^\p{L}\p{N}_&#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*/gu;

export function instagramHashtagCount(text: string): number {
  return text.match(hashtagPattern)?.length ?? 0;
}

export function checkInstagramPost(post: { text: string; imageCount: number; hasVideo: boolean }, label: string): OptionIssue[] {
  const issues: OptionIssue[] = [];
  const hashtags = instagramHashtagCount(post.text);
  if (hashtags > instagramHashtagLimit) {
    issues.push({
      ruleId: 'instagram.hashtag_limit',
      message: `Instagram takes at most ${instagramHashtagLimit} hashtags a post, and this one has ${hashtags}: remove ${hashtags - instagramHashtagLimit} for ${label}.`,
      wholePost: true,
    });
  }
  if (post.imageCount === 0 && !post.hasVideo) {
    issues.push({ ruleId: 'instagram.media_required', message: `Instagram posts are photos or videos, so ${label} needs an image or a video: add one or untick ${label}.` });
  }
  return issues;
}
