// A video to X by the v2 chunked media upload (docs.x.com, x-api/media/quickstart/
// media-upload-chunked; openapi.json `initializeMediaUpload`, `appendMediaUpload`,
// `finalizeMediaUpload`, `getMediaUploadStatus`):
//   1. `POST /2/media/upload/initialize` with JSON `{ media_type, total_bytes, media_category:
//      "tweet_video" }` → `{ data: { id, expires_after_secs } }`;
//   2. `POST /2/media/upload/{id}/append`, multipart `segment_index` and `media` (one chunk of at
//      most 5 MB, "It must be <= 5 MB"), once per chunk, in order;
//   3. `POST /2/media/upload/{id}/finalize` → `processing_info` for a video;
//   4. `GET /2/media/upload?command=STATUS&media_id=` after `check_after_secs`, while the state is
//      `pending` or `in_progress`, until `succeeded` or `failed`.
// The media id and the chunks X acknowledged are saved as the target's upload handle as they
// happen, so the next attempt (after a 429, after a restart) continues the same upload while X
// still has it. A media upload creates no post: starting it over never duplicates one.
import { AppError } from '../../errors';
import { chunkSpans, chunkedUpload } from '../../http/chunkedUpload';
import { streamedRequest } from '../../http/fileRangeBody';
import { UploadFailure, isUploadFailure, type UploadRetry } from '../../http/uploadSession';
import type { Clock } from '../../ports';
import type { OutgoingPost, OutgoingVideo } from '../adapter';
import { xProblem } from './xErrors';

/**
 * 4 MiB a chunk: under X's 5 MB per APPEND however X counts a megabyte, and 512 MB (X's video
 * limit) is then 128 chunks, well inside `segment_index`'s 0–999 (openapi.json
 * `AppendMediaUploadRequest`).
 */
export const xVideoChunkBytes = 4 * 1024 * 1024;

/** A media id this close to its end is not worth continuing: the post may not be sent in time. */
const expiryMarginMs = 60_000;

/** What the target keeps between attempts. */
interface XVideoHandle {
  mediaId: string;
  /** When X forgets the upload (epoch ms): INIT's `expires_after_secs` from when it answered. */
  expiresAt: number;
  totalBytes: number;
  chunkBytes: number;
  /** Chunks X acknowledged, from the first: the next attempt sends from this one. */
  acknowledgedSegments: number;
  /** FINALIZE was answered: only the processing is left to wait for. */
  finalized: boolean;
}

export interface XVideoUploadDeps {
  /** An authorized request to X's API (`apiBase` + path); the answer as it came, failed or not. */
  send(path: string, init: RequestInit): Promise<Response>;
  clock: Clock;
  /** Waits between STATUS checks; injected so tests can count them. */
  sleep?(ms: number): Promise<void>;
  /** Retries of one chunk's passing trouble (a 5xx, a dropped connection). */
  retry?: UploadRetry;
  /** The longest the adapter waits for X to process a video before the outbox tries later. */
  processingTimeoutMs?: number;
}

/** Uploads the post's video and waits until X has processed it; returns its media id. */
export async function uploadXVideo(deps: XVideoUploadDeps, video: OutgoingVideo, post: Pick<OutgoingPost, 'reportProgress' | 'uploadHandle'>): Promise<string> {
  let handle = usableHandle(post.uploadHandle.saved, video, deps.clock.now());
  // X forgetting the media (expired early, or never kept) is answered by one fresh upload per
  // attempt; a second refusal is reported rather than looping.
  for (let fresh = handle === null; ; fresh = true) {
    try {
      if (!handle) handle = await initialize(deps, video, post);
      if (!handle.finalized) {
        await appendChunks(deps, video, post, handle);
        return await processed(deps, handle, await finalize(deps, handle, post));
      }
      // Finalized on an earlier attempt: ask how the processing stands.
      return await processed(deps, handle, await status(deps, handle));
    } catch (error) {
      if (!isUploadFailure(error, 'session_expired') || fresh) throw error;
      handle = null;
    }
  }
}

/** The saved handle, when it is this video's and X should still have its media. */
function usableHandle(saved: unknown, video: OutgoingVideo, now: number): XVideoHandle | null {
  if (!saved || typeof saved !== 'object') return null;
  const handle = saved as Partial<XVideoHandle>;
  const valid =
    typeof handle.mediaId === 'string' &&
    /^[0-9]{1,19}$/.test(handle.mediaId) &&
    typeof handle.expiresAt === 'number' &&
    handle.totalBytes === video.bytes &&
    handle.chunkBytes === xVideoChunkBytes &&
    Number.isSafeInteger(handle.acknowledgedSegments) &&
    typeof handle.finalized === 'boolean';
  if (!valid || handle.expiresAt! - expiryMarginMs <= now) return null;
  return handle as XVideoHandle;
}

async function initialize(deps: XVideoUploadDeps, video: OutgoingVideo, post: Pick<OutgoingPost, 'uploadHandle'>): Promise<XVideoHandle> {
  const response = await deps.send('/2/media/upload/initialize', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ media_type: video.mime, total_bytes: video.bytes, media_category: 'tweet_video' }),
  });
  if (!response.ok) throw await xProblem(response, deps.clock.now());
  const data = ((await response.json()) as { data?: { id?: unknown; expires_after_secs?: unknown } }).data;
  if (typeof data?.id !== 'string' || !/^[0-9]{1,19}$/.test(data.id)) {
    throw new AppError('platform_rejected', 'X answered the start of a video upload without its media id.', { action: 'Publish again; nothing was posted.' });
  }
  // X's examples say a day or more; without the field, assume an hour (the v1.1 docs' 3599 s).
  const seconds = typeof data.expires_after_secs === 'number' && data.expires_after_secs > 0 ? data.expires_after_secs : 3600;
  const handle: XVideoHandle = {
    mediaId: data.id,
    expiresAt: deps.clock.now() + seconds * 1000,
    totalBytes: video.bytes,
    chunkBytes: xVideoChunkBytes,
    acknowledgedSegments: 0,
    finalized: false,
  };
  await post.uploadHandle.save(handle);
  return handle;
}

