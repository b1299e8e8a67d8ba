// Drafts and the open composer. Every edit lands in the store at once (the counter and preflight
// are live) and reaches the core through a 300 ms autosave, so a crash loses at most the last
// half second. Saves run one after another, so an older save can never
// overwrite a newer one.
import {
  api,
  call,
  type Account,
  type BridgeError,
  type Draft,
  type DraftImage,
  type DraftVideo,
  type LinkCard,
  type MastodonVisibility,
  type PinOptions,
  type TikTokOptions,
  type YouTubeOptions,
  type PlatformPostOptions,
  type Post,
  type Result,
} from '../bridge';
import { type TextVariant, type TextVariants } from '../../src-shared/compose/postParts';
import type { PlatformId } from '../../src-shared/platformIds';
import { moveItem } from '../../src-shared/compose/imageOrder';
import { describeSniffed, maxImageFileBytes, sniffHeadBytes, sniffMedia, type SniffedMedia } from '../../src-shared/compose/mediaFiles';
import { emptyPinFields } from '../../src-shared/pins';
import { emptyTikTokFields } from '../../src-shared/tiktok';
import { emptyYouTubeFields } from '../../src-shared/youtube';
import { decodePoster } from '../media/videoPoster';
import { createDebouncedTask } from './debouncedTask';
import type { ScheduleChoice } from './outboxSlice';
import type { SliceCreator } from './types';

/** The draft being edited, as the composer shows it (which may be ahead of the core). */
export interface OpenDraft {
  id: string;
  text: string;
  targetAccountIds: string[];
  langs: string[];
  images: DraftImage[];
  video: DraftVideo | null;
  linkCard: LinkCard | null;
  /** Why the link in the text got no card (not a public address, no title...), said quietly. */
  noPreview?: BridgeError | undefined;
  /** Mastodon's content warning and visibility; kept with the draft whatever the targets. */
  contentWarning: string;
  visibility: MastodonVisibility;
  /** The fields only some platforms have (a pin's board, title and link). */
  platformOptions: PlatformPostOptions;
  /** The reply chain after the main text (empty for a single post). */
  replies: string[];
  /** Texts of their own for a platform or an account; the others follow the main text. */
  variants: TextVariants;
  splitLongPosts: boolean;
}

/** Whose text a variant is: every account of a platform, or one account. */
export type VariantScope = { platform: PlatformId } | { accountId: string };

/** pending: an edit is waiting for, or in, a save; failed: the last save was refused. */
export type SaveState = 'saved' | 'pending' | 'failed';

/** The open draft is on its way into the outbox: to go now, or at a chosen time. */
export type Sending = 'publish' | 'schedule' | 'queue';


/** Drafts come a page at a time (drafts.page): a profile may keep thousands. */
const draftsPageSize = 50;
const draftsLargestPage = 200;

/** Issue 3 asks for at most 500 ms between a keystroke and SQLite; 300 ms leaves headroom. */
const autosaveDelayMs = 300;
/** Long enough that a link is usually fully typed before its page is fetched. */
const linkCardDelayMs = 800;

export interface ComposerSlice {
  /** The drafts shown, most recently edited first: the first pages of drafts.page. */
  drafts: Draft[] | null;
  /** Where the next page of drafts starts; null once the last is shown. */
  draftsCursor: string | null;
  draftsLoadingMore: boolean;
  draftsError: BridgeError | null;
  composer: OpenDraft | null;
  composerError: BridgeError | null;
  saveState: SaveState;
  saveError: BridgeError | null;
  addingImages: boolean;
  /** The open dialog is up, or the chosen video is being probed and copied. */
  addingVideo: boolean;
  sending: Sending | null;
  /** The draft being sent: its post shows as the publish result while it goes out (uploads take
   *  a while, and show how far they got). */
  sendingDraftId: string | null;
  /** The post the last Publish or Schedule made, kept up to date as it goes out. */
  publishResult: Post | null;
  publishError: BridgeError | null;

