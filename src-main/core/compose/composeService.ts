// The composer's service: drafts with their images, video (DraftVideos) and link card, and preflight. Everything is
// scoped by the active profile, so one profile's drafts never show in another.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Account, BridgeError, Draft, DraftImage, DraftVideo, ErrorCode, LinkCard, MethodOutput, PreflightIssue } from '../../../src-preload/contract';
import { runPreflight } from '../../../src-shared/compose/preflight';
import { isReorderOf } from '../../../src-shared/compose/imageOrder';
import { describeSniffed, maxImageFileBytes, sniffHeadBytes, sniffMedia } from '../../../src-shared/compose/mediaFiles';
import { maxImagesPerDraft } from '../../../src-shared/platforms';
import type { AccountStore } from '../accounts/accountStore';
import { AppError } from '../errors';
import type { PublicFetch } from '../http/publicFetch';
import type { FilePicker } from '../ports';
import type { SettingsService } from '../settings/settingsService';
import { ensurePrivateDir, writePrivateFile } from '../storage/privateFiles';
import { DraftStore, type DraftImageRow, type StoredLinkCard } from './draftStore';
import { DraftVideos, shareFile, toPostVideo, videoFacts } from './draftVideos';
import type { PostContent } from './postContent';
import { webImageFormats } from './imageProcessing';
import { fetchLinkCard } from './linkCard';
import { PreviewCache } from './previewCache';
import type { PosterSource } from './videoProbe';
import type { MediaTools } from '../media/mediaTools';

export class ComposeService {
  readonly #previews: PreviewCache;
  readonly #videos: DraftVideos;

