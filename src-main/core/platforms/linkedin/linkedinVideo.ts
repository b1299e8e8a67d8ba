// A video for a LinkedIn post (learn.microsoft.com, linkedin/marketing/community-management/shares/
// videos-api): `initializeUpload` says how the file is cut into parts and where each goes, each
// part is PUT to its own address and answered with an ETag, `finalizeUpload` names the ETags in
// order, and LinkedIn then processes the video until its status is AVAILABLE. None of it creates a
// post: only the post that names the video's URN does. Where the upload stands (the video's URN,
// its token, the parts' addresses and the ETags so far) is saved as the upload's handle, so an
// attempt after a restart sends only the parts LinkedIn has not acknowledged.
import { AppError } from '../../errors';
import { chunkedUpload, type ChunkToSend } from '../../http/chunkedUpload';
import { streamedRequest } from '../../http/fileRangeBody';
import type { Logger } from '../../log/logger';
import { isTrustedUploadAddress } from '../../http/uploadAddress';
import type { Clock, HttpFetch } from '../../ports';
import type { UploadRetry } from '../../http/uploadSession';
import type { OutgoingPost, OutgoingVideo } from '../adapter';
import { linkedinProblem } from './linkedinErrors';

/**
 * Waiting for an uploaded video to be processed: LinkedIn takes seconds to minutes. Past
 * `timeoutMs` the attempt fails before any post, and the next attempt goes on waiting for the same
 * video instead of uploading it again.
 */
export interface VideoProcessingWait {
  firstCheckAfterMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
  /** When the status cannot be read (403: the app may not read videos), the pause before posting anyway. */
  unreadableGraceMs: number;
}

export const linkedinVideoProcessingWait: VideoProcessingWait = {
  firstCheckAfterMs: 500,
  maxIntervalMs: 5_000,
  timeoutMs: 5 * 60_000,
  unreadableGraceMs: 15_000,
};

export interface LinkedInVideoDeps {
  /** The transport alone: the parts go to LinkedIn's upload addresses, which need no bearer token. */
  fetch: HttpFetch;
  clock: Clock;
  log: Logger;
  /** A versioned API call for the member, its answer whatever the status. */
  request(path: string, init: RequestInit): Promise<Response>;
  /** The member's API base, which the part addresses LinkedIn answers are held to. */
  apiBase: string;
  wait: VideoProcessingWait;
  retry?: UploadRetry;
}

/** videos-api, `uploadInstructions[]`: the part's address and its bytes, both ends included. */
interface UploadInstruction {
  uploadUrl: string;
  firstByte: number;
  lastByte: number;
}

/** What is saved as the target's upload handle. */
interface SavedVideoUpload {
  linkedinVideo: string;
  uploadToken: string;
  fileSizeBytes: number;
  instructions: UploadInstruction[];
  /** The ETags of the parts LinkedIn acknowledged, in order from the first. */
  etags: string[];
  /** videos-api `uploadUrlsExpireAt` (epoch ms): past it the addresses are no use. */
  expiresAt: number | null;
  finalized: boolean;
  /** Saved once the video is AVAILABLE, just before the post that names it: from then on an
   *  attempt cut off may have made the post. */
  posting?: boolean;
}

/** Uploads the post's video (or goes on with the saved upload) and returns its URN once AVAILABLE. */
export async function uploadLinkedInVideo(deps: LinkedInVideoDeps, owner: string, post: OutgoingPost, video: OutgoingVideo): Promise<string> {
  let upload = resumable(post.uploadHandle.saved, video.bytes, deps.clock.now(), deps.apiBase);
  if (upload?.finalized) {
    const status = await waitUntilAvailable(deps, post, upload);
    if (status === 'available') return readyToPost(post, upload);
    // LinkedIn no longer knows the video: it is uploaded afresh.
    upload = null;
  }
  if (!upload) {
    upload = await initialize(deps, owner, video);
    await post.uploadHandle.save(upload);
  }
  const saved = upload;
  try {
    await sendParts(deps, post, video, saved);
  } catch (error) {
    // A part refused for good (an address LinkedIn no longer takes) cannot be sent on: the next
    // attempt starts a new upload.
    if (error instanceof AppError && error.code === 'platform_rejected' && !error.transient) await post.uploadHandle.save(null);
    throw error;
  }
  await finalize(deps, post, saved);
  const status = await waitUntilAvailable(deps, post, saved);
  if (status === 'gone') {
    throw new AppError('platform_rejected', 'LinkedIn lost the video just uploaded.', { action: 'Localpost uploads it again by itself; nothing was posted.', transient: true });
  }
  return readyToPost(post, saved);
}

/** Saves that the post comes next, then names the video for it. */
async function readyToPost(post: OutgoingPost, upload: SavedVideoUpload): Promise<string> {
  await post.uploadHandle.save({ ...upload, posting: true });
  return upload.linkedinVideo;
}

/**
 * Whether a video post's attempt was cut off before its post request: the upload makes no post,
 * and the handle says "posting" before the post goes. A post without a video has nothing before
 * its one request, so nothing to tell.
 */