  loadDrafts(): Promise<void>;
  loadMoreDrafts(): Promise<void>;
  /** Opens the most recent draft, or creates one when there is none. */
  ensureDraftOpen(): Promise<void>;
  openDraft(id: string): Promise<void>;
  createDraft(): Promise<void>;
  /** Opens a draft the core just made (a scheduled post sent back to the drafts). */
  adoptDraft(draft: Draft): Promise<void>;
  deleteDraft(id: string): Promise<void>;
  closeComposer(): void;

  editText(text: string): void;
  setTargeted(accountId: string, targeted: boolean): void;
  setLanguage(lang: string): void;
  setContentWarning(contentWarning: string): void;
  setVisibility(visibility: MastodonVisibility): void;
  /** Changes one post of the main reply chain: 0 is the main text, 1 the first reply. */
  editReply(index: number, text: string): void;
  /** Adds an empty post at the end of the main reply chain. */
  addReply(): void;
  removeReply(index: number): void;
  setSplitLongPosts(split: boolean): void;
  /** Gives a platform or an account a text of its own; null makes it follow the main text again. */
  editVariant(scope: VariantScope, variant: TextVariant | null): void;
  /** Changes some of the pin's fields (its boards, title, link), keeping the others. */
  editPin(change: Partial<PinOptions>): void;
  /** Changes some of the TikTok video's settings, keeping the others. */
  editTikTok(change: Partial<TikTokOptions>): void;
  /** Changes some of the YouTube video's fields (title, privacy, made for kids, ...), keeping the others. */
  editYouTube(change: Partial<YouTubeOptions>): void;
  /** Adds image files (picked, dropped or pasted) one by one; a refused one is said, the others still added. */
  addImages(files: File[]): Promise<void>;
  /**
   * Files dropped on the composer: each told by its first bytes, images sent as bytes, a video as
   * the File, whose place on disk only the preload learns. What is neither is refused with a
   * message naming it; the rest is still added.
   */
  addDroppedFiles(files: File[]): Promise<void>;
  /** Moves an image to another place in the draft's order (0 is first), kept by the core. */
  moveImage(imageId: string, toIndex: number): Promise<void>;
  editImageAlt(imageId: string, alt: string): void;
  editVideoAlt(alt: string): void;
  removeImage(imageId: string): Promise<void>;
  /** Asks the core to ask the user for a video (the OS's open dialog) and attach it. */
  addVideo(): Promise<void>;
  removeVideo(): Promise<void>;
  removeLinkCard(): Promise<void>;
  /** Writes every pending edit, after any save already under way: before switching draft or publishing. */
  flushComposer(): Promise<void>;
  /** Sends every pending edit at once, without waiting its turn: the page is closing or hidden. */
  flushBeforeLeaving(): void;

  publish(): Promise<void>;
  /** Resolves true when the post was scheduled; a refusal (a time past) is in `publishError`. */
  schedule(choice: ScheduleChoice): Promise<boolean>;
  /** Schedules the draft at its accounts' next free posting slot, read in `zone` (the core's rule). */
  addToQueue(zone: string): Promise<boolean>;
  dismissPublishResult(): void;
  dismissComposerError(): void;

  targetNewAccountInBlankDraft(account: Account): void;
  untargetAccount(accountId: string): void;
}