  constructor(
    private readonly deps: {
      /** Whether the user's media storage is saved (preflight's media.storage_missing). */
      mediaStorageSaved?: () => boolean;
      drafts: DraftStore;
      accounts: AccountStore;
      settings: SettingsService;
      fetchPublic: PublicFetch;
      mediaDir: string;
      filePicker: FilePicker;
      /** Image decoding and video probing (in the media worker, in the app). */
      media: MediaTools;
    },
  ) {
    this.#previews = new PreviewCache(async (file) => this.deps.media.previewDataUrl(await fs.promises.readFile(file)));
    this.#videos = new DraftVideos({
      media: deps.media,
      drafts: deps.drafts,
      filePicker: deps.filePicker,
      draftMediaDir: (draftId) => this.#draftMediaDir(draftId),
      previews: this.#previews,
    });
  }

  create(profileId: string): Promise<Draft> {
    const accounts = this.deps.accounts.listActive(profileId).filter((a) => a.status === 'connected');
    // A new draft targets every connected account: the usual case for a one-person cross-poster.
    const id = this.deps.drafts.create(profileId, {
      targetAccountIds: accounts.map((a) => a.id),
      langs: [this.deps.settings.get().defaultLanguage],
    });
    return this.get(profileId, id);
  }

  list(profileId: string): Promise<Draft[]> {
    return this.#drafts(profileId, this.deps.drafts.ids(profileId));
  }

  /** One page of the drafts (DraftStore.page), each as `get` gives it. */
  async page(profileId: string, options: { cursor?: string | null; limit: number }): Promise<{ drafts: Draft[]; nextCursor: string | null }> {
    const page = this.deps.drafts.page(profileId, options);
    return { drafts: await this.#drafts(profileId, page.ids), nextCursor: page.nextCursor };
  }

  async #drafts(profileId: string, ids: string[]): Promise<Draft[]> {
    // A draft can leave while the list is read (published into the outbox, deleted): skip it.
    const drafts = await Promise.all(
      ids.map((id) =>
        this.get(profileId, id).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'not_found') return undefined;
          throw error;
        }),
      ),
    );
    return drafts.filter((draft) => draft !== undefined);
  }

  async get(profileId: string, id: string): Promise<Draft> {
    const row = this.deps.drafts.row(profileId, id);
    const images = await Promise.all(this.deps.drafts.images(id).map((image) => this.#toDraftImage(image)));
    const video = this.deps.drafts.video(id);
    return this.deps.drafts.toDraft(row, images, await this.#toLinkCard(id, this.deps.drafts.linkCard(row)), video ? await this.#videos.toDraftVideo(video) : null);
  }

  save(profileId: string, input: Parameters<DraftStore['save']>[1]): number {
    return this.deps.drafts.save(profileId, input);
  }

  delete(profileId: string, id: string): void {
    this.deps.drafts.row(profileId, id);
    this.deps.drafts.delete(profileId, id);
    this.removeMedia(id);
  }

  /** Removes a deleted draft's files; called after the deletion is committed, never before. */
  removeMedia(draftId: string): void {
    fs.rmSync(this.#draftMediaDir(draftId), { recursive: true, force: true });
    this.#previews.forgetFolder(this.#draftMediaDir(draftId));
  }

  async addImage(profileId: string, draftId: string, bytes: Uint8Array): Promise<DraftImage> {
    this.deps.drafts.row(profileId, draftId);
    if (this.deps.drafts.images(draftId).length >= maxImagesPerDraft) {
      throw new AppError('preflight_failed', `A post takes at most ${maxImagesPerDraft} images.`, { action: 'Remove one before adding another.' });
    }
    assertImageFile(bytes);
    const fitted = await this.deps.media.fitImage(bytes);
    const id = crypto.randomUUID();
    const dir = this.#draftMediaDir(draftId);
    ensurePrivateDir(dir);
    const file = `${id}.${fitted.mime.split('/')[1]}`;
    writePrivateFile(path.join(dir, file), fitted.data);
    const row = { id, file_name: file, mime: fitted.mime, width: fitted.width, height: fitted.height, bytes: fitted.data.length, alt: '' };
    this.deps.drafts.addImage(draftId, row);
    return this.#toDraftImage({ ...row, draft_id: draftId, position: 0 });
  }

  /** Puts the draft's images in the order given, which must name each of them exactly once. */
  reorderImages(profileId: string, draftId: string, imageIds: readonly string[]): void {
    this.deps.drafts.row(profileId, draftId);
    const current = this.deps.drafts.images(draftId).map((image) => image.id);
    if (!isReorderOf(current, imageIds)) {
      throw new AppError('invalid_input', 'The new order does not name each of the draft’s images once: the images changed meanwhile.', {
        action: 'Try the move again.',
      });
    }
    this.deps.drafts.reorderImages(draftId, imageIds);
  }

  setImageAlt(profileId: string, draftId: string, imageId: string, alt: string): void {
    this.deps.drafts.row(profileId, draftId);
    this.deps.drafts.setImageAlt(draftId, imageId, alt);
  }

  removeImage(profileId: string, draftId: string, imageId: string): void {
    this.deps.drafts.row(profileId, draftId);
    const removed = this.deps.drafts.removeImage(draftId, imageId);
    if (removed) fs.rmSync(path.join(this.#draftMediaDir(draftId), removed.file_name), { force: true });
  }

  /** Asks the user for a video file and streams it into the draft (DraftVideos). */
  addVideo(profileId: string, draftId: string): Promise<MethodOutput<'drafts.addVideo'>> {
    this.deps.drafts.row(profileId, draftId);
    return this.#videos.add(draftId, () => this.deps.drafts.row(profileId, draftId));
  }

  /** Streams a video the user dropped on the composer into the draft, checked as a picked one is. */
  addVideoFile(profileId: string, draftId: string, file: string): Promise<MethodOutput<'drafts.addVideoFile'>> {
    this.deps.drafts.row(profileId, draftId);
    return this.#videos.addFile(draftId, file);
  }

  setVideoAlt(profileId: string, draftId: string, videoId: string, alt: string): void {
    this.deps.drafts.row(profileId, draftId);
    this.deps.drafts.setVideoAlt(draftId, videoId, alt);
  }

  removeVideo(profileId: string, draftId: string, videoId: string): void {
    this.deps.drafts.row(profileId, draftId);
    this.#videos.remove(draftId, videoId);
  }

  videoPosterSource(profileId: string, draftId: string, videoId: string): Promise<PosterSource> {
    this.deps.drafts.row(profileId, draftId);
    return this.#videos.posterSource(draftId, videoId);
  }

  setVideoPoster(profileId: string, draftId: string, videoId: string, jpeg: Uint8Array): Promise<DraftVideo> {
    this.deps.drafts.row(profileId, draftId);
    return this.#videos.setPoster(draftId, videoId, jpeg);
  }

  /**
   * Fetches a card for the first link of the text, when there is one and no image. A link that
   * gets no card (no page, a page with no title, an address that is not public) is not an error:
   * `noPreview` says why, for the composer to mention quietly.
   */
  async refreshLinkCard(profileId: string, draftId: string): Promise<{ linkCard: LinkCard | null; noPreview?: BridgeError }> {
    const row = this.deps.drafts.row(profileId, draftId);
    const current = this.deps.drafts.linkCard(row);
    const url = await firstLink(row.text);
    if (!url || this.deps.drafts.images(draftId).length > 0 || this.deps.drafts.video(draftId)) {
      if (current) this.deps.drafts.setLinkCard(draftId, null);
      return { linkCard: null };
    }
    if (current?.url === url) return { linkCard: await this.#toLinkCard(draftId, current) };
    if (row.link_card_dismissed_url === url) return { linkCard: null };
    let fetched;
    try {
      fetched = await fetchLinkCard(this.deps.fetchPublic, url);
    } catch (error) {
      if (current) this.deps.drafts.setLinkCard(draftId, null);
      if (error instanceof AppError && noCardCodes.has(error.code)) return { linkCard: null, noPreview: error.toBridge() };
      throw error;
    }
    let imageFile: string | null = null;
    let imageMime: string | null = null;
    if (fetched.image) {
      try {
        const fitted = await this.deps.media.fitImage(fetched.image.bytes, webImageFormats);
        ensurePrivateDir(this.#draftMediaDir(draftId));
        imageFile = `card-${crypto.randomUUID()}.${fitted.mime.split('/')[1]}`;
        imageMime = fitted.mime;
        writePrivateFile(path.join(this.#draftMediaDir(draftId), imageFile), fitted.data);
      } catch {
        imageFile = null;
      }
    }
    const card: StoredLinkCard = { url: fetched.url, title: fetched.title, description: fetched.description, imageFile, imageMime };
    this.deps.drafts.setLinkCard(draftId, card);
    return { linkCard: await this.#toLinkCard(draftId, card) };
  }

  async removeLinkCard(profileId: string, draftId: string): Promise<void> {
    const row = this.deps.drafts.row(profileId, draftId);
    const card = this.deps.drafts.linkCard(row);
    this.deps.drafts.setLinkCard(draftId, null, card?.url ?? (await firstLink(row.text)) ?? '');
  }

  /** The accounts a draft goes to: those it names that are still connected in this profile. */
  targetAccounts(profileId: string, draftId: string): Account[] {
    const ids = new Set(this.deps.drafts.targetAccountIds(this.deps.drafts.row(profileId, draftId)));
    return this.deps.accounts.listActive(profileId).filter((account) => ids.has(account.id));
  }

  preflight(profileId: string, draftId: string): PreflightIssue[] {
    return this.check(profileId, draftId).issues;
  }

  /** What preflight finds, and the accounts it checked the draft for (its targets). */
  check(profileId: string, draftId: string): { issues: PreflightIssue[]; accounts: Account[] } {
    const { issues, accounts } = this.prepareSend(profileId, draftId);
    return { issues, accounts };
  }

  /**
   * What a publish needs of the draft, read once: what preflight finds, the accounts it checked
   * the draft for (its targets), and `copyTo`, the copy of what the draft sends for the outbox.
   * Its files are copied into `destDir`, so the post no longer depends on the draft (which the
   * same transaction that queues the post deletes).
   */
  prepareSend(profileId: string, draftId: string): { issues: PreflightIssue[]; accounts: Account[]; copyTo(destDir: string): PostContent } {
    const row = this.deps.drafts.row(profileId, draftId);
    const images = this.deps.drafts.images(draftId);
    const video = this.deps.drafts.video(draftId);
    const variants = this.deps.drafts.variants(row);
    const platformOptions = this.deps.drafts.platformOptions(row);
    const replies = JSON.parse(row.replies) as string[];
    const ids = new Set(this.deps.drafts.targetAccountIds(row));
    const accounts = this.deps.accounts.listActive(profileId).filter((account) => ids.has(account.id));
    const issues = runPreflight({
      text: row.text,
      replies,
      variants,
      splitLongPosts: row.split_long_posts === 1,
      contentWarning: row.content_warning,
      images: images.map((image) => ({ alt: image.alt, bytes: image.bytes })),
      video: video ? { ...videoFacts(video), alt: video.alt } : null,
      hasLinkCard: row.link_card !== null,
      platformOptions,
      targets: accounts.map((a) => ({
        accountId: a.id,
        handle: a.handle,
        platform: a.platform,
        status: a.status,
        limits: a.limits,
        spendingCap: a.spendingCap,
      })),
      requireAltText: this.deps.settings.get().requireAltText,
      ...(this.deps.mediaStorageSaved ? { mediaStorageSaved: this.deps.mediaStorageSaved() } : {}),
    });
    const copyTo = (destDir: string): PostContent => {
      const sourceDir = this.#draftMediaDir(draftId);
      // A post with images shows them instead of a card, on every platform Localpost posts to.
      const card = images.length === 0 ? this.deps.drafts.linkCard(row) : null;
      const files = [
        ...images.map((image) => image.file_name),
        ...(card?.imageFile ? [card.imageFile] : []),
        ...(video ? [video.file_name, ...(video.poster_file ? [video.poster_file] : [])] : []),
      ];
      // A text-only post has no folder at all (most posts: no mkdir and rmdir per publish).
      if (files.length > 0) ensurePrivateDir(destDir);
      for (const file of files) shareFile(path.join(sourceDir, file), path.join(destDir, file));
      return {
        text: row.text,
        replies,
        variants,
        splitLongPosts: row.split_long_posts === 1,
        langs: JSON.parse(row.langs) as string[],
        contentWarning: row.content_warning,
        visibility: row.visibility,
        platformOptions,
        images: images.map((image) => ({ file: image.file_name, mime: image.mime, alt: image.alt, width: image.width, height: image.height })),
        linkCard: card,
        video: video ? toPostVideo(video) : null,
      };
    };
    return { issues, accounts, copyTo };
  }

  /** Makes a draft again from a post that never went out (Edit on a scheduled post). */
  restoreDraft(profileId: string, content: PostContent, sourceDir: string, targetAccountIds: string[]): string {
    const draftId = this.deps.drafts.create(profileId, { targetAccountIds, langs: content.langs });
    const destDir = this.#draftMediaDir(draftId);
    ensurePrivateDir(destDir);
    for (const image of content.images) {
      fs.copyFileSync(path.join(sourceDir, image.file), path.join(destDir, image.file));
      this.deps.drafts.addImage(draftId, { id: crypto.randomUUID(), file_name: image.file, mime: image.mime, width: image.width, height: image.height, bytes: fs.statSync(path.join(destDir, image.file)).size, alt: image.alt });
    }
    this.deps.drafts.save(profileId, { id: draftId, text: content.text, targetAccountIds, langs: content.langs, contentWarning: content.contentWarning, visibility: content.visibility, platformOptions: content.platformOptions, replies: content.replies, variants: content.variants, splitLongPosts: content.splitLongPosts });
    if (content.linkCard) {
      if (content.linkCard.imageFile) fs.copyFileSync(path.join(sourceDir, content.linkCard.imageFile), path.join(destDir, content.linkCard.imageFile));
      this.deps.drafts.setLinkCard(draftId, content.linkCard);
    }
    if (content.video) this.#videos.restore(draftId, content.video, sourceDir);
    return draftId;
  }

  #draftMediaDir(draftId: string): string {
    return path.join(this.deps.mediaDir, draftId);
  }

  async #toDraftImage(row: DraftImageRow): Promise<DraftImage> {
    return {
      id: row.id,
      alt: row.alt,
      mime: row.mime,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      previewDataUrl: await this.#previews.of(path.join(this.#draftMediaDir(row.draft_id), row.file_name)),
    };
  }

  async #toLinkCard(draftId: string, card: StoredLinkCard | null): Promise<LinkCard | null> {
    if (!card) return null;
    return {
      url: card.url,
      title: card.title,
      description: card.description,
      imageDataUrl: card.imageFile ? await this.#previews.of(path.join(this.#draftMediaDir(draftId), card.imageFile)) : null,
    };
  }
}

/**
 * The composer's image as it arrives over the bridge (picked, dropped or pasted, only bytes): no
 * larger than any image a user means to post, and an image by its own first bytes, whatever its
 * name said. sharp checks the format again when it decodes.
 */
function assertImageFile(bytes: Uint8Array): void {
  if (bytes.byteLength > maxImageFileBytes) {
    throw new AppError('media_too_large', `That image is ${Math.ceil(bytes.byteLength / (1024 * 1024))} MB; Localpost takes images of up to ${maxImageFileBytes / (1024 * 1024)} MB.`, {
      action: 'Use a smaller copy of the image.',
    });
  }
  const sniffed = sniffMedia(bytes.subarray(0, sniffHeadBytes));
  if (sniffed?.kind !== 'image') {
    throw new AppError('media_unsupported', `That file is ${describeSniffed(sniffed)}, not an image Localpost can attach.`, {
      action: sniffed?.kind === 'video' ? 'Add it as the video instead.' : 'Use a JPEG, PNG, WebP, GIF or AVIF image.',
    });
  }
}

/** Failures that only mean "this link gets no card": anything else is a real error. */
const noCardCodes: ReadonlySet<ErrorCode> = new Set(['link_card_unavailable', 'network_unreachable', 'address_not_public', 'invalid_input']);

/** The first link in the text, found the way Bluesky finds links for facets (loaded at the first link card). */
async function firstLink(text: string): Promise<string | undefined> {
  return (await import('./richTextFacets')).firstLinkOf(text);
}
