// Drafts in SQLite, saved as the user types (the renderer debounces to at most 500 ms). Each
// draft owns its images and video: they are copied into the data folder, so deleting or moving the file
// the user picked never breaks a draft.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import crypto from 'node:crypto';
import { noVariants, type TextVariants } from '../../../src-shared/compose/postParts';
import { platformPostOptionsSchema, textVariantsSchema, type Draft, type DraftImage, type DraftVideo, type MastodonVisibility, type PlatformPostOptions } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { decodePageCursor, encodePageCursor } from '../db/pageCursor';
import { AppError } from '../errors';
import type { Clock } from '../ports';

interface DraftRow {
  id: string;
  profile_id: string;
  text: string;
  target_account_ids: string;
  langs: string;
  link_card: string | null;
  link_card_dismissed_url: string | null;
  content_warning: string;
  visibility: MastodonVisibility;
  /** JSON of PlatformPostOptions. */
  platform_options: string;
  /** JSON: the reply chain after the main text. */
  replies: string;
  /** JSON of TextVariants. */
  variants: string;
  split_long_posts: number;
  created_at: number;
  updated_at: number;
}

export interface DraftImageRow {
  id: string;
  draft_id: string;
  position: number;
  file_name: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
}

export interface DraftVideoRow {
  draft_id: string;
  id: string;
  file_name: string;
  mime: string;
  container: string;
  video_codec: string;
  video_codec_string: string | null;
  audio_codec: string | null;
  duration_seconds: number;
  width: number;
  height: number;
  frame_rate: number;
  bytes: number;
  poster_file: string | null;
  alt: string;
  created_at: number;
}

/** The link card as stored: the card image is a file in the draft's media folder. */
export interface StoredLinkCard {
  url: string;
  title: string;
  description: string;
  imageFile: string | null;
  imageMime: string | null;
}

