// The platforms Localpost posts to, and what each accepts: one table both the renderer (live
// counters, previews) and the core (preflight before every publish) read.
//
// Runtime: std (no DOM, no Node).
import { countGraphemes, mastodonLength, utf16Length, utf8Length, xWeightedLength, type LengthRule } from './compose/textLength';
import type { PlatformId } from './platformIds';
import type { PreflightRuleId } from './compose/preflight';
import type { PreflightVideo } from './compose/videoLimits';
import { checkPinFields, type OptionIssue, type PinFields } from './pins';
import { checkFacebookPhotos, facebookLength } from './facebook';
import { checkInstagramPost, instagramCaptionLength, instagramCarouselMax } from './instagram';
import { checkThreadsText, threadsLength } from './threads';
import { checkTikTokFields, type TikTokFields } from './tiktok';
import { checkYouTubeFields, youTubeDescriptionBytes, type YouTubeFields } from './youtube';

export { platformIds, type PlatformId } from './platformIds';

/** Limits an account's own server sets (a Mastodon instance's GET /api/v2/instance). */
export interface AccountLimits {
  maxCharacters: number;
  maxImages: number;
  charactersReservedPerUrl: number;
  /** The longest image description the server takes (Mastodon's `description_limit`). */
  altTextLimit?: number;
  /** The server's own video limits (Mastodon's `video_size_limit`, `video_matrix_limit`,
   *  `video_frame_rate_limit`); they replace the platform's defaults where given. */
  videoMaxBytes?: number;
  videoMaxPixels?: number;
  videoMaxFrameRate?: number;
}


/** What only some platforms' posts carry, one entry per platform that has any (the contract's
 *  `platformPostOptionsSchema` has the same shape). */
export interface PlatformPostOptions {
  pinterest?: PinFields;
  tiktok?: TikTokFields;
  youtube?: YouTubeFields;
}

/** The video containers Localpost attaches (the file's content decides, never its name). */
export type VideoContainer = 'mp4' | 'mov' | 'webm';

/**
 * What a platform takes as a video, from its documentation. `publishable` stays false until
 * Localpost uploads video there: preflight then refuses any video for it (video.unsupported),
 * whatever the limits say, so nothing pretends to post one.
 */
export interface VideoLimits {
  publishable: boolean;
  containers: readonly VideoContainer[];
  /** The video codecs it takes (mediabunny's names: avc, hevc, vp8, vp9, av1), when it names any. */
  videoCodecs?: readonly string[];
  /** The audio codecs it takes, when it names any; a silent video always passes. */
  audioCodecs?: readonly string[];
  maxBytes: number;
  minBytes?: number;
  /** Absent where the platform sets no length (Mastodon, Discord, Telegram). */
  maxSeconds?: number;
  minSeconds?: number;
  /** Width and height, in either orientation (the long side against `maxLongSide`). */
  maxLongSide?: number;
  maxShortSide?: number;
  minSide?: number;
  /** Width times height (Mastodon's video_matrix_limit). */
  maxPixels?: number;
  /** Width divided by height. */
  aspectRatio?: { min: number; max: number; label: string };
  maxFrameRate?: number;
  minFrameRate?: number;
  /** Whether one post can carry images and a video together. */
  mixesWithImages: boolean;
  /** `maxBytes` is for all of a message's files together, not the video alone (Discord's upload
   *  limit is on the request). */
  limitCoversAllFiles?: boolean;
  /** Where the platform shows alt text with a video: the most characters it takes (an account's
   *  own server may set less, as for images). Absent where a video has none. */
  altTextLimit?: number;
}

