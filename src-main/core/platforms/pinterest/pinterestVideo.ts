// A video for a pin (developers.pinterest.com/docs/api-features/creating-boards-and-pins/
// #creating-video-pins, and the description's `media/create`, `media/get`): `POST /v5/media`
// registers the upload and answers an S3 presigned POST (`upload_url`, `upload_parameters`); the
// file goes there as a form, every parameter first and the file last, streamed from disk; Pinterest
// then processes it until `GET /v5/media/{media_id}` says `succeeded`. None of it creates a pin:
// only `POST /v5/pins` naming the media does. The media id is saved as the upload's handle, so an
// attempt after a restart asks Pinterest how that upload ended instead of uploading it again.
import { AppError } from '../../errors';
import { isTrustedUploadAddress } from '../../http/uploadAddress';
import { chunkedUpload } from '../../http/chunkedUpload';
import { streamedRequest } from '../../http/fileRangeBody';
import { classifyHttpFailure } from '../../http/platformFailure';
import type { UploadRetry } from '../../http/uploadSession';
import type { Logger } from '../../log/logger';
import type { Clock, HttpFetch } from '../../ports';
import type { OutgoingPost, OutgoingVideo } from '../adapter';

/** Waiting for Pinterest to process an uploaded video; past `timeoutMs` the attempt fails before
 *  any pin, and the next one goes on waiting for the same media. */
export interface VideoProcessingWait {
  firstCheckAfterMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
}

export const pinterestVideoProcessingWait: VideoProcessingWait = {
  firstCheckAfterMs: 500,
  maxIntervalMs: 5_000,
  timeoutMs: 5 * 60_000,
};

export interface PinterestVideoDeps {
  /** The transport alone: the S3 upload is authorized by its presigned fields, never by the account's token. */
  fetch: HttpFetch;
  clock: Clock;
  log: Logger;
  /** An API call for the account (`/media`, relative to its API base), its answer whatever the status. */
  request(path: string, init: RequestInit): Promise<Response>;
  /** The account's API base, which the upload address Pinterest answers is held to. */
  apiBase: string;
  /** Pinterest's refusal (consuming the answer's body) as Localpost's error. */
  problem(response: Response): Promise<AppError>;
  wait: VideoProcessingWait;
  retry?: UploadRetry;
}

/** What is saved as the target's upload handle. */
interface SavedMedia {
  pinterestMedia: string;
  fileSizeBytes: number;
  /** S3 answered the upload: from here on Pinterest's status says how it ended. */
  uploaded: boolean;
}

type MediaStatus = 'registered' | 'processing' | 'succeeded' | 'failed';

/** Uploads the post's video (or settles the saved upload) and returns its media id once it has succeeded. */
export async function uploadPinterestVideo(deps: PinterestVideoDeps, post: OutgoingPost, video: OutgoingVideo): Promise<string> {
  const saved = savedMedia(post.uploadHandle.saved, video.bytes);
  if (saved) {
    const status = await mediaStatus(deps, saved.pinterestMedia);
    // A media S3 never took (Localpost stopped mid-upload) is left registered, unused: the file
    // goes again under a new one. One that is gone is uploaded afresh too.
    if (status !== null && (saved.uploaded || status !== 'registered')) return waitUntilSucceeded(deps, post, saved.pinterestMedia, status);
  }

  const registered = await deps.request('/media', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ media_type: 'video' }),
  });
  if (!registered.ok) throw await deps.problem(registered);
  const answer = (await registered.json().catch(() => ({}))) as { media_id?: unknown; upload_url?: unknown; upload_parameters?: unknown };
  const parameters = uploadParameters(answer.upload_parameters);
  if (typeof answer.media_id !== 'string' || !/^\d+$/.test(answer.media_id) || !parameters || !isTrustedUploadAddress(answer.upload_url, deps.apiBase)) {
    throw new AppError('platform_rejected', 'Pinterest answered a video upload without a safe address to send it to.', { action: 'Publish again; nothing was pinned.' });
  }
  const mediaId = answer.media_id;
  const uploadUrl = answer.upload_url;
  const handle: SavedMedia = { pinterestMedia: mediaId, fileSizeBytes: video.bytes, uploaded: false };
  await post.uploadHandle.save(handle);

  const extension = video.mime === 'video/quicktime' ? 'mov' : 'mp4';
  await chunkedUpload({
    file: { path: video.path, size: video.bytes },
    // One request: a presigned POST takes the whole file.
    chunks: [{ start: 0, end: video.bytes }],
    async sendChunk(chunk, signal) {
      // AWS S3 "POST Object": the policy's fields come before the file, as fields after it are ignored.
      const form = chunk.formBody(parameters, { field: 'file', filename: `video.${extension}`, contentType: video.mime });
      const response = await deps.fetch(uploadUrl, { method: 'POST', ...streamedRequest(form, { 'content-type': form.contentType }), ...(signal ? { signal } : {}) });
      if (!response.ok) throw await s3Problem(response, deps.clock.now());
      await response.body?.cancel();
    },
    async saveState() {
      await post.uploadHandle.save({ ...handle, uploaded: true });
    },
    onProgress: (progress) => post.reportProgress(progress.sentBytes, progress.totalBytes),
    ...(deps.retry ? { retry: deps.retry } : {}),
  }).catch(async (error: unknown) => {
    // S3 refused the form for good (an expired policy): the next attempt registers a new upload.
    if (error instanceof AppError && error.code === 'platform_rejected' && !error.transient) await post.uploadHandle.save(null);
    throw error;
  });
  return waitUntilSucceeded(deps, post, mediaId, 'registered');
}

