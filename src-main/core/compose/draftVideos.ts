// A draft's one video: chosen in the OS's open dialog (through the shell), probed where it is,
// streamed into the draft's folder, given the poster the composer decodes, and recorded in a post
// as its file and the probe's facts. A video of gigabytes is never held in memory and never
// crosses the bridge. The caller (ComposeService) has checked the draft is the profile's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DraftVideo, MethodOutput } from '../../../src-preload/contract';
import type { VideoContainer } from '../../../src-shared/platforms';
import { AppError } from '../errors';
import type { FilePicker } from '../ports';
import { ensurePrivateDir, writePrivateFile } from '../storage/privateFiles';
import type { DraftStore, DraftVideoRow } from './draftStore';
import type { MediaTools } from '../media/mediaTools';
import { webImageFormats } from './imageProcessing';
import type { PostVideo } from './postContent';
import { containerExtensions, videoFileExtensions, type PosterSource } from './videoProbe';

export interface DraftVideosDeps {
  /** The probe and the poster's re-encoding (in the media worker, in the app). */
  media: MediaTools;
  drafts: DraftStore;
  filePicker: FilePicker;
  draftMediaDir(draftId: string): string;
  /** The composer's preview of an image file, cached; `forget` after the file changes. */
  previews: { of(file: string): Promise<string>; forget(file: string): void };
}

export class DraftVideos {
  constructor(private readonly deps: DraftVideosDeps) {}

  /**
   * Asks the user for a video file and streams it into the draft's folder. A file that is not a
   * video Localpost reads is refused before a byte is copied; a copy that fails half-way is
   * removed, and the draft is as it was.
   */
  async add(draftId: string, draftStillThere: () => void): Promise<MethodOutput<'drafts.addVideo'>> {
    this.#assertNoVideo(draftId);
    const chosen = await this.deps.filePicker.chooseFile({
      title: 'Add a video',
      buttonLabel: 'Add video',
      filters: [{ name: 'Videos (MP4, MOV, WebM)', extensions: videoFileExtensions }],
    });
    if (chosen === null) return { outcome: 'cancelled' };
    // The draft may have gone, or got a video, while the dialog was open.
    draftStillThere();
    return this.#copyIn(draftId, chosen);
  }

  /**
   * A video the user dropped on the composer: the preload found its place on disk
   * (webUtils.getPathForFile) and only that crossed, never its bytes. The path is held to what the
   * open dialog would have let the user choose (an absolute path to a regular file named as a
   * video), then probed and copied exactly as a picked file is.
   */
  async addFile(draftId: string, file: string): Promise<MethodOutput<'drafts.addVideo'>> {
    assertDroppedVideoPath(file);
    return this.#copyIn(draftId, file);
  }

  async #copyIn(draftId: string, chosen: string): Promise<MethodOutput<'drafts.addVideo'>> {
    this.#assertNoVideo(draftId);
    const facts = await this.deps.media.probeVideo(chosen);
    const id = crypto.randomUUID();
    const dir = this.deps.draftMediaDir(draftId);
    ensurePrivateDir(dir);
    const file = `${id}.${containerExtensions[facts.container]}`;
    const partial = path.join(dir, `.${file}.partial`);
    try {
      await copyStreaming(chosen, partial);
      const copied = fs.statSync(partial).size;
      if (copied !== facts.bytes) {
        throw new AppError('media_copy_failed', 'The video changed while it was being copied; nothing of it was kept.', { action: 'Add it again once it is saved.' });
      }
      fs.renameSync(partial, path.join(dir, file));
    } catch (error) {
      fs.rmSync(partial, { force: true });
      if (error instanceof AppError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      throw new AppError('media_copy_failed', `The video could not be copied into Localpost’s data folder (${code}); nothing of it was kept.`, {
        action: code === 'ENOSPC' ? 'Free some room on the disk, then add it again.' : 'Check the file can still be opened, then add it again.',
        cause: error,
      });
    }
    const row = videoRow(draftId, id, { ...facts, file, posterFile: null, alt: '' });
    try {
      this.deps.drafts.addVideo(row);
    } catch (error) {
      fs.rmSync(path.join(dir, file), { force: true });
      // Another Add video for this draft finished first.
      if (this.deps.drafts.video(draftId)) this.#assertNoVideo(draftId);
      throw error;
    }
    return { outcome: 'added', video: await this.toDraftVideo({ ...row, poster_file: null, created_at: 0 }) };
  }

  remove(draftId: string, videoId: string): void {
    const removed = this.deps.drafts.removeVideo(draftId, videoId);
    if (!removed) return;
    const dir = this.deps.draftMediaDir(draftId);
    fs.rmSync(path.join(dir, removed.file_name), { force: true });
    if (removed.poster_file) fs.rmSync(path.join(dir, removed.poster_file), { force: true });
  }

