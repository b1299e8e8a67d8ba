// Google's resumable upload protocol (`uploadType=resumable`), as the YouTube Data API documents it
// (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
//   1. the initiating request (the adapter's: metadata, `X-Upload-Content-Length`) answers with the
//      session URI in `Location`; it is handed to the caller to persist before the first byte,
//      because it is the only handle that lets a lost answer be settled without a second video;
//   2. the file goes in `PUT`s to the session, each chunk with `Content-Range: bytes a-b/total` and a
//      size that is a multiple of 256 KiB (all but the last);
//   3. `308 Resume Incomplete` says what the server kept in `Range: bytes=0-n` (no `Range`: nothing
//      yet), and the next chunk starts at n+1, whatever was sent beyond it;
//   4. after a failure or a restart, an empty `PUT` with `Content-Range: bytes */total` asks the same
//      question; `200`/`201` (to a chunk or to that question) ends the upload with the resource;
//   5. a 5xx is retried with exponential backoff, after asking where the upload stands; 404 or 410
//      means the session expired and a new upload must begin.
import { AppError } from '../errors';
import type { HttpFetch } from '../ports';
import { assertFileSize, streamedRequest, UploadFileReader, type StreamedBody } from './fileRangeBody';
import { classifyHttpFailure, type HttpFailure, type PlatformFailureRules } from './platformFailure';
import {
  defaultUploadRetry,
  isPassingTrouble,
  notCompleted,
  progressReporter,
  timedOut,
  UploadFailure,
  uploadBackoff,
  type UploadFile,
  type UploadProgress,
  type UploadRetry,
  type UploadState,
} from './uploadSession';

/** Google's chunk quantum: "the chunk size must be a multiple of 256 KB" (the guide, step 3). */
export const googleChunkQuantum = 256 * 1024;

export interface GoogleResumableUploadOptions {
  /** The core's HTTP path (createHttpFetch). */
  fetch: HttpFetch;
  file: UploadFile;
  /** The MIME type sent with each chunk (`video/*` or `application/octet-stream` for YouTube). */
  contentType: string;
  /** Sends the initiating request and returns its answer; called only when there is no stored
   *  session. */
  startSession(): Promise<Response>;
  /** Whether the session address the platform answers may receive the file (and whatever
   *  `sessionHeaders` adds, a token): one elsewhere is refused before a byte goes. */
  trustsSession(sessionUri: string): boolean;
  /** Headers for every request into the session (`Authorization`), asked anew each time so a
   *  token refreshed during a long upload is the one sent. */
  sessionHeaders?(): Promise<Record<string, string>> | Record<string, string>;
  /** What was persisted from an earlier run of this upload. */
  resumeFrom?: UploadState;
  /** Persists a change of state; awaited before the upload goes on. */
  saveState(state: UploadState): Promise<void>;
  onProgress?(progress: UploadProgress): void;
  /** A multiple of 256 KiB (default 32 MiB). Larger chunks mean fewer round trips; smaller ones
   *  less memory (one chunk's worth is held for the whole upload: UploadFileReader) and less to
   *  send again when a connection drops mid-chunk. */
  chunkBytes?: number;
  /** How the platform's failures are worded and classified. */
  failureRules: PlatformFailureRules;
  /** Reads the platform's error body (default: Google's `{ error: { message } }`). */
  readFailure?(response: Response): Promise<HttpFailure>;
  retry?: UploadRetry;
  now?(): number;
  signal?: AbortSignal;
}

export interface CompletedUpload {
  status: number;
  /** The body of the final answer (for YouTube, the video resource), parsed when it is JSON. */
  resource: unknown;
}

/** The chunk size when the caller names none: a round trip per 32 MiB is a few percent of the
 *  time even on a fast uplink with a long round trip, and the memory (one chunk) stays well
 *  under what a large upload may take (bench/upload.ts). */
export const googleDefaultChunkBytes = 32 * 1024 * 1024;