export function cutOffBeforeThePost(attempt: { hasVideo: boolean; uploadHandle: unknown }): boolean {
  if (!attempt.hasVideo) return false;
  const saved = attempt.uploadHandle as Partial<SavedVideoUpload> | null;
  return saved?.posting !== true;
}

/** videos-api, "Initialize Video Upload": one call for the member's video of this size. */
async function initialize(deps: LinkedInVideoDeps, owner: string, video: OutgoingVideo): Promise<SavedVideoUpload> {
  const response = await deps.request('/rest/videos?action=initializeUpload', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ initializeUploadRequest: { owner, fileSizeBytes: video.bytes, uploadCaptions: false, uploadThumbnail: false } }),
  });
  if (!response.ok) throw await linkedinProblem(response, deps.clock.now());
  const value = ((await response.json().catch(() => ({}))) as {
    value?: { video?: unknown; uploadToken?: unknown; uploadInstructions?: unknown; uploadUrlsExpireAt?: unknown };
  }).value;
  const instructions = Array.isArray(value?.uploadInstructions) ? (value.uploadInstructions as unknown[]).map((raw) => instruction(raw, deps.apiBase)) : [];
  if (typeof value?.video !== 'string' || !value.video.startsWith('urn:li:video:') || !coversFile(instructions, video.bytes)) {
    throw new AppError('platform_rejected', 'LinkedIn answered a video upload without a safe address for each part of it.', { action: 'Publish again; nothing was posted.' });
  }
  return {
    linkedinVideo: value.video,
    // A video sent in one part has an empty token ("uploadToken": "" in the single-part sample).
    uploadToken: typeof value.uploadToken === 'string' ? value.uploadToken : '',
    fileSizeBytes: video.bytes,
    instructions: instructions as UploadInstruction[],
    etags: [],
    expiresAt: typeof value.uploadUrlsExpireAt === 'number' ? value.uploadUrlsExpireAt : null,
    finalized: false,
  };
}

/**
 * videos-api, "Upload the Video": each part's bytes in a PUT of `application/octet-stream` to its
 * own address, answered with the part's ETag. Streamed from disk part by part, a part that fails
 * on passing trouble sent again, the ETags saved as they come.
 */
async function sendParts(deps: LinkedInVideoDeps, post: OutgoingPost, video: OutgoingVideo, upload: SavedVideoUpload): Promise<void> {
  const chunks = upload.instructions.map((part) => ({ start: part.firstByte, end: part.lastByte + 1 }));
  const done = upload.etags.length;
  await chunkedUpload<string>({
    file: { path: video.path, size: video.bytes },
    chunks,
    resumeFrom: { uploadedBytes: done >= chunks.length ? video.bytes : chunks[done]!.start },
    async sendChunk(chunk: ChunkToSend, signal) {
      const part = upload.instructions[chunk.index]!;
      const response = await deps.fetch(part.uploadUrl, {
        method: 'PUT',
        ...streamedRequest(chunk.body(), { 'content-type': 'application/octet-stream' }),
        ...(signal ? { signal } : {}),
      });
      if (!response.ok) throw await linkedinProblem(response, deps.clock.now());
      await response.body?.cancel();
      const etag = response.headers.get('etag');
      if (!etag) {
        throw new AppError('platform_rejected', 'LinkedIn took a part of the video without acknowledging it (no ETag).', {
          action: 'Localpost tries again by itself; nothing was posted.',
          transient: true,
        });
      }
      upload.etags[chunk.index] = etag;
      return etag;
    },
    async saveState(state) {
      const acknowledged = state.uploadedBytes === video.bytes ? chunks.length : chunks.findIndex((chunk) => chunk.start === state.uploadedBytes);
      upload.etags = upload.etags.slice(0, acknowledged);
      await post.uploadHandle.save(upload);
    },
    onProgress: (progress) => post.reportProgress(progress.sentBytes, progress.totalBytes),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
}

/** videos-api, "Finalize Video Upload": the ETags in the order of the parts. */
async function finalize(deps: LinkedInVideoDeps, post: OutgoingPost, upload: SavedVideoUpload): Promise<void> {
  const response = await deps.request('/rest/videos?action=finalizeUpload', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ finalizeUploadRequest: { video: upload.linkedinVideo, uploadToken: upload.uploadToken, uploadedPartIds: upload.etags } }),
  });
  if (!response.ok) {
    const problem = await linkedinProblem(response, deps.clock.now());
    if (problem.transient || problem.code !== 'platform_rejected') throw problem;
    // An earlier attempt's finalize may have gone through with its answer lost: LinkedIn then
    // refuses this one, and the video's status says it is past WAITING_UPLOAD.
    if (!(await finalizedAlready(deps, upload))) {
      // A refusal of the parts themselves cannot be mended by sending them on: the next attempt
      // starts a new upload.
      await post.uploadHandle.save(null);
      throw problem;
    }
  } else {
    await response.body?.cancel();
  }
  upload.finalized = true;
  await post.uploadHandle.save(upload);
}