  /** One key frame and its decoder setup, for the composer to decode into the poster. */
  posterSource(draftId: string, videoId: string): Promise<PosterSource> {
    return this.deps.media.posterSource(path.join(this.deps.draftMediaDir(draftId), this.#video(draftId, videoId).file_name));
  }

  /** Keeps the poster the composer decoded, re-encoded here as any image from outside is. */
  async setPoster(draftId: string, videoId: string, jpeg: Uint8Array): Promise<DraftVideo> {
    const video = this.#video(draftId, videoId);
    const fitted = await this.deps.media.fitImage(jpeg, webImageFormats);
    const posterFile = `poster-${videoId}.${fitted.mime.split('/')[1]}`;
    const posterPath = path.join(this.deps.draftMediaDir(draftId), posterFile);
    writePrivateFile(posterPath, fitted.data);
    this.deps.previews.forget(posterPath);
    this.deps.drafts.setVideoPoster(draftId, videoId, posterFile);
    return this.toDraftVideo({ ...video, poster_file: posterFile });
  }

  /** A post's video back in a new draft (Edit on a scheduled post), its files shared, not copied. */
  restore(draftId: string, video: PostVideo, sourceDir: string): void {
    const destDir = this.deps.draftMediaDir(draftId);
    for (const file of [video.file, ...(video.posterFile ? [video.posterFile] : [])]) shareFile(path.join(sourceDir, file), path.join(destDir, file));
    const id = crypto.randomUUID();
    this.deps.drafts.addVideo(videoRow(draftId, id, video));
    if (video.posterFile) this.deps.drafts.setVideoPoster(draftId, id, video.posterFile);
  }

  async toDraftVideo(row: DraftVideoRow): Promise<DraftVideo> {
    const poster = row.poster_file ? path.join(this.deps.draftMediaDir(row.draft_id), row.poster_file) : null;
    return {
      id: row.id,
      mime: row.mime,
      ...videoFacts(row),
      alt: row.alt,
      posterDataUrl: poster ? await this.deps.previews.of(poster).catch(() => null) : null,
    };
  }

  #video(draftId: string, videoId: string): DraftVideoRow {
    const video = this.deps.drafts.video(draftId);
    if (!video || video.id !== videoId) throw new AppError('not_found', 'That video is no longer in the draft.');
    return video;
  }

  #assertNoVideo(draftId: string): void {
    if (this.deps.drafts.video(draftId)) {
      throw new AppError('preflight_failed', 'A post takes one video.', { action: 'Remove it before adding another.' });
    }
  }
}

/** What the open dialog's filter and the OS guarantee of a picked file, checked of a dropped one. */
export function assertDroppedVideoPath(file: string): void {
  const refuse = (why: string) => new AppError('media_unsupported', `That dropped file ${why}.`, { action: 'Add the video with Add video instead.' });
  if (!path.isAbsolute(file) || path.normalize(file) !== file) throw refuse('has no usable place on disk');
  const extension = path.extname(file).slice(1).toLowerCase();
  if (!(videoFileExtensions as readonly string[]).includes(extension)) throw refuse(`is not named as an MP4, MOV or WebM video (.${extension || 'no extension'})`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw refuse('cannot be found any more');
  }
  if (!stat.isFile()) throw refuse('is not a file');
}

/** The probe's facts, as preflight reads them and the composer shows them. */
export function videoFacts(row: DraftVideoRow) {
  return {
    container: row.container as VideoContainer,
    videoCodec: row.video_codec,
    audioCodec: row.audio_codec,
    durationSeconds: row.duration_seconds,
    width: row.width,
    height: row.height,
    frameRate: row.frame_rate,
    bytes: row.bytes,
  };
}

/** The post's record of a draft's video: the file's name and the probe's facts. */
export function toPostVideo(row: DraftVideoRow): PostVideo {
  return { file: row.file_name, posterFile: row.poster_file, mime: row.mime, videoCodecString: row.video_codec_string, alt: row.alt, ...videoFacts(row) };
}

/** The row a video is stored as, from a post's record of it or from a fresh probe. */
function videoRow(draftId: string, id: string, video: PostVideo): Omit<DraftVideoRow, 'created_at' | 'poster_file'> {
  return {
    draft_id: draftId,
    id,
    file_name: video.file,
    mime: video.mime,
    container: video.container,
    video_codec: video.videoCodec,
    video_codec_string: video.videoCodecString,
    audio_codec: video.audioCodec,
    duration_seconds: video.durationSeconds,
    width: video.width,
    height: video.height,
    frame_rate: video.frameRate,
    bytes: video.bytes,
    alt: video.alt ?? '',
  };
}

/**
 * Gives `to` the content of `from` without reading it: a hard link where both are on one disk
 * (the data folder: instant, whatever the size, and the draft's copy goes right after), otherwise
 * the OS's own file copy (copy_file_range, a clone on APFS and Btrfs), which never passes the
 * bytes through this process either. Files in the data folder are never changed once written,
 * so two names for one file are safe.
 */
export function shareFile(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
  }
}

/**
 * Copies a file of any size through a small buffer (Node's default 64 KiB chunks), with the
 * copy readable by the user only, like every file in the data folder.
 */
async function copyStreaming(from: string, to: string): Promise<void> {
  await pipeline(fs.createReadStream(from), fs.createWriteStream(to, { flags: 'wx', mode: 0o600 }));
}
