// The snapshot of a draft that a post sends. Compose makes it (when a draft enters the outbox) and
// reads it back (when a post returns to drafts); the outbox stores it. It lives here, with its
// maker, so that compose depends on nothing in the outbox, which sits above it.
import type { TextVariants } from '../../../src-shared/compose/postParts';
import type { MastodonVisibility, PlatformPostOptions } from '../../../src-preload/contract';

/** What a post sends, copied from its draft when it entered the outbox. Files are relative to
 *  the post's own media folder. */
export interface PostContent {
  /** The main text: the post, or the first of its reply chain. */
  text: string;
  /** The rest of the chain; absent in posts queued before reply chains (as are the two below). */
  replies?: string[];
  variants?: TextVariants;
  splitLongPosts?: boolean;
  langs: string[];
  contentWarning: string;
  visibility: MastodonVisibility;
  /** Absent in posts queued before platforms had fields of their own. */
  platformOptions?: PlatformPostOptions;
  images: Array<{ file: string; mime: string; alt: string; width: number; height: number }>;
  linkCard: { url: string; title: string; description: string; imageFile: string | null; imageMime: string | null } | null;
  /** The one video, as probed when it was attached; absent in posts queued before video. */
  video?: PostVideo | null;
}

/** A post's video: its file (the user's, byte for byte) and what the probe found in it. */
export interface PostVideo {
  file: string;
  posterFile: string | null;
  mime: string;
  container: string;
  videoCodec: string;
  videoCodecString: string | null;
  audioCodec: string | null;
  durationSeconds: number;
  width: number;
  height: number;
  frameRate: number;
  bytes: number;
  /** Absent in posts queued before videos had alt text. */
  alt?: string;
}
