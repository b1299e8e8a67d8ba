// "Export my data": everything the user made or connected, as one JSON document and the media
// files it names, in a folder they chose. The format is versioned and documented in
// docs/export-format.md; change both together.
//
// Nothing secret goes in: accounts are described by their non-secret columns only (the same ones
// the bridge shows), and the vault is never read. Webhook URLs, bot tokens, sessions, OAuth
// tokens, client secrets and the wrapped data key live only in the vault and its metadata.
import fs from 'node:fs';
import path from 'node:path';
import type { Account, Post, PostingSlot, Settings } from '../../../src-preload/contract';
import type { AccountStore } from '../accounts/accountStore';
import type { PostingSlotStore } from '../calendar/postingSlotStore';
import type { DraftStore, DraftVideoRow } from '../compose/draftStore';
import type { PostContent, PostVideo } from '../compose/postContent';
import { toPostVideo } from '../compose/draftVideos';
import type { PostStore } from '../outbox/postStore';
import type { ProfileStore } from '../profiles/profileStore';
import { ensurePrivateDir, writePrivateFile } from '../storage/privateFiles';

export const exportFormatVersion = 1;
export const exportDocumentName = 'localpost-export.json';

export interface ExportSources {
  profiles: ProfileStore;
  accounts: AccountStore;
  drafts: DraftStore;
  posts: PostStore;
  postingSlots: Pick<PostingSlotStore, 'ofAccount'>;
  settings: () => Settings;
  /** Where draft images live (`<mediaDir>/<draftId>/`) and post images (`<postsMediaDir>/<postId>/`). */
  mediaDir: string;
  postsMediaDir: string;
  appVersion: string;
}

export interface ExportSummary {
  folderName: string;
  profiles: number;
  accounts: number;
  drafts: number;
  posts: number;
  mediaFiles: number;
}

type IsoTime = string;

interface ExportedImage {
  /** Relative to the export folder; null when the file is no longer kept (a post's images are
   *  kept only until every target is done). */
  file: string | null;
  mime: string;
  width: number;
  height: number;
  alt: string;
}

interface ExportedLinkCard {
  url: string;
  title: string;
  description: string;
  imageFile: string | null;
}

/**
 * Writes `<chosenFolder>/Localpost export <date>/` (with ` (2)`, ` (3)`... when that name is
 * taken). It is built under a hidden name and renamed at the end, so a failure half-way leaves
 * no folder that looks complete.
 */