export interface PlatformRules {
  name: string;
  /** The text limit for a post without images, and with them (a caption), when different. */
  length: LengthRule;
  captionLength?: LengthRule;
  /** The rule id a text over the limit is reported under, where the platform calls the text
   *  something else (TikTok: the video's title); `length.max` by default. */
  lengthRuleId?: PreflightRuleId;
  /** The rule id too many images (or images and a video together) are reported under, where the
   *  platform has a name for it (Instagram: a carousel's size); `media.count` by default. */
  mediaCountRuleId?: PreflightRuleId;
  /** A second limit in bytes (Bluesky: 3000 UTF-8 bytes besides the 300 graphemes). */
  maxBytes?: number;
  /** 0 where the platform takes no images from a local file. */
  maxImages: number;
  /** The longest alt text an image may carry, where the platform has a limit. */
  altTextLimit?: number;
  /** What it takes as a video; null where it takes none from this computer (a Slack webhook). */
  video: VideoLimits | null;
  /** The platform fetches a post's images and videos itself from a public address (Threads,
   *  Instagram): they go through the user's media storage, which must then be saved. */
  mediaByPublicUrl?: true;
  /** A post there is an image (a pin): one without is refused before it is sent. */
  requiresImage?: boolean;
  /** Platforms that bill the user per post (X): a spending cap applies, default posts per 30 days. */
  defaultSpendingCap?: number;
  /** How a handle reads: `at` for accounts (`@alice.bsky.social`, `@alice@mastodon.social`),
   *  `plain` for channel and chat names. */
  handleStyle: 'at' | 'plain';
  /** The platform takes replies to one's own posts, so a reply chain goes out as one (a thread
   *  on Bluesky, X, Mastodon and Threads); elsewhere its parts are joined into one post. */
  replyChains?: true;
  /** Where the content warning counts against the post's limit (Mastodon's StatusLengthValidator). */
  countsContentWarning?: boolean;
  /** Where each account's own server sets its limits (a Mastodon instance's GET /api/v2/instance):
   *  they then take over the ones here, and this is the length rule under them. */
  accountLimits?: { lengthRule(limits: AccountLimits): LengthRule };
  /** Checks the platform's own fields of a post for one of its accounts (a pin's board, title, link). */
  checkOptions?(options: PlatformPostOptions, accountId: string, label: string, post: { text: string; video: PreflightVideo | null; images: ReadonlyArray<{ bytes?: number }> }): OptionIssue[];
}