async function appendChunks(deps: XVideoUploadDeps, video: OutgoingVideo, post: Pick<OutgoingPost, 'reportProgress' | 'uploadHandle'>, handle: XVideoHandle): Promise<void> {
  const chunks = chunkSpans(video.bytes, handle.chunkBytes);
  const acknowledged = Math.min(handle.acknowledgedSegments, chunks.length);
  await chunkedUpload({
    file: { path: video.path, size: video.bytes },
    chunks,
    resumeFrom: { uploadedBytes: acknowledged === 0 ? 0 : chunks[acknowledged - 1]!.end },
    ...(deps.retry ? { retry: deps.retry } : {}),
    onProgress: (progress) => post.reportProgress(progress.sentBytes, progress.totalBytes),
    saveState: async (state) => {
      handle.acknowledgedSegments = chunks.findIndex((chunk) => chunk.end === state.uploadedBytes) + 1;
      await post.uploadHandle.save(handle);
    },
    sendChunk: async (chunk) => {
      const form = chunk.formBody({ segment_index: String(chunk.index) }, { field: 'media', filename: `segment-${chunk.index}`, contentType: 'application/octet-stream' });
      const response = await deps.send(`/2/media/upload/${handle.mediaId}/append`, {
        method: 'POST',
        ...streamedRequest(form, { 'content-type': form.contentType }),
      });
      await failUnlessOk(deps, response, handle);
      await response.body?.cancel();
    },
  });
}

type ProcessingInfo = { state?: unknown; check_after_secs?: unknown; progress_percent?: unknown; error?: { message?: unknown; name?: unknown } };

async function finalize(deps: XVideoUploadDeps, handle: XVideoHandle, post: Pick<OutgoingPost, 'uploadHandle'>): Promise<ProcessingInfo | undefined> {
  const response = await deps.send(`/2/media/upload/${handle.mediaId}/finalize`, { method: 'POST' });
  await failUnlessOk(deps, response, handle);
  const data = ((await response.json()) as { data?: { processing_info?: ProcessingInfo } }).data;
  handle.finalized = true;
  await post.uploadHandle.save(handle);
  return data?.processing_info;
}

/**
 * X processes a video after FINALIZE: `processing_info` says `pending` or `in_progress` and when
 * to look again (`check_after_secs`); no `processing_info` means it is ready (docs.x.com,
 * media-upload-chunked, "STATUS"). Only a `succeeded` video may go into a post.
 */
async function processed(deps: XVideoUploadDeps, handle: XVideoHandle, first: ProcessingInfo | undefined): Promise<string> {
  const timeoutMs = deps.processingTimeoutMs ?? 5 * 60_000;
  const deadline = deps.clock.now() + timeoutMs;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let info = first;
  for (;;) {
    const state = info?.state;
    if (info === undefined || state === 'succeeded') return handle.mediaId;
    if (state === 'failed') {
      const said = typeof info.error?.message === 'string' && info.error.message.trim() ? info.error.message.trim() : 'it gave no reason';
      throw new AppError('media_unsupported', `X could not process the video: ${said}.`, {
        action: 'Try another file (MP4 with H.264 video and AAC sound is the safest); nothing was posted.',
        delivery: 'not_sent',
      });
    }
    if (deps.clock.now() >= deadline) {
      // X may only be busy: the next attempt asks again from the saved handle.
      throw new AppError('platform_rejected', `X was still processing the video after ${Math.round(timeoutMs / 60_000)} minutes.`, {
        action: 'Localpost tries again by itself in a while; nothing was posted.',
        transient: true,
        delivery: 'not_sent',
      });
    }
    const after = typeof info.check_after_secs === 'number' && info.check_after_secs > 0 ? info.check_after_secs : 1;
    await sleep(Math.min(after * 1000, Math.max(0, deadline - deps.clock.now()) + 1));
    info = await status(deps, handle);
  }
}

async function status(deps: XVideoUploadDeps, handle: XVideoHandle): Promise<ProcessingInfo | undefined> {
  const query = new URLSearchParams({ command: 'STATUS', media_id: handle.mediaId });
  const response = await deps.send(`/2/media/upload?${query}`, { method: 'GET' });
  await failUnlessOk(deps, response, handle);
  return ((await response.json()) as { data?: { processing_info?: ProcessingInfo } }).data?.processing_info;
}

/**
 * A failed answer as an AppError. X answers a media id it no longer has (expired, or never
 * finished) with 404 and a `resource-not-found` problem (openapi.json `ResourceNotFoundProblem`):
 * that upload cannot go on, and a fresh one starts.
 */
async function failUnlessOk(deps: XVideoUploadDeps, response: Response, handle: XVideoHandle): Promise<void> {
  if (response.ok) return;
  if (response.status === 404) {
    await response.body?.cancel();
    throw new UploadFailure('session_expired', `X no longer has the video upload ${handle.mediaId}.`, { action: 'Publish again; the upload starts over.' });
  }
  throw await xProblem(response, deps.clock.now());
}