export const createComposerSlice: SliceCreator<ComposerSlice> = (set, get) => {
  let textDirty = false;
  let writesInFlight = 0;
  let saveChain: Promise<void> = Promise.resolve();
  /** Alt text typed but not saved yet, by `image:<id>` or `video:<id>`. */
  const pendingAlts = new Map<string, { media: 'image' | 'video'; draftId: string; mediaId: string; alt: string }>();
  let ensuring: Promise<void> | null = null;

  const settleSaveState = () => {
    if (!textDirty && pendingAlts.size === 0 && writesInFlight === 0 && get().saveState === 'pending') {
      set({ saveState: 'saved' });
    }
  };

  /** Sends what the composer holds now; the caller has checked there is something to send. */
  const sendDraft = async (draft: OpenDraft): Promise<void> => {
    textDirty = false;
    writesInFlight++;
    const result = await call(
      api.drafts.save({
        id: draft.id,
        text: draft.text,
        targetAccountIds: draft.targetAccountIds,
        langs: draft.langs,
        contentWarning: draft.contentWarning,
        visibility: draft.visibility,
        platformOptions: draft.platformOptions,
        replies: draft.replies,
        variants: draft.variants,
        splitLongPosts: draft.splitLongPosts,
      }),
    );
    writesInFlight--;
    if (!result.ok) {
      // Kept dirty so the next flush tries again with whatever is in the composer by then.
      textDirty = true;
      return set({ saveState: 'failed', saveError: result.error });
    }
    const { updatedAt } = result.value;
    set((state) => ({
      saveError: null,
      saveState: state.saveState === 'failed' ? 'pending' : state.saveState,
      drafts: sortDrafts(
        (state.drafts ?? []).map((d) =>
          d.id === draft.id
            ? {
                ...d,
                text: draft.text,
                targetAccountIds: draft.targetAccountIds,
                langs: draft.langs,
                contentWarning: draft.contentWarning,
                visibility: draft.visibility,
                platformOptions: draft.platformOptions,
                replies: draft.replies,
                variants: draft.variants,
                splitLongPosts: draft.splitLongPosts,
                updatedAt,
              }
            : d,
        ),
      ),
    }));
    settleSaveState();
  };

  const writeDraft = (): Promise<void> => {
    saveChain = saveChain.then(() => {
      const draft = get().composer;
      return textDirty && draft ? sendDraft(draft) : undefined;
    });
    return saveChain;
  };

  const writeAlts = async (): Promise<void> => {
    const alts = [...pendingAlts.values()];
    pendingAlts.clear();
    writesInFlight++;
    const results = await Promise.all(
      alts.map(({ media, draftId, mediaId, alt }) =>
        call(media === 'image' ? api.drafts.setImageAlt({ draftId, imageId: mediaId, alt }) : api.drafts.setVideoAlt({ draftId, videoId: mediaId, alt })),
      ),
    );
    writesInFlight--;
    const failed = results.find((result) => !result.ok);
    if (failed && !failed.ok) return set({ saveState: 'failed', saveError: failed.error });
    settleSaveState();
  };

  const refreshLinkCard = async (): Promise<void> => {
    const draft = get().composer;
    if (!draft || draft.images.length > 0 || draft.video) return;
    // The core finds the link in the saved text, so the text must be saved first.
    await writeDraft();
    const result = await call(api.drafts.refreshLinkCard({ draftId: draft.id }));
    const current = get().composer;
    if (current?.id !== draft.id) return;
    if (!result.ok) return set({ composerError: result.error });
    set({ composer: { ...current, linkCard: result.value.linkCard, noPreview: result.value.noPreview } });
  };

  const autosave = createDebouncedTask(autosaveDelayMs, writeDraft);
  const altAutosave = createDebouncedTask(autosaveDelayMs, writeAlts);
  const linkCardRefresh = createDebouncedTask(linkCardDelayMs, refreshLinkCard);

  /** Videos whose poster this page already tried to make, so a codec it cannot decode is asked once. */
  const posterTried = new Set<string>();

  /** Makes the poster of the open draft's video when it has none, then shows it. */
  const ensurePoster = async (draftId: string, video: DraftVideo): Promise<void> => {
    if (video.posterDataUrl || posterTried.has(video.id)) return;
    posterTried.add(video.id);
    const source = await call(api.drafts.videoPosterSource({ draftId, videoId: video.id }));
    if (!source.ok) return;
    const jpeg = await decodePoster(source.value).catch(() => null);
    if (!jpeg) return;
    const stored = await call(api.drafts.setVideoPoster({ draftId, videoId: video.id, jpeg }));
    const current = get().composer;
    if (!stored.ok || current?.id !== draftId || current.video?.id !== video.id) return;
    // Only the poster is new: alt text typed while it was being made may not be saved yet, and
    // the core's copy would put the field back to what it had.
    set({ composer: { ...current, video: { ...current.video, posterDataUrl: stored.value.posterDataUrl } } });
  };

  /** Sends image files to the core one by one; what it refused, each with its file's name. */
  const addImageFiles = async (files: File[]): Promise<Refused[]> => {
    const draft = get().composer;
    if (!draft) return [];
    set({ addingImages: true });
    const refused: Refused[] = [];
    for (const file of files) {
      const name = file.name || 'The pasted image';
      // Checked before reading: a file of gigabytes dropped by mistake is never read into memory.
      if (file.size > maxImageFileBytes) {
        refused.push({ name, error: { code: 'media_too_large', message: `It is ${Math.ceil(file.size / (1024 * 1024))} MB; Localpost takes images of up to ${maxImageFileBytes / (1024 * 1024)} MB.`, action: 'Use a smaller copy of the image.' } });
        continue;
      }
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        refused.push({ name, error: { code: 'media_unsupported', message: 'Localpost could not read it.' } });
        continue;
      }
      // The core refuses an image past the limit with its own message, so the limit lives in one place.
      const result = await call(api.drafts.addImage({ draftId: draft.id, fileName: name.slice(0, 200), bytes }));
      if (!result.ok) {
        refused.push({ name, error: result.error });
        // Past the limit, every next one would be refused the same way.
        if (result.error.code === 'preflight_failed') break;
        continue;
      }
      const current = get().composer;
      if (current?.id === draft.id) set({ composer: { ...current, images: [...current.images, result.value] } });
    }
    linkCardRefresh.cancel();
    set({ addingImages: false });
    return refused;
  };

  const showDraft = (draft: Draft) => {
    if (draft.video) void ensurePoster(draft.id, draft.video);
    return toOpenDraft(draft);
  };

  const editOpenDraft = (change: (draft: OpenDraft) => OpenDraft) => {
    const draft = get().composer;
    if (!draft) return;
    textDirty = true;
    set({ composer: change(draft), saveState: 'pending' });
    autosave.schedule();
  };

  const forgetPendingEdits = () => {
    autosave.cancel();
    altAutosave.cancel();
    linkCardRefresh.cancel();
    textDirty = false;
    pendingAlts.clear();
  };

  /**
   * Publish and Schedule alike: the draft leaves the drafts for the outbox, and the composer
   * starts the next post. Failed targets are retried from the outbox, never by sending the draft
   * again, so nothing of it stays open.
   */
  const moveToOutbox = async (sending: Sending, send: (draftId: string) => Promise<Result<Post>>): Promise<boolean> => {
    const draft = get().composer;
    if (!draft || get().sending) return false;
    set({ sending, sendingDraftId: draft.id, publishError: null, publishResult: null });
    // The card on screen is the one that gets published; a late refresh would race the publish.
    linkCardRefresh.cancel();
    await get().flushComposer();
    // Publishing reads the draft from the core: with a refused save it would post older text.
    const unsaved = get().saveState === 'failed' ? get().saveError : null;
    if (unsaved) {
      set({ sending: null, sendingDraftId: null, publishError: unsaved });
      return false;
    }
    const result = await send(draft.id);
    if (!result.ok) {
      set({ sending: null, sendingDraftId: null, publishError: result.error });
      return false;
    }
    set({ publishResult: result.value, sendingDraftId: null });
    void get().loadHistory();
    void get().loadOutbox();
    // A post counts against a spending cap, and a refused sign-in changes an account's status.
    void get().loadAccounts();
    // The sent draft stays on screen until the new one replaces it, so nothing else opens meanwhile.
    set((state) => ({ drafts: (state.drafts ?? []).filter((d) => d.id !== draft.id) }));
    await get().createDraft();
    if (get().composer?.id === draft.id) set({ composer: null });
    set({ sending: null });
    return true;
  };

  return {
    drafts: null,
    draftsCursor: null,
    draftsLoadingMore: false,
    draftsError: null,
    composer: null,
    composerError: null,
    saveState: 'saved',
    saveError: null,
    addingImages: false,
    addingVideo: false,
    sending: null,
    sendingDraftId: null,
    publishResult: null,
    publishError: null,

    async loadDrafts() {
      // As many as were shown (a page at least), so the list does not shrink under the user.
      const limit = Math.min(draftsLargestPage, Math.max(draftsPageSize, get().drafts?.length ?? 0));
      const result = await call(api.drafts.page({ limit }));
      if (!result.ok) return set({ draftsError: result.error, draftsLoadingMore: false });
      set({ drafts: sortDrafts(result.value.drafts), draftsCursor: result.value.nextCursor, draftsLoadingMore: false, draftsError: null });
    },

    async loadMoreDrafts() {
      const { draftsCursor: cursor, draftsLoadingMore } = get();
      if (!cursor || draftsLoadingMore) return;
      set({ draftsLoadingMore: true });
      const result = await call(api.drafts.page({ cursor, limit: draftsPageSize }));
      if (!result.ok) return set({ draftsError: result.error, draftsLoadingMore: false });
      set((state) => {
        // A draft already here (created or edited since the first page) keeps its place.
        const shown = new Set((state.drafts ?? []).map((d) => d.id));
        return {
          drafts: sortDrafts([...(state.drafts ?? []), ...result.value.drafts.filter((d) => !shown.has(d.id))]),
          draftsCursor: result.value.nextCursor,
          draftsLoadingMore: false,
        };
      });
    },

    ensureDraftOpen() {
      // Guarded because React's strict mode runs effects twice, and two drafts would be created.
      ensuring ??= (async () => {
        if (get().composer) return;
        if (get().drafts === null) await get().loadDrafts();
        const drafts = get().drafts;
        if (get().composer || drafts === null) return;
        if (drafts.length > 0) await get().openDraft(drafts[0]!.id);
        else await get().createDraft();
      })().finally(() => {
        ensuring = null;
      });
      return ensuring;
    },

    async openDraft(id) {
      await get().flushComposer();
      const result = await call(api.drafts.get({ id }));
      if (!result.ok) return set({ composerError: result.error });
      forgetPendingEdits();
      set({ composer: showDraft(result.value), composerError: null, saveState: 'saved', saveError: null, publishError: null });
    },

    async createDraft() {
      await get().flushComposer();
      const result = await call(api.drafts.create({}));
      if (!result.ok) return set({ composerError: result.error });
      forgetPendingEdits();
      set((state) => ({
        drafts: sortDrafts([result.value, ...(state.drafts ?? []).filter((d) => d.id !== result.value.id)]),
        composer: toOpenDraft(result.value),
        composerError: null,
        saveState: 'saved',
        saveError: null,
        publishError: null,
      }));
    },

    async adoptDraft(draft) {
      await get().flushComposer();
      forgetPendingEdits();
      set((state) => ({
        drafts: sortDrafts([draft, ...(state.drafts ?? []).filter((d) => d.id !== draft.id)]),
        composer: showDraft(draft),
        composerError: null,
        saveState: 'saved',
        saveError: null,
        publishError: null,
      }));
    },

    async deleteDraft(id) {
      const wasOpen = get().composer?.id === id;
      if (wasOpen) {
        forgetPendingEdits();
        await saveChain;
      }
      const result = await call(api.drafts.delete({ id }));
      if (!result.ok) return set({ composerError: result.error });
      set((state) => ({
        drafts: (state.drafts ?? []).filter((d) => d.id !== id),
        composer: wasOpen ? null : state.composer,
        saveState: wasOpen ? 'saved' : state.saveState,
      }));
      if (wasOpen) await get().ensureDraftOpen();
    },

    closeComposer() {
      forgetPendingEdits();
      set({
        drafts: null,
        draftsCursor: null,
        composer: null,
        composerError: null,
        saveState: 'saved',
        saveError: null,
        publishResult: null,
        publishError: null,
      });
    },

    editText(text) {
      editOpenDraft((draft) => ({ ...draft, text }));
      const current = get().composer;
      if (current?.images.length === 0 && !current.video) linkCardRefresh.schedule();
    },

    editReply(index, text) {
      if (index === 0) return get().editText(text);
      editOpenDraft((draft) => ({ ...draft, replies: draft.replies.map((reply, i) => (i === index - 1 ? text : reply)) }));
    },

    addReply() {
      editOpenDraft((draft) => ({ ...draft, replies: [...draft.replies, ''] }));
    },

    removeReply(index) {
      editOpenDraft((draft) => ({ ...draft, replies: draft.replies.filter((_, i) => i !== index - 1) }));
    },

    setSplitLongPosts(splitLongPosts) {
      editOpenDraft((draft) => ({ ...draft, splitLongPosts }));
    },

    editVariant(scope, variant) {
      editOpenDraft((draft) => ({ ...draft, variants: withVariant(draft.variants, scope, variant) }));
    },

    setTargeted(accountId, targeted) {
      editOpenDraft((draft) => ({
        ...draft,
        targetAccountIds: targeted
          ? [...new Set([...draft.targetAccountIds, accountId])]
          : draft.targetAccountIds.filter((id) => id !== accountId),
      }));
    },

    setLanguage(lang) {
      // The contract takes 2 to 35 characters a tag; anything shorter means "no language".
      editOpenDraft((draft) => ({ ...draft, langs: lang.trim().length >= 2 ? [lang.trim()] : [] }));
    },

    setContentWarning(contentWarning) {
      editOpenDraft((draft) => ({ ...draft, contentWarning }));
    },

    setVisibility(visibility) {
      editOpenDraft((draft) => ({ ...draft, visibility }));
    },

    editPin(change) {
      editOpenDraft((draft) => ({
        ...draft,
        platformOptions: { ...draft.platformOptions, pinterest: { ...emptyPinFields, ...draft.platformOptions.pinterest, ...change } },
      }));
    },

    editTikTok(change) {
      editOpenDraft((draft) => ({
        ...draft,
        platformOptions: { ...draft.platformOptions, tiktok: { ...emptyTikTokFields, ...draft.platformOptions.tiktok, ...change } },
      }));
    },

    editYouTube(change) {
      editOpenDraft((draft) => ({
        ...draft,
        platformOptions: { ...draft.platformOptions, youtube: { ...emptyYouTubeFields, ...draft.platformOptions.youtube, ...change } },
      }));
    },

    async addImages(files) {
      if (!get().composer) return;
      set({ composerError: null });
      set({ composerError: describeRefused(await addImageFiles(files)) });
    },

    async addDroppedFiles(files) {
      const draft = get().composer;
      if (!draft || files.length === 0) return;
      set({ composerError: null });
      const images: File[] = [];
      const videos: File[] = [];
      const refused: Refused[] = [];
      for (const file of files) {
        let sniffed: SniffedMedia | null = null;
        try {
          sniffed = sniffMedia(new Uint8Array(await file.slice(0, sniffHeadBytes).arrayBuffer()));
        } catch {
          // A folder dropped from the file manager is a File that cannot be read.
        }
        if (sniffed?.kind === 'image') images.push(file);
        else if (sniffed?.kind === 'video') videos.push(file);
        else refused.push({ name: file.name, error: { code: 'media_unsupported', message: `It is ${describeSniffed(sniffed)}.`, action: 'Drop JPEG, PNG, WebP, GIF or AVIF images, or one MP4, MOV or WebM video.' } });
      }
      if (images.length > 0) refused.unshift(...(await addImageFiles(images)));
      const [video, ...moreVideos] = videos;
      for (const extra of moreVideos) refused.push({ name: extra.name, error: { code: 'preflight_failed', message: 'A post takes one video.' } });
      if (video) {
        if (get().composer?.video || get().addingVideo) {
          refused.push({ name: video.name, error: { code: 'preflight_failed', message: 'A post takes one video.', action: 'Remove it before adding another.' } });
        } else {
          set({ addingVideo: true });
          const result = await call(api.drafts.addVideoFile({ draftId: draft.id, file: video }));
          set({ addingVideo: false });
          if (!result.ok) refused.push({ name: video.name, error: result.error });
          else if (result.value.outcome === 'added') {
            const added = result.value.video;
            linkCardRefresh.cancel();
            const current = get().composer;
            if (current?.id === draft.id) {
              set({ composer: { ...current, video: added } });
              void ensurePoster(draft.id, added);
            }
          }
        }
      }
      set({ composerError: describeRefused(refused) });
    },

    async moveImage(imageId, toIndex) {
      const draft = get().composer;
      if (!draft) return;
      const from = draft.images.findIndex((image) => image.id === imageId);
      if (from < 0) return;
      const images = moveItem(draft.images, from, toIndex);
      if (images.every((image, index) => image.id === draft.images[index]?.id)) return;
      // Shown at once; put back as the core has it if the core refuses.
      set({ composer: { ...draft, images } });
      const result = await call(api.drafts.reorderImages({ draftId: draft.id, imageIds: images.map((image) => image.id) }));
      if (result.ok) return;
      set({ composerError: result.error });
      const stored = await call(api.drafts.get({ id: draft.id }));
      const current = get().composer;
      if (stored.ok && current?.id === draft.id) {
        const byId = new Map(current.images.map((image) => [image.id, image]));
        // The core's order, with the alt text as typed here (it may not be saved yet).
        set({ composer: { ...current, images: stored.value.images.map((image) => byId.get(image.id) ?? image) } });
      }
    },

    editImageAlt(imageId, alt) {
      const draft = get().composer;
      if (!draft) return;
      pendingAlts.set(`image:${imageId}`, { media: 'image', draftId: draft.id, mediaId: imageId, alt });
      set({
        composer: { ...draft, images: draft.images.map((image) => (image.id === imageId ? { ...image, alt } : image)) },
        saveState: 'pending',
      });
      altAutosave.schedule();
    },

    editVideoAlt(alt) {
      const draft = get().composer;
      if (!draft?.video) return;
      pendingAlts.set(`video:${draft.video.id}`, { media: 'video', draftId: draft.id, mediaId: draft.video.id, alt });
      set({ composer: { ...draft, video: { ...draft.video, alt } }, saveState: 'pending' });
      altAutosave.schedule();
    },

    async removeImage(imageId) {
      const draft = get().composer;
      if (!draft) return;
      pendingAlts.delete(`image:${imageId}`);
      const result = await call(api.drafts.removeImage({ draftId: draft.id, imageId }));
      if (!result.ok) return set({ composerError: result.error });
      const current = get().composer;
      if (current?.id !== draft.id) return;
      const images = current.images.filter((image) => image.id !== imageId);
      set({ composer: { ...current, images } });
      settleSaveState();
      if (images.length === 0 && !current.video) linkCardRefresh.schedule();
    },

    async addVideo() {
      const draft = get().composer;
      if (!draft || get().addingVideo) return;
      set({ addingVideo: true, composerError: null });
      const result = await call(api.drafts.addVideo({ draftId: draft.id }));
      set({ addingVideo: false });
      if (!result.ok) return set({ composerError: result.error });
      if (result.value.outcome === 'cancelled') return;
      const { video } = result.value;
      linkCardRefresh.cancel();
      const current = get().composer;
      if (current?.id !== draft.id) return;
      set({ composer: { ...current, video } });
      await ensurePoster(draft.id, video);
    },

    async removeVideo() {
      const draft = get().composer;
      if (!draft?.video) return;
      pendingAlts.delete(`video:${draft.video.id}`);
      const result = await call(api.drafts.removeVideo({ draftId: draft.id, videoId: draft.video.id }));
      if (!result.ok) return set({ composerError: result.error });
      const current = get().composer;
      if (current?.id !== draft.id) return;
      set({ composer: { ...current, video: null } });
      if (current.images.length === 0) linkCardRefresh.schedule();
    },

    async removeLinkCard() {
      const draft = get().composer;
      if (!draft) return;
      linkCardRefresh.cancel();
      const result = await call(api.drafts.removeLinkCard({ draftId: draft.id }));
      if (!result.ok) return set({ composerError: result.error });
      const current = get().composer;
      if (current?.id === draft.id) set({ composer: { ...current, linkCard: null } });
    },

    async flushComposer() {
      autosave.cancel();
      altAutosave.cancel();
      await Promise.all([writeDraft(), pendingAlts.size > 0 ? writeAlts() : Promise.resolve()]);
    },

    flushBeforeLeaving() {
      // The page may be gone before a queued save gets its turn, so this one is sent at once.
      // It cannot overtake an older save: main handles bridge calls in the order they arrive.
      autosave.cancel();
      altAutosave.cancel();
      const draft = get().composer;
      if (textDirty && draft) void sendDraft(draft);
      if (pendingAlts.size > 0) void writeAlts();
    },

    async publish() {
      await moveToOutbox('publish', (draftId) => call(api.publish.now({ draftId })));
    },

    schedule(choice) {
      return moveToOutbox('schedule', (draftId) => call(api.publish.schedule({ draftId, schedule: choice })));
    },

    addToQueue(zone) {
      return moveToOutbox('queue', (draftId) => call(api.postingSlots.addToQueue({ draftId, zone })));
    },

    dismissPublishResult() {
      set({ publishResult: null, publishError: null });
    },

    dismissComposerError() {
      set({ composerError: null });
    },

    targetNewAccountInBlankDraft(account) {
      const draft = get().composer;
      // A blank draft was likely opened before any account existed; the account just connected
      // is where the user means to post.
      if (!draft || draft.text.trim() !== '' || draft.images.length > 0 || draft.video || account.status !== 'connected') return;
      if (!draft.targetAccountIds.includes(account.id)) get().setTargeted(account.id, true);
    },

    untargetAccount(accountId) {
      if (get().composer?.targetAccountIds.includes(accountId)) get().setTargeted(accountId, false);
    },
  };
};