export const platformRules: Record<PlatformId, PlatformRules> = {
  // app.bsky.feed.post: maxGraphemes 300, maxLength 3000 bytes; app.bsky.embed.images: 4.
  // Video: app.bsky.embed.video takes one `video/mp4` blob of up to 100,000,000 bytes ("formerly
  // limited to 50mb", lexicon app/bsky/embed/video.json); Bluesky plays up to 3 minutes (raised
  // from 1 in March 2025, Bluesky's announcement). A post's embed is one of images, video or a
  // link card, never two. Each PDS also sets its own blob limit, which only its answer (413) tells.
  bluesky: {
    name: 'Bluesky',
    replyChains: true,
    length: { count: countGraphemes, limit: 300, unit: 'characters' },
    maxBytes: 3000,
    maxImages: 4,
    // app.bsky.embed.video takes `alt` up to 1,000 graphemes (the lexicon's maxGraphemes).
    video: { publishable: true, containers: ['mp4'], maxBytes: 100_000_000, maxSeconds: 180, mixesWithImages: false, altTextLimit: 1000 },
    handleStyle: 'at',
  },
  // Mastodon's defaults (500 characters, 4 images, every URL 23); each instance may say otherwise
  // in GET /api/v2/instance, and an account's own limits then take over (lengthRuleFor).
  mastodon: {
    name: 'Mastodon',
    replyChains: true,
    length: mastodonLength(500, 23),
    maxImages: 4,
    altTextLimit: 1500,
    // Mastodon's MediaAttachment defaults (an instance's GET /api/v2/instance says its own in
    // configuration.media_attachments): WebM, MP4 or MOV up to 99 MiB (103,809,024 bytes), at most
    // 8,294,400 pixels (3840 × 2160) and 120 frames a second; no length limit. A post with a video
    // takes nothing else (PostStatusService: "images_and_video").
    video: {
      publishable: true,
      containers: ['mp4', 'mov', 'webm'],
      maxBytes: 103_809_024,
      maxPixels: 8_294_400,
      maxFrameRate: 120,
      mixesWithImages: false,
      // The media's `description`, as for images (the instance's description_limit, 1,500 by default).
      altTextLimit: 1500,
    },
    handleStyle: 'at',
    countsContentWarning: true,
    accountLimits: { lengthRule: (limits) => mastodonLength(limits.maxCharacters, limits.charactersReservedPerUrl) },
  },
  // 280 weighted characters as twitter-text counts them (CJK and emoji 2, every URL 23); 4 photos;
  // alt text up to 1000 (POST /2/media/metadata). Posts are billed to the user's own developer
  // app, so a cap of posts per rolling 30 days guards the bill (docs.x.com,
  // x-api/getting-started/pricing).
  // Video (docs.x.com media best practices): MP4 or MOV, H.264 with AAC audio, up to 512 MB for
  // `tweet_video`, 0.5 to 140 seconds, at least 32 × 32, at most 60 frames a second, between 1:3
  // and 3:1; a post carries 4 photos, or 1 GIF, or 1 video. The largest picture is X's current
  // 1920 × 1200 (1200 × 1920 upright; help.x.com, "How to share and watch videos"): the API page's
  // older 1280 × 1024 would refuse every 1080p phone video X itself takes.
  x: {
    name: 'X',
    replyChains: true,
    length: { count: xWeightedLength, limit: 280, unit: 'characters' },
    maxImages: 4,
    altTextLimit: 1000,
    video: {
      publishable: true,
      containers: ['mp4', 'mov'],
      videoCodecs: ['avc'],
      audioCodecs: ['aac'],
      maxBytes: 512 * 1024 * 1024,
      minSeconds: 0.5,
      maxSeconds: 140,
      minSide: 32,
      maxLongSide: 1920,
      maxShortSide: 1200,
      maxFrameRate: 60,
      aspectRatio: { min: 1 / 3, max: 3, label: 'between 1:3 and 3:1' },
      mixesWithImages: false,
    },
    defaultSpendingCap: 50,
    handleStyle: 'at',
  },
  // Execute Webhook: content up to 2000 characters, files as attachments (10 per message). Counted
  // in UTF-16 units, which is never fewer than Discord's own count, so a post we pass is not
  // refused there.
  // A video is one more attachment, played inline for MP4, MOV and WebM; the files of a message
  // may be at most 10 MiB together on a server without boosts (Discord's file upload limit, which
  // a webhook's request meets as 413, code 40005), next to images or not.
  discord: {
    name: 'Discord',
    length: { count: utf16Length, limit: 2000, unit: 'characters' },
    maxImages: 10,
    video: { publishable: true, containers: ['mp4', 'mov', 'webm'], maxBytes: 10 * 1024 * 1024, mixesWithImages: true, limitCoversAllFiles: true },
    handleStyle: 'plain',
  },
  // Incoming webhooks take text and public image URLs only: no upload from this computer. Slack
  // truncates text past 40,000 characters.
  slack: { name: 'Slack', length: { count: utf16Length, limit: 40_000, unit: 'characters' }, maxImages: 0, video: null, handleStyle: 'plain' },
  // Bot API: sendMessage text 1–4096, sendPhoto/sendMediaGroup caption 0–1024; a media group
  // takes 2–10 photos. Telegram counts UTF-16 code units (its entity offsets are in them).
  telegram: {
    name: 'Telegram',
    length: { count: utf16Length, limit: 4096, unit: 'characters' },
    captionLength: { count: utf16Length, limit: 1024, unit: 'characters' },
    maxImages: 10,
    // sendVideo: "Telegram clients support MPEG4 videos"; a bot uploads files of up to 50 MB.
    // sendMediaGroup puts photos and videos in one album.
    video: { publishable: true, containers: ['mp4'], maxBytes: 50 * 1024 * 1024, mixesWithImages: true },
    handleStyle: 'plain',
  },
  // posts-api: commentary up to 3,000 characters; one image (with altText up to 4,086) through
  // content.media. Counted in UTF-16 units, never fewer than LinkedIn counts.
  // Videos API: MP4, 3 seconds to 30 minutes, 75 KB to 500 MB, 256 × 144 up to 4096 × 2304, 10 to
  // 60 frames a second, between 1:2.4 and 2.4:1; a post carries one video and nothing else.
  linkedin: {
    name: 'LinkedIn',
    length: { count: utf16Length, limit: 3000, unit: 'characters' },
    maxImages: 1,
    altTextLimit: 4086,
    video: {
      publishable: true,
      containers: ['mp4'],
      minBytes: 75 * 1024,
      maxBytes: 500 * 1024 * 1024,
      minSeconds: 3,
      maxSeconds: 30 * 60,
      minSide: 144,
      maxLongSide: 4096,
      maxShortSide: 2304,
      minFrameRate: 10,
      maxFrameRate: 60,
      aspectRatio: { min: 1 / 2.4, max: 2.4, label: 'between 1:2.4 and 2.4:1' },
      mixesWithImages: false,
    },
    handleStyle: 'plain',
  },
  // A pin: one image, its description up to 500 (the description allows 800; Pinterest's own
  // editor stops at 500), alt text up to 500 (api-description v5/openapi.json `PinCreate`).
  pinterest: {
    name: 'Pinterest',
    length: { count: utf16Length, limit: 500, unit: 'characters' }, maxImages: 1,
    altTextLimit: 500,
    // A video pin (Pinterest's video specifications): MP4, MOV or M4V, H.264 or H.265, up to 2 GB,
    // 4 seconds to 15 minutes, between 1:2 and 1.91:1; a pin is one image or one video.
    video: {
      publishable: true,
      containers: ['mp4', 'mov'],
      videoCodecs: ['avc', 'hevc'],
      maxBytes: 2 * 1024 * 1024 * 1024,
      minSeconds: 4,
      maxSeconds: 15 * 60,
      aspectRatio: { min: 1 / 2, max: 1.91, label: 'between 1:2 and 1.91:1' },
      mixesWithImages: false,
      // The pin's `alt_text`, whatever its media.
      altTextLimit: 500,
    },
    requiresImage: true,
    handleStyle: 'plain',
    checkOptions: (options, accountId, label) => checkPinFields(options.pinterest, accountId, label),
  },
  // A TikTok post is a video, its text the title: at most 2,200 UTF-16 units (Content Posting API,
  // video `post_info.title`). Video (content-posting-api-media-transfer-guide and its media
  // requirements): MP4, MOV or WebM, up to 4 GB, 3 seconds up to the creator's
  // `max_video_post_duration_sec` (checked by checkOptions; 10 minutes at most), 360 to 4096 pixels
  // a side, 23 to 60 frames a second. Photos only by URL from a verified domain: none from here.
  tiktok: {
    name: 'TikTok',
    length: { count: utf16Length, limit: 2200, unit: 'characters' },
    lengthRuleId: 'tiktok.title_length',
    maxImages: 0,
    video: {
      publishable: true,
      containers: ['mp4', 'mov', 'webm'],
      videoCodecs: ['avc', 'hevc', 'vp8', 'vp9'],
      maxBytes: 4 * 1024 * 1024 * 1024,
      minSeconds: 3,
      maxSeconds: 10 * 60,
      minSide: 360,
      maxLongSide: 4096,
      minFrameRate: 23,
      maxFrameRate: 60,
      mixesWithImages: false,
    },
    handleStyle: 'at',
    checkOptions: (options, accountId, label, post) => checkTikTokFields(options.tiktok, accountId, label, post.video),
  },
  // A video and nothing else (videos.insert): the post's text is its description, at most 5,000
  // bytes; the title and the rest are its own fields (src-shared/youtube.ts).
  // Video (support.google.com/youtube/answer/1722171 and /answer/71673): MP4, MOV, WebM and more,
  // up to 256 GB (the discovery document's `mediaUpload.maxSize` for videos.insert) or 12 hours,
  // whichever is less; a channel whose phone number is not verified uploads up to 15 minutes,
  // which only YouTube's answer can tell.
  youtube: {
    name: 'YouTube',
    length: { count: utf8Length, limit: youTubeDescriptionBytes, unit: 'bytes' },
    lengthRuleId: 'youtube.description_bytes',
    maxImages: 0,
    video: { publishable: true, containers: ['mp4', 'mov', 'webm'], maxBytes: 256 * 1024 ** 3, maxSeconds: 12 * 60 * 60, mixesWithImages: false },
    handleStyle: 'plain',
    checkOptions: (options, _accountId, label, post) => checkYouTubeFields(options.youtube, label, post),
  },
  // developers.facebook.com/documentation/threads/posts: "The text … limited to 500 characters"
  // with "Emojis are counted as the number of UTF-8 bytes" (src-shared/threads.ts counts so), and at
  // most 5 links a post (create-posts/text-attachments, THREADS_API__LINK_LIMIT_EXCEEDED). Text
  // An image (JPEG or PNG, up to 8 MB) or a video is fetched by Threads from the user's media
  // storage, with its `alt_text` (up to 1,000 characters, posts). Video (Threads' media
  // specifications): MOV or MP4, H.264 or HEVC, up to 1 GB and 5 minutes; one image or one video
  // a post, or a carousel of up to 10 images (posts, "Carousel posts"; Meta has spoken of 20 since,
  // 10 is what every account takes).
  threads: {
    name: 'Threads',
    replyChains: true,
    length: threadsLength,
    lengthRuleId: 'threads.length',
    maxImages: 10,
    altTextLimit: 1000,
    mediaByPublicUrl: true,
    video: { publishable: true, containers: ['mp4', 'mov'], videoCodecs: ['avc', 'hevc'], maxBytes: 1024 * 1024 * 1024, maxSeconds: 5 * 60, mixesWithImages: false, altTextLimit: 1000 },
    handleStyle: 'at',
    checkOptions: (_options, _accountId, label, post) => checkThreadsText(post.text, label),
  },
  // A Page post (src-shared/facebook.ts): up to 63,206 characters; photos uploaded from this
  // computer (`POST /{page-id}/photos`, multipart `source`), up to 4 MB each, several making one
  // post through `attached_media` (Meta names no maximum; 10 keeps a post one readable grid).
  // Video (developers.facebook.com/docs/graph-api/video-uploads, "Limitations" of the resumable
  // upload Localpost uses): up to 10 GB and 4 hours; MP4 and MOV among the formats it lists. Photos
  // and a video never share a post (a feed post's `attached_media` takes photos only).
  facebook: {
    name: 'Facebook',
    length: facebookLength,
    lengthRuleId: 'facebook.length',
    maxImages: 10,
    video: { publishable: true, containers: ['mp4', 'mov'], maxBytes: 10 * 1024 ** 3, maxSeconds: 4 * 60 * 60, mixesWithImages: false },
    handleStyle: 'plain',
    checkOptions: (_options, _accountId, label, post) => checkFacebookPhotos(post.images, label),
  },
  // Instagram API with Instagram Login (developers.facebook.com/docs/instagram-platform/
  // content-publishing and ig-user/media): a photo, a Reel or a carousel of 2 to 10 photos and
  // videos, each fetched by Instagram from the user's media storage; the caption up to 2,200
  // characters with at most 5 hashtags (src-shared/instagram.ts). Photos must be JPEG (Localpost
  // converts the others before they go up), with an `alt_text` (photos only: not Reels).
  // Reels (ig-user/media, "Reel specifications"): MOV or MP4, H.264 or HEVC, 23 to 60 frames a
  // second, 3 seconds to 15 minutes, up to 300 MB.
  instagram: {
    name: 'Instagram',
    length: instagramCaptionLength,
    lengthRuleId: 'instagram.caption_length',
    maxImages: instagramCarouselMax,
    mediaCountRuleId: 'instagram.carousel_size',
    mediaByPublicUrl: true,
    video: {
      publishable: true,
      containers: ['mp4', 'mov'],
      videoCodecs: ['avc', 'hevc'],
      maxBytes: 300 * 1024 * 1024,
      minSeconds: 3,
      maxSeconds: 15 * 60,
      minFrameRate: 23,
      maxFrameRate: 60,
      mixesWithImages: true,
    },
    handleStyle: 'at',
    checkOptions: (_options, _accountId, label, post) => checkInstagramPost({ text: post.text, imageCount: post.images.length, hasVideo: post.video !== null }, label),
  },
};