/**
 * `GET /v5/media/{media_id}` until its `status` is `succeeded`; `failed` is final: the upload is
 * forgotten and the target fails with `media_unsupported`.
 */
async function waitUntilSucceeded(deps: PinterestVideoDeps, post: OutgoingPost, mediaId: string, known: MediaStatus): Promise<string> {
  if (known === 'succeeded') return mediaId;
  if (known === 'failed') return failed(deps, post, mediaId);
  const { wait } = deps;
  const deadline = deps.clock.now() + wait.timeoutMs;
  for (let interval = wait.firstCheckAfterMs; ; interval = Math.min(interval * 2, wait.maxIntervalMs)) {
    await sleep(interval);
    const status = await mediaStatus(deps, mediaId);
    if (status === 'succeeded') return mediaId;
    if (status === 'failed') return failed(deps, post, mediaId);
    if (status === null) {
      await post.uploadHandle.save(null);
      throw new AppError('platform_rejected', 'Pinterest lost the video just uploaded.', { action: 'Localpost uploads it again by itself; nothing was pinned.', transient: true });
    }
    if (deps.clock.now() >= deadline) {
      throw new AppError('platform_rejected', `Pinterest was still processing the video after ${Math.round(wait.timeoutMs / 60_000)} minutes.`, {
        action: 'Localpost tries again by itself in a while, without uploading it again; nothing was pinned.',
        transient: true,
      });
    }
  }
}

async function failed(deps: PinterestVideoDeps, post: OutgoingPost, mediaId: string): Promise<never> {
  await post.uploadHandle.save(null);
  deps.log.warn('Pinterest could not process a video', { media: mediaId });
  throw new AppError('media_unsupported', 'Pinterest could not process the video (its upload status is failed).', {
    action: 'Try another video (MP4 or MOV with H.264 video, 4 seconds to 15 minutes); nothing was pinned.',
  });
}

/** The media's status, or null when Pinterest does not know it (404). */
async function mediaStatus(deps: PinterestVideoDeps, mediaId: string): Promise<MediaStatus | null> {
  const response = await deps.request(`/media/${encodeURIComponent(mediaId)}`, { method: 'GET' });
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) throw await deps.problem(response);
  const status = ((await response.json().catch(() => ({}))) as { status?: unknown }).status;
  if (status === 'registered' || status === 'processing' || status === 'succeeded' || status === 'failed') return status;
  throw new AppError('platform_rejected', 'Pinterest answered a video’s status with one Localpost does not know.', {
    action: 'Localpost tries again by itself in a while; nothing was pinned.',
    transient: true,
  });
}

/**
 * An S3 refusal (AWS S3 API Reference, "Error responses": an XML `<Error>` with `Code` and
 * `Message`), as Localpost's error: a 5xx or `SlowDown` passes, a refused policy does not.
 */
async function s3Problem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1]?.trim();
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1]?.trim();
  const said = [code, message].filter(Boolean).join(': ');
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, ...(said ? { said } : {}) },
    { platformName: 'Pinterest’s video storage', authFailed: [], tooLarge: [413], tooLargeAction: 'Use a smaller video (at most 2 GB).' },
    now,
  );
}

/** The presigned POST's fields, each a string (the description's `MediaUploadParameters`). */
function uploadParameters(raw: unknown): Record<string, string> | null {
  if (!raw || typeof raw !== 'object') return null;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([, value]) => typeof value === 'string')) return null;
  return Object.fromEntries(entries) as Record<string, string>;
}

function savedMedia(saved: unknown, bytes: number): SavedMedia | null {
  const media = saved as Partial<SavedMedia> | null;
  if (!media || typeof media !== 'object' || typeof media.pinterestMedia !== 'string' || media.fileSizeBytes !== bytes || typeof media.uploaded !== 'boolean') return null;
  return media as SavedMedia;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