/** One error for every file that was not added, each named, so nothing refused goes unsaid. */
/** A file the composer did not add, and why. */
interface Refused {
  name: string;
  error: BridgeError;
}

function describeRefused(refused: Refused[]): BridgeError | null {
  const [first, ...others] = refused;
  if (!first) return null;
  const named = ({ name, error }: Refused) => (name ? `${name}: ${error.message}` : error.message);
  if (others.length === 0) return { ...first.error, message: named(first) };
  return {
    code: first.error.code,
    message: `${refused.length} files were not added. ${refused.map(named).join(' ')}`,
    ...(first.error.action ? { action: first.error.action } : {}),
  };
}

function toOpenDraft(draft: Draft): OpenDraft {
  return {
    id: draft.id,
    text: draft.text,
    targetAccountIds: draft.targetAccountIds,
    langs: draft.langs,
    images: draft.images,
    video: draft.video,
    linkCard: draft.linkCard,
    contentWarning: draft.contentWarning,
    visibility: draft.visibility,
    platformOptions: draft.platformOptions,
    replies: draft.replies,
    variants: draft.variants,
    splitLongPosts: draft.splitLongPosts,
  };
}

function withVariant(variants: TextVariants, scope: VariantScope, variant: TextVariant | null): TextVariants {
  const next: TextVariants = { platforms: { ...variants.platforms }, accounts: { ...variants.accounts } };
  if ('platform' in scope) {
    if (variant) next.platforms[scope.platform] = variant;
    else delete next.platforms[scope.platform];
  } else if (variant) {
    next.accounts[scope.accountId] = variant;
  } else {
    delete next.accounts[scope.accountId];
  }
  return next;
}

function sortDrafts(drafts: Draft[]): Draft[] {
  return [...drafts].sort((a, b) => b.updatedAt - a.updatedAt);
}