/** Whether LinkedIn already has the video finalized (PROCESSING, AVAILABLE or PROCESSING_FAILED). */
async function finalizedAlready(deps: LinkedInVideoDeps, upload: SavedVideoUpload): Promise<boolean> {
  const response = await deps.request(`/rest/videos/${encodeURIComponent(upload.linkedinVideo)}`, { method: 'GET' });
  if (!response.ok) {
    await response.body?.cancel();
    return false;
  }
  const status = ((await response.json().catch(() => ({}))) as { status?: unknown }).status;
  return status === 'PROCESSING' || status === 'AVAILABLE' || status === 'PROCESSING_FAILED';
}

/**
 * videos-api, "Get a Video": `GET /rest/videos/{urn}` until its `status` is AVAILABLE (a post
 * naming a video still PROCESSING is refused). PROCESSING_FAILED is final: the video is forgotten
 * and the target fails with `media_unsupported`. `gone` when LinkedIn no longer knows the video.
 */
async function waitUntilAvailable(deps: LinkedInVideoDeps, post: OutgoingPost, upload: SavedVideoUpload): Promise<'available' | 'gone'> {
  const { wait } = deps;
  const deadline = deps.clock.now() + wait.timeoutMs;
  for (let interval = wait.firstCheckAfterMs; ; interval = Math.min(interval * 2, wait.maxIntervalMs)) {
    await sleep(interval);
    const response = await deps.request(`/rest/videos/${encodeURIComponent(upload.linkedinVideo)}`, { method: 'GET' });
    if (response.status === 403) {
      // As for images: the Videos API does not say whether an app with only w_member_social may
      // read a video back; where LinkedIn refuses it, a pause gives the video time to be processed
      // instead of failing a post that would most likely go through.
      await response.body?.cancel();
      deps.log.info('LinkedIn video status unreadable; posting after a pause', { video: upload.linkedinVideo });
      await sleep(wait.unreadableGraceMs);
      return 'available';
    }
    if (response.status === 404) {
      await response.body?.cancel();
      await post.uploadHandle.save(null);
      return 'gone';
    }
    if (!response.ok) throw await linkedinProblem(response, deps.clock.now());
    const read = (await response.json().catch(() => ({}))) as { status?: unknown; processingFailureReason?: unknown };
    if (read.status === 'AVAILABLE') return 'available';
    if (read.status === 'PROCESSING_FAILED') {
      await post.uploadHandle.save(null);
      const reason = typeof read.processingFailureReason === 'string' && read.processingFailureReason.trim() ? `: ${read.processingFailureReason.trim()}` : '';
      deps.log.warn('LinkedIn could not process a video', { video: upload.linkedinVideo });
      throw new AppError('media_unsupported', `LinkedIn could not process the video (PROCESSING_FAILED${reason}).`, {
        action: 'Try another video (MP4 with H.264 video and AAC sound is the safest); nothing was posted.',
      });
    }
    if (deps.clock.now() >= deadline) {
      throw new AppError('platform_rejected', `LinkedIn was still processing the video after ${Math.round(wait.timeoutMs / 60_000)} minutes.`, {
        action: 'Localpost tries again by itself in a while, without uploading it again; nothing was posted.',
        transient: true,
      });
    }
  }
}

/** The saved upload, when it is one for a file of this size whose addresses have not expired. */
function resumable(saved: unknown, bytes: number, now: number, apiBase: string): SavedVideoUpload | null {
  if (!saved || typeof saved !== 'object') return null;
  const upload = saved as Partial<SavedVideoUpload>;
  if (typeof upload.linkedinVideo !== 'string' || typeof upload.uploadToken !== 'string' || upload.fileSizeBytes !== bytes) return null;
  if (!Array.isArray(upload.instructions) || !Array.isArray(upload.etags) || typeof upload.finalized !== 'boolean') return null;
  const instructions = upload.instructions.map((raw) => instruction(raw, apiBase));
  if (!coversFile(instructions, bytes) || upload.etags.length > instructions.length || !upload.etags.every((etag) => typeof etag === 'string')) return null;
  if (!upload.finalized && typeof upload.expiresAt === 'number' && upload.expiresAt <= now) return null;
  return { ...(upload as SavedVideoUpload), instructions: instructions as UploadInstruction[] };
}

function instruction(raw: unknown, apiBase: string): UploadInstruction | null {
  const part = raw as Partial<UploadInstruction> | null;
  if (!part || !Number.isSafeInteger(part.firstByte) || !Number.isSafeInteger(part.lastByte)) return null;
  // The part's address comes from LinkedIn's answer.
  if (!isTrustedUploadAddress(part.uploadUrl, apiBase)) return null;
  return { uploadUrl: part.uploadUrl, firstByte: part.firstByte!, lastByte: part.lastByte! };
}

/** The parts follow each other from the first byte to the last, without gap or overlap. */
function coversFile(parts: Array<UploadInstruction | null>, bytes: number): boolean {
  let next = 0;
  for (const part of parts) {
    if (!part || part.firstByte !== next || part.lastByte < part.firstByte) return false;
    next = part.lastByte + 1;
  }
  return parts.length > 0 && next === bytes;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