export function writeExport(sources: ExportSources, chosenFolder: string, now: Date, timeZone: string): ExportSummary {
  const folderName = freeName(chosenFolder, `Localpost export ${localDate(now, timeZone)}`);
  const partial = path.join(chosenFolder, `.${folderName}.partial`);
  fs.rmSync(partial, { recursive: true, force: true });
  ensurePrivateDir(partial);
  try {
    const copier = mediaCopier(partial);
    const profiles = sources.profiles.list().map((profile) => {
      const accounts = sources.accounts.listWithDisconnected(profile.id).map((account) => exportAccount(account, sources.postingSlots.ofAccount(account.id)));
      const drafts = sources.drafts.ids(profile.id).map((id) => {
        const row = sources.drafts.row(profile.id, id);
        const from = path.join(sources.mediaDir, id);
        const card = sources.drafts.linkCard(row);
        return {
          id: row.id,
          text: row.text,
          targetAccountIds: JSON.parse(row.target_account_ids) as string[],
          langs: JSON.parse(row.langs) as string[],
          contentWarning: row.content_warning,
          visibility: row.visibility,
          platformOptions: sources.drafts.platformOptions(row),
          images: sources.drafts.images(id).map((image) => ({
            file: copier.copy(from, image.file_name, `drafts/${id}`),
            mime: image.mime,
            width: image.width,
            height: image.height,
            alt: image.alt,
          })),
          video: exportVideo(sources.drafts.video(id), (file) => copier.copy(from, file, `drafts/${id}`)),
          linkCard: card && exportLinkCard(card, copier.copy(from, card.imageFile, `drafts/${id}`)),
          createdAt: iso(row.created_at),
          updatedAt: iso(row.updated_at),
        };
      });
      const posts = sources.posts.list(profile.id, { limit: -1 }).map((post) => exportPost(post, contentOf(sources.posts, post.id), sources.postsMediaDir, copier));
      return { id: profile.id, name: profile.name, createdAt: iso(profile.createdAt), accounts, drafts, posts };
    });

    const document = {
      format: 'localpost-export',
      version: exportFormatVersion,
      exportedAt: now.toISOString(),
      localpostVersion: sources.appVersion,
      activeProfileId: sources.profiles.activeId(),
      settings: sources.settings(),
      profiles,
    };
    writePrivateFile(path.join(partial, exportDocumentName), JSON.stringify(document, null, 2) + '\n');
    fs.renameSync(partial, path.join(chosenFolder, folderName));
    return {
      folderName,
      profiles: profiles.length,
      accounts: profiles.reduce((n, p) => n + p.accounts.length, 0),
      drafts: profiles.reduce((n, p) => n + p.drafts.length, 0),
      posts: profiles.reduce((n, p) => n + p.posts.length, 0),
      mediaFiles: copier.count(),
    };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** The account as the bridge describes it (no secret is an account column), plus when it was
 *  disconnected: history still names disconnected accounts. */
function exportAccount(account: Account & { disconnectedAt: number | null }, postingSlots: PostingSlot[]) {
  return {
    id: account.id,
    platform: account.platform,
    handle: account.handle,
    displayName: account.displayName,
    remoteId: account.remoteId,
    service: account.service,
    status: account.status,
    statusReason: account.statusReason,
    limits: account.limits,
    spendingCap: account.spendingCap,
    connectedAt: iso(account.createdAt),
    disconnectedAt: account.disconnectedAt === null ? null : iso(account.disconnectedAt),
    postingSlots,
  };
}

function exportPost(post: Post, content: PostContent | null, postsMediaDir: string, copier: MediaCopier) {
  const from = path.join(postsMediaDir, post.id);
  const images: ExportedImage[] = (content?.images ?? []).map((image) => ({
    file: copier.copy(from, image.file, `posts/${post.id}`),
    mime: image.mime,
    width: image.width,
    height: image.height,
    alt: image.alt,
  }));
  return {
    id: post.id,
    text: post.text,
    langs: content?.langs ?? [],
    contentWarning: content?.contentWarning ?? '',
    visibility: content?.visibility ?? 'public',
    platformOptions: content?.platformOptions ?? {},
    images,
    linkCard: content?.linkCard ? exportLinkCard(content.linkCard, copier.copy(from, content.linkCard.imageFile, `posts/${post.id}`)) : null,
    video: content?.video ? exportPostVideo(content.video, (file) => copier.copy(from, file, `posts/${post.id}`)) : null,
    createdAt: iso(post.createdAt),
    phase: post.phase,
    schedule: post.scheduledAt === null ? null : { at: iso(post.scheduledAt), zone: post.scheduleZone, local: post.scheduleLocal },
    targets: post.targets.map((target) => ({
      accountId: target.accountId,
      platform: target.platform,
      handle: target.handle,
      status: target.status,
      remoteId: target.uri,
      url: target.url,
      // Already redacted when it was stored (AppError.toBridge).
      error: target.error && { code: target.error.code, message: target.error.message, action: target.error.action ?? null },
      attempts: target.attempts,
      lastAttemptAt: iso(target.attemptedAt),
      nextAttemptAt: target.nextAttemptAt === null ? null : iso(target.nextAttemptAt),
    })),
  };
}

/** The draft's video as probed, its file and poster copied like images (streamed by the OS's
 *  own file copy, whatever the size). */
function exportVideo(video: DraftVideoRow | undefined, copy: (file: string | null) => string | null) {
  return video ? exportPostVideo(toPostVideo(video), copy) : null;
}

/** A post's video, exported as a draft's is. */
function exportPostVideo(video: PostVideo, copy: (file: string | null) => string | null) {
  return {
    file: copy(video.file),
    posterFile: copy(video.posterFile),
    mime: video.mime,
    container: video.container,
    videoCodec: video.videoCodec,
    audioCodec: video.audioCodec,
    durationSeconds: video.durationSeconds,
    width: video.width,
    height: video.height,
    frameRate: video.frameRate,
    bytes: video.bytes,
    alt: video.alt ?? '',
  };
}

function exportLinkCard(card: { url: string; title: string; description: string }, imageFile: string | null): ExportedLinkCard {
  return { url: card.url, title: card.title, description: card.description, imageFile };
}

/** Posts recorded before posts kept their own content have none: their text is still exported. */
function contentOf(posts: PostStore, postId: string): PostContent | null {
  try {
    return posts.content(postId);
  } catch {
    return null;
  }
}

interface MediaCopier {
  /** Copies `<fromDir>/<file>` to `media/<under>/<file>`; the exported path, or null when there
   *  is no such file any more. */
  copy(fromDir: string, file: string | null, under: string): string | null;
  count(): number;
}

function mediaCopier(exportDir: string): MediaCopier {
  let copied = 0;
  return {
    copy(fromDir, file, under) {
      if (!file) return null;
      // Stored names are the core's own (a UUID and an extension); basename keeps it that way.
      const name = path.basename(file);
      const source = path.join(fromDir, name);
      if (!fs.existsSync(source)) return null;
      const relative = `media/${under}/${name}`;
      ensurePrivateDir(path.join(exportDir, 'media', ...under.split('/')));
      fs.copyFileSync(source, path.join(exportDir, relative));
      fs.chmodSync(path.join(exportDir, relative), 0o600);
      copied += 1;
      return relative;
    },
    count: () => copied,
  };
}

function freeName(parent: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} (${n})`;
    if (!fs.existsSync(path.join(parent, name))) return name;
  }
}

/** `2026-12-02` in the user's zone: the day they made the export, as they would name it. */
function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function iso(epochMs: number): IsoTime {
  return new Date(epochMs).toISOString();
}