export async function googleResumableUpload(options: GoogleResumableUploadOptions): Promise<CompletedUpload> {
  const chunkBytes = options.chunkBytes ?? googleDefaultChunkBytes;
  if (chunkBytes <= 0 || chunkBytes % googleChunkQuantum !== 0) {
    throw new AppError('internal', `A resumable upload's chunk size must be a multiple of 256 KiB, not ${chunkBytes}.`);
  }
  if (options.file.size <= 0) throw new AppError('invalid_input', 'The file to upload is empty.', { action: 'Attach the file again and publish.' });
  await assertFileSize(options.file.path, options.file.size);
  // Opened once for the whole upload, before the session exists: a file that cannot be read
  // starts nothing on the platform.
  const reader = await UploadFileReader.open(options.file.path);
  try {
    return await upload(options, reader, chunkBytes);
  } finally {
    await reader.close();
  }
}

async function upload(options: GoogleResumableUploadOptions, reader: UploadFileReader, firstChunkBytes: number): Promise<CompletedUpload> {
  const { fetch, file, failureRules, signal } = options;
  const retry = options.retry ?? defaultUploadRetry;
  const now = options.now ?? Date.now;
  const platform = failureRules.platformName;
  const total = file.size;
  let chunkBytes = firstChunkBytes;
  const report = progressReporter(total, options.onProgress);
  const failureOf = async (response: Response) =>
    classifyHttpFailure(options.readFailure ? await options.readFailure(response) : await googleFailure(response), failureRules, now());

  let sessionUri = options.resumeFrom?.sessionUri;
  /** What the server has acknowledged: it may never claim less later. */
  let acknowledged = sessionUri ? (options.resumeFrom?.uploadedBytes ?? 0) : 0;
  /** The end of the furthest byte this run has put on the wire; before it sends any, only the
   *  file's size bounds what the server may claim (an earlier run may have sent more). */
  let sentThrough = total;
  let askFirst = sessionUri !== undefined;
  if (!sessionUri) {
    const response = await options.startSession();
    if (!response.ok) throw await failureOf(response);
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (!location) throw new AppError('platform_rejected', `${platform} started the upload without saying where to send it.`, { action: 'Publish again; nothing was posted.' });
    sessionUri = new URL(location, response.url || undefined).href;
    if (!options.trustsSession(sessionUri)) {
      throw new AppError('platform_rejected', `${platform} answered with an upload address outside its own (${URL.parse(sessionUri)?.host ?? 'unreadable'}); nothing was sent there.`, {
        action: 'Publish again later; nothing was posted.',
        delivery: 'not_sent',
      });
    }
    await options.saveState({ sessionUri, uploadedBytes: 0 });
    sentThrough = 0;
  }
  const session = sessionUri;
  report(acknowledged);

  let failures = 0;
  let offset = acknowledged;
  /** Whether a request that could have completed the upload went unanswered: the last chunk, or
   *  whatever an earlier run sent before it stopped. A `308` settles it. */
  let mayHaveCompleted = askFirst;
  for (;;) {
    signal?.throwIfAborted();
    const asking = askFirst || offset >= total;
    const end = asking ? offset : Math.min(total, offset + chunkBytes);
    const headers = { ...(await options.sessionHeaders?.()) };
    let response: Response;
    let body: StreamedBody | undefined;
    try {
      if (asking) {
        response = await fetch(session, { method: 'PUT', redirect: 'manual', signal, headers: { ...headers, 'content-range': `bytes */${total}`, 'content-length': '0' } });
      } else {
        const start = offset;
        body = reader.body({ start, end }, (read) => report(acknowledged, start + read));
        sentThrough = Math.max(sentThrough, end);
        response = await fetch(session, {
          ...streamedRequest(body, { ...headers, 'content-type': options.contentType, 'content-range': `bytes ${offset}-${end - 1}/${total}` }),
          method: 'PUT',
          // 308 is a redirect status to fetch: 'error' would turn Google's answer into a network
          // error. The price of 'manual' is that undici holds the chunk until it is answered
          // (see streamedRequest); the reader's memory is what it holds, reused chunk after chunk.
          redirect: 'manual',
          signal,
        });
      }
    } catch (error) {
      if (body?.failure) throw body.failure;
      if (!asking && end === total) mayHaveCompleted = true;
      if (!isPassingTrouble(error)) throw error;
      report(acknowledged);
      // The core bounds each request's time: a connection too slow for a chunk gets smaller ones,
      // without counting it a failure (halving ends at 256 KiB, so this cannot go on forever).
      if (!asking && timedOut(error) && chunkBytes > googleChunkQuantum) {
        chunkBytes = Math.max(googleChunkQuantum, Math.floor(chunkBytes / 2 / googleChunkQuantum) * googleChunkQuantum);
      } else {
        if (++failures >= retry.maxAttempts) throw mayHaveCompleted ? error : notCompleted(error);
        await retry.sleep(uploadBackoff(retry, failures), signal);
      }
      askFirst = true;
      continue;
    }

    if (response.status === 200 || response.status === 201) {
      const resource = await readResource(response);
      await options.saveState({ sessionUri: session, uploadedBytes: total });
      report(total);
      return { status: response.status, resource };
    }
    if (response.status === 308) {
      await response.body?.cancel();
      mayHaveCompleted = false;
      const kept = keptBytes(response.headers.get('range'), platform);
      if (kept > sentThrough) {
        throw new UploadFailure('offset_invalid', `${platform} claimed to hold ${kept} bytes of the upload when only ${sentThrough} were sent.`, {
          action: 'Publish again; the upload starts over.',
        });
      }
      if (kept < acknowledged) {
        throw new UploadFailure('offset_invalid', `${platform} went back on the upload: it holds ${kept} bytes after acknowledging ${acknowledged}.`, {
          action: 'Publish again; the upload starts over.',
        });
      }
      // Every byte of this chunk is on the server, so its memory is free for the next chunk.
      if (body && kept >= end) reader.acknowledged();
      askFirst = false;
      offset = kept;
      if (kept > acknowledged) {
        acknowledged = kept;
        failures = 0;
        await options.saveState({ sessionUri: session, uploadedBytes: acknowledged });
        report(acknowledged);
        continue;
      }
      report(acknowledged);
      // An answer to a chunk (or a server with every byte that will not finish) that took nothing:
      // a few more tries, then a clear failure rather than the same bytes forever.
      if (!asking || offset >= total) {
        if (++failures >= retry.maxAttempts) {
          throw new UploadFailure('no_progress', `${platform} stopped taking the upload at byte ${acknowledged} of ${total}.`, { action: 'Try again later; the upload resumes where it stopped.', transient: true });
        }
        await retry.sleep(uploadBackoff(retry, failures), signal);
        askFirst = offset >= total;
      }
      continue;
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new UploadFailure('session_expired', `${platform}'s upload session expired before the file was complete.`, {
        action: 'Publish again; the upload starts over.',
        transient: true,
      });
    }
    const failure = await failureOf(response);
    if (!failure.transient) throw failure;
    report(acknowledged);
    if (++failures >= retry.maxAttempts) throw failure;
    await retry.sleep(uploadBackoff(retry, failures), signal);
    askFirst = true;
  }
}

/**
 * The bytes a `308`'s `Range: bytes=0-n` says the server kept: n+1, or 0 without the header (the
 * guide, step 4: "If you receive a 308 Resume Incomplete response without a Range header, no bytes
 * have been received").
 */
export function keptBytes(range: string | null, platform = 'The server'): number {
  if (range === null) return 0;
  const match = /^bytes=0-(\d{1,16})$/.exec(range.trim());
  if (!match) throw new UploadFailure('offset_invalid', `${platform} answered the upload with a Range it does not document: ${range.slice(0, 60)}.`, { action: 'Publish again; the upload starts over.' });
  return Number(match[1]) + 1;
}

async function readResource(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Google's error body: `{ "error": { "code", "message", "errors": [{ "reason" }] } }`. */
async function googleFailure(response: Response): Promise<HttpFailure> {
  const body = (await readResource(response)) as { error?: { message?: unknown } } | string;
  const said = typeof body === 'object' && body && typeof body.error?.message === 'string' ? body.error.message : undefined;
  return { status: response.status, headers: response.headers, ...(said ? { said } : {}) };
}