export class DraftStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  create(profileId: string, defaults: { targetAccountIds: string[]; langs: string[] }): string {
    const id = crypto.randomUUID();
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at)
         VALUES (?, ?, '', ?, ?, ?, ?)`,
      )
      .run(id, profileId, JSON.stringify(defaults.targetAccountIds), JSON.stringify(defaults.langs), now, now);
    return id;
  }

  ids(profileId: string): string[] {
    return (this.db.prepare('SELECT id FROM drafts WHERE profile_id = +? ORDER BY updated_at DESC').all(profileId) as Array<{ id: string }>).map(
      (row) => row.id,
    );
  }

  /**
   * One page of the profile's drafts, most recently edited first, keyset-paged on (updated_at,
   * id): a draft edited or created meanwhile moves above every cursor, so a later page never
   * repeats one already shown.
   */
  page(profileId: string, options: { cursor?: string | null; limit: number }): { ids: string[]; nextCursor: string | null } {
    const after = options.cursor ? decodePageCursor(options.cursor, ['integer', 'string'], 'drafts') : null;
    const rows = this.db
      .prepare(
        `SELECT id, updated_at FROM drafts WHERE profile_id = +@profileId ${after ? 'AND (updated_at, id) < (@updatedAt, @id)' : ''}
         ORDER BY updated_at DESC, id DESC LIMIT +@limit`,
      )
      .all({ profileId, limit: options.limit + 1, ...(after ? { updatedAt: after[0], id: after[1] } : {}) }) as Array<{ id: string; updated_at: number }>;
    const more = rows.length > options.limit;
    const shown = more ? rows.slice(0, options.limit) : rows;
    const last = shown[shown.length - 1];
    return { ids: shown.map((row) => row.id), nextCursor: more && last ? encodePageCursor([last.updated_at, last.id]) : null };
  }

  /** The draft if it belongs to the profile; another profile's draft does not exist here. */
  row(profileId: string, id: string): DraftRow {
    const row = this.db.prepare('SELECT * FROM drafts WHERE id = ? AND profile_id = ?').get(id, profileId) as DraftRow | undefined;
    if (!row) throw new AppError('not_found', 'That draft does not exist (it may have been published or deleted).');
    return row;
  }

  images(draftId: string): DraftImageRow[] {
    return this.db.prepare('SELECT * FROM draft_images WHERE draft_id = +? ORDER BY position').all(draftId) as DraftImageRow[];
  }

  linkCard(row: DraftRow): StoredLinkCard | null {
    return row.link_card ? (JSON.parse(row.link_card) as StoredLinkCard) : null;
  }

  video(draftId: string): DraftVideoRow | undefined {
    return this.db.prepare('SELECT * FROM draft_videos WHERE draft_id = ?').get(draftId) as DraftVideoRow | undefined;
  }

  /** Fails (UNIQUE) when the draft already has a video: one a post. */
  addVideo(video: Omit<DraftVideoRow, 'created_at' | 'poster_file'>): void {
    this.db
      .prepare(
        `INSERT INTO draft_videos (draft_id, id, file_name, mime, container, video_codec, video_codec_string, audio_codec,
           duration_seconds, width, height, frame_rate, bytes, poster_file, alt, created_at)
         VALUES (@draft_id, @id, @file_name, @mime, @container, @video_codec, @video_codec_string, @audio_codec,
           @duration_seconds, @width, @height, @frame_rate, @bytes, NULL, @alt, @now)`,
      )
      .run({ ...video, now: this.clock.now() });
    this.touch(video.draft_id);
  }

  setVideoPoster(draftId: string, videoId: string, posterFile: string): boolean {
    return this.db.prepare('UPDATE draft_videos SET poster_file = ? WHERE draft_id = ? AND id = ?').run(posterFile, draftId, videoId).changes > 0;
  }

  setVideoAlt(draftId: string, videoId: string, alt: string): void {
    const changed = this.db.prepare('UPDATE draft_videos SET alt = ? WHERE draft_id = ? AND id = ?').run(alt, draftId, videoId).changes;
    if (changed === 0) throw new AppError('not_found', 'That video is no longer in the draft.');
    this.touch(draftId);
  }

  removeVideo(draftId: string, videoId: string): DraftVideoRow | undefined {
    const video = this.video(draftId);
    if (!video || video.id !== videoId) return undefined;
    this.db.prepare('DELETE FROM draft_videos WHERE draft_id = ? AND id = ?').run(draftId, videoId);
    this.touch(draftId);
    return video;
  }

  toDraft(row: DraftRow, images: DraftImage[], linkCard: Draft['linkCard'], video: DraftVideo | null = null): Draft {
    return {
      id: row.id,
      profileId: row.profile_id,
      text: row.text,
      targetAccountIds: this.targetAccountIds(row),
      langs: JSON.parse(row.langs) as string[],
      images,
      video,
      linkCard,
      linkCardDismissedUrl: row.link_card_dismissed_url,
      contentWarning: row.content_warning,
      visibility: row.visibility,
      platformOptions: this.platformOptions(row),
      replies: JSON.parse(row.replies) as string[],
      variants: this.variants(row),
      splitLongPosts: row.split_long_posts === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The accounts the draft is for, without the rest of the draft (a publish reads them first). */
  targetAccountIds(row: DraftRow): string[] {
    return JSON.parse(row.target_account_ids) as string[];
  }

  /** The draft's platform fields; a stored value this version cannot read counts as none. */
  platformOptions(row: DraftRow): PlatformPostOptions {
    const parsed = platformPostOptionsSchema.safeParse(JSON.parse(row.platform_options));
    return parsed.success ? parsed.data : {};
  }

  /** The draft's texts of their own; a stored value this version cannot read counts as none. */
  variants(row: DraftRow): TextVariants {
    const parsed = textVariantsSchema.safeParse(JSON.parse(row.variants));
    return parsed.success ? parsed.data : noVariants;
  }

  save(
    profileId: string,
    input: {
      id: string;
      text: string;
      targetAccountIds: string[];
      langs: string[];
      contentWarning?: string | undefined;
      visibility?: MastodonVisibility | undefined;
      platformOptions?: PlatformPostOptions | undefined;
      replies?: string[] | undefined;
      variants?: TextVariants | undefined;
      splitLongPosts?: boolean | undefined;
    },
  ): number {
    const now = this.clock.now();
    // An absent field (a save from a client that does not know it) keeps the stored value (COALESCE).
    const changed = this.db
      .prepare(
        `UPDATE drafts SET text = @text, target_account_ids = @targets, langs = @langs,
           content_warning = COALESCE(@contentWarning, content_warning), visibility = COALESCE(@visibility, visibility),
           platform_options = COALESCE(@platformOptions, platform_options), replies = COALESCE(@replies, replies),
           variants = COALESCE(@variants, variants), split_long_posts = COALESCE(@splitLongPosts, split_long_posts),
           updated_at = @now WHERE id = @id AND profile_id = @profileId`,
      )
      .run({
        text: input.text,
        targets: JSON.stringify(input.targetAccountIds),
        langs: JSON.stringify(input.langs),
        contentWarning: input.contentWarning ?? null,
        visibility: input.visibility ?? null,
        platformOptions: input.platformOptions ? JSON.stringify(input.platformOptions) : null,
        replies: input.replies ? JSON.stringify(input.replies) : null,
        variants: input.variants ? JSON.stringify(input.variants) : null,
        splitLongPosts: input.splitLongPosts === undefined ? null : Number(input.splitLongPosts),
        now,
        id: input.id,
        profileId,
      }).changes;
    if (!changed) this.row(profileId, input.id); // throws not_found
    return now;
  }

  delete(profileId: string, id: string): void {
    this.db.prepare('DELETE FROM drafts WHERE id = ? AND profile_id = ?').run(id, profileId);
  }

  addImage(draftId: string, image: Omit<DraftImageRow, 'draft_id' | 'position'>): void {
    const position = (this.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM draft_images WHERE draft_id = +?').get(draftId) as { next: number }).next;
    this.db
      .prepare(
        `INSERT INTO draft_images (id, draft_id, position, file_name, mime, width, height, bytes, alt, created_at)
         VALUES (@id, @draftId, @position, @file_name, @mime, @width, @height, @bytes, @alt, @now)`,
      )
      .run({ ...image, draftId, position, now: this.clock.now() });
    this.touch(draftId);
  }

  /** Stores the images' order (the caller checked `imageIds` names each of the draft's images once). */
  reorderImages(draftId: string, imageIds: readonly string[]): void {
    const setPosition = this.db.prepare('UPDATE draft_images SET position = ? WHERE id = ? AND draft_id = ?');
    this.db.transaction(() => {
      imageIds.forEach((imageId, position) => setPosition.run(position, imageId, draftId));
      this.touch(draftId);
    })();
  }

  setImageAlt(draftId: string, imageId: string, alt: string): void {
    const changed = this.db.prepare('UPDATE draft_images SET alt = ? WHERE id = ? AND draft_id = ?').run(alt, imageId, draftId).changes;
    if (!changed) throw new AppError('not_found', 'That image is no longer in the draft.');
    this.touch(draftId);
  }

  removeImage(draftId: string, imageId: string): DraftImageRow | undefined {
    const image = this.db.prepare('SELECT * FROM draft_images WHERE id = ? AND draft_id = ?').get(imageId, draftId) as DraftImageRow | undefined;
    this.db.prepare('DELETE FROM draft_images WHERE id = ? AND draft_id = ?').run(imageId, draftId);
    this.touch(draftId);
    return image;
  }

  setLinkCard(draftId: string, card: StoredLinkCard | null, dismissedUrl?: string): void {
    if (dismissedUrl !== undefined) {
      this.db.prepare('UPDATE drafts SET link_card = NULL, link_card_dismissed_url = ? WHERE id = ?').run(dismissedUrl, draftId);
    } else {
      this.db.prepare('UPDATE drafts SET link_card = ? WHERE id = ?').run(card ? JSON.stringify(card) : null, draftId);
    }
    this.touch(draftId);
  }

  private touch(draftId: string): void {
    this.db.prepare('UPDATE drafts SET updated_at = ? WHERE id = ?').run(this.clock.now(), draftId);
  }
}
