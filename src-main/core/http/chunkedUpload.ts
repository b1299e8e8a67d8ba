// Uploads made of numbered chunks, each its own request that the server acknowledges: TikTok's
// FILE_UPLOAD (`PUT upload_url` per chunk with `Content-Range`, developers.tiktok.com
// content-posting-api-media-transfer-guide) and X's chunked media upload (`APPEND` with
// `segment_index`, docs.x.com media upload). The platform's requests are the adapter's; this drives
// them: in order, one at a time, retrying passing trouble, reporting progress, and after a restart
// going on from the first chunk not yet acknowledged.
import { AppError } from '../errors';
import { assertFileSize, type StreamedBody, UploadFileReader } from './fileRangeBody';
import { multipartBody } from './multipartStream';
import {
  defaultUploadRetry,
  isPassingTrouble,
  notCompleted,
  progressReporter,
  UploadFailure,
  uploadBackoff,
  type UploadFile,
  type UploadProgress,
  type UploadRetry,
  type UploadState,
} from './uploadSession';

/** `[start, end)` of the file. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** How a form describes the chunk's file part: its field name, file name and type. */
export interface ChunkFormFile {
  field: string;
  filename: string;
  contentType: string;
}

export interface ChunkToSend extends ByteSpan {
  index: number;
  count: number;
  total: number;
  /** `bytes a-b/total` (RFC 9110 §14.4), as TikTok wants it on each chunk. */
  contentRange: string;
  /** The chunk as a raw body, its progress counted. */
  body(): StreamedBody;
  /** The chunk as the file part of a form, its progress counted (X's APPEND). */
  formBody(fields: Record<string, string>, file: ChunkFormFile): StreamedBody & { contentType: string };
}

export interface ChunkedUploadOptions<Answer> {
  file: UploadFile;
  /** The chunks, in order, covering the file (see `chunkSpans`). */
  chunks: readonly ByteSpan[];
  /** Sends one chunk and resolves once the server has acknowledged it (its answer read: the
   *  chunk's memory then goes to the next chunk); throws an AppError (classified by the adapter)
   *  when it did not. */
  sendChunk(chunk: ChunkToSend, signal?: AbortSignal): Promise<Answer>;
  resumeFrom?: UploadState;
  /** Persists a change of state; awaited before the next chunk goes. */
  saveState(state: UploadState): Promise<void>;
  onProgress?(progress: UploadProgress): void;
  retry?: UploadRetry;
  signal?: AbortSignal;
}

/**
 * Cuts `total` bytes into chunks of `chunkBytes`. With `remainderJoinsLast`, the last chunk takes
 * what is left over instead of being a small chunk of its own, as TikTok counts them
 * ("total_chunk_count = floor(video_size / chunk_size)", the trailing bytes going into the last
 * chunk; a file smaller than a chunk is one chunk).
 */
export function chunkSpans(total: number, chunkBytes: number, options: { remainderJoinsLast?: boolean } = {}): ByteSpan[] {
  if (!Number.isSafeInteger(total) || total <= 0 || !Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new AppError('internal', `Cannot cut ${total} bytes into chunks of ${chunkBytes}.`);
  }
  const count = options.remainderJoinsLast ? Math.max(1, Math.floor(total / chunkBytes)) : Math.ceil(total / chunkBytes);
  return Array.from({ length: count }, (_, index) => ({ start: index * chunkBytes, end: index === count - 1 ? total : (index + 1) * chunkBytes }));
}

/** Returns the last chunk's answer (where a platform says more once the file is complete). */
export async function chunkedUpload<Answer>(options: ChunkedUploadOptions<Answer>): Promise<Answer | undefined> {
  const { file, chunks } = options;
  assertCoverage(chunks, file.size);
  await assertFileSize(file.path, file.size);
  // Opened once for the whole upload; see UploadFileReader for why its memory is reused.
  const reader = await UploadFileReader.open(file.path);
  try {
    return await sendChunks(options, reader);
  } finally {
    await reader.close();
  }
}

async function sendChunks<Answer>(options: ChunkedUploadOptions<Answer>, reader: UploadFileReader): Promise<Answer | undefined> {
  const { file, chunks, signal } = options;
  const retry = options.retry ?? defaultUploadRetry;
  const total = file.size;
  const report = progressReporter(total, options.onProgress);
  const uploaded = options.resumeFrom?.uploadedBytes ?? 0;
  const first = uploaded === total ? chunks.length : chunks.findIndex((chunk) => chunk.start === uploaded);
  if (first < 0) {
    throw new UploadFailure('offset_invalid', `The stored progress of this upload (${uploaded} bytes) does not fall between two of its chunks.`, {
      action: 'Publish again; the upload starts over.',
    });
  }
  report(uploaded);

  let answer: Answer | undefined;
  for (let index = first; index < chunks.length; index++) {
    const span = chunks[index]!;
    const last = index === chunks.length - 1;
    for (let failures = 0; ; ) {
      signal?.throwIfAborted();
      const bodies: StreamedBody[] = [];
      const onRead = (read: number) => report(span.start, span.start + read);
      const chunk: ChunkToSend = {
        ...span,
        index,
        count: chunks.length,
        total,
        contentRange: `bytes ${span.start}-${span.end - 1}/${total}`,
        body: () => remember(bodies, reader.body(span, onRead)),
        formBody: (fields, part) => remember(bodies, formWithChunk(fields, part, reader.body(span, onRead))),
      };
      try {
        answer = await options.sendChunk(chunk, signal);
        reader.acknowledged();
        break;
      } catch (error) {
        const unreadable = bodies.find((body) => body.failure)?.failure;
        if (unreadable) throw unreadable;
        report(span.start);
        if (!isPassingTrouble(error)) throw error;
        if (++failures >= retry.maxAttempts) throw last ? error : notCompleted(error);
        await retry.sleep(uploadBackoff(retry, failures), signal);
      }
    }
    await options.saveState({ uploadedBytes: span.end });
    report(span.end);
  }
  return answer;
}

/**
 * A `multipart/form-data` body whose file part is the chunk, for a platform that takes a chunk only
 * inside a form (X's `POST /2/media/upload/{id}/append`: `media` and `segment_index`, openapi.json
 * `AppendMediaUploadRequest`); the fields go before the file.
 */
function formWithChunk(fields: Record<string, string>, file: ChunkFormFile, chunk: StreamedBody): StreamedBody & { contentType: string } {
  const form = multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: file.field, filename: file.filename, contentType: file.contentType, streamed: chunk },
  ]);
  return {
    body: form.stream,
    length: form.contentLength,
    contentType: form.contentType,
    get failure() {
      return chunk.failure;
    },
  };
}

function remember<Body extends StreamedBody>(bodies: StreamedBody[], body: Body): Body {
  bodies.push(body);
  return body;
}

/** The chunks must follow each other without gap or overlap from 0 to the file's size. */
function assertCoverage(chunks: readonly ByteSpan[], total: number): void {
  let next = 0;
  const ordered = chunks.every((chunk) => {
    const follows = chunk.start === next && chunk.end > chunk.start;
    next = chunk.end;
    return follows;
  });
  if (!ordered || chunks.length === 0 || next !== total) {
    throw new AppError('internal', `The chunks of an upload must cover its ${total} bytes in order, without gaps or overlaps.`);
  }
}