/** The images one draft holds: as many as the most generous platform takes (Facebook, Instagram,
 *  Threads, Discord and Telegram: 10). Preflight tells each target that takes fewer. */
export const maxImagesPerDraft = Math.max(...Object.values(platformRules).map((rules) => rules.maxImages));

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

/** The platform's video limits, with what the account's own server says in place of its defaults. */
export function videoLimitsFor(platform: PlatformId, limits?: AccountLimits | null): VideoLimits | null {
  const video = platformRules[platform].video;
  if (!video || !platformRules[platform].accountLimits || !limits) return video;
  return {
    ...video,
    ...(limits.videoMaxBytes !== undefined ? { maxBytes: limits.videoMaxBytes } : {}),
    ...(limits.videoMaxPixels !== undefined ? { maxPixels: limits.videoMaxPixels } : {}),
    ...(limits.videoMaxFrameRate !== undefined ? { maxFrameRate: limits.videoMaxFrameRate } : {}),
  };
}

export function altTextLimitFor(platform: PlatformId, limits?: AccountLimits | null, media: 'image' | 'video' = 'image'): number | undefined {
  const rules = platformRules[platform];
  const own = media === 'image' ? rules.altTextLimit : rules.video?.altTextLimit;
  // A server's own limit applies only where the platform shows alt text for that media at all.
  return own === undefined && media === 'video' ? undefined : ((rules.accountLimits ? limits?.altTextLimit : undefined) ?? own);
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
