// A multipart/form-data body (RFC 7578) that streams its files from disk: boundary, part headers,
// the file in chunks, closing boundary, with the exact Content-Length known before the first byte
// (the parts' sizes are known), so a video of any size is sent without ever being held in memory,
// and the bytes taken by the connection can be counted as they go.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../errors';
import { fileUnreadable, streamedRequest, type StreamedBody } from './fileRangeBody';

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; data: Uint8Array }
  | { name: string; filename: string; contentType: string; path: string; size: number }
  /** A body streamed by its own source (a byte range of a file: fileRangeBody). */
  | { name: string; filename: string; contentType: string; streamed: StreamedBody };

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /** Readable once. */
  stream: ReadableStream<Uint8Array>;
}

/** Chunks read from a file: large enough for throughput, small enough that memory stays flat. */
const fileChunkBytes = 256 * 1024;

export function multipartBody(parts: MultipartPart[], onProgress?: (sentBytes: number, totalBytes: number) => void): MultipartBody {
  const boundary = `----localpost${crypto.randomBytes(16).toString('hex')}`;
  const pieces = parts.map((part) => {
    const head = Buffer.from(`--${boundary}\r\n${partHeaders(part)}\r\n`, 'utf8');
    const size =
      'value' in part ? Buffer.byteLength(part.value, 'utf8') : 'data' in part ? part.data.byteLength : 'streamed' in part ? part.streamed.length : part.size;
    return { part, head, size };
  });
  const closing = Buffer.from(`--${boundary}--\r\n`, 'utf8');
  const crlf = Buffer.from('\r\n');
  const contentLength = pieces.reduce((sum, piece) => sum + piece.head.length + piece.size + crlf.length, 0) + closing.length;

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const { part, head } of pieces) {
      yield head;
      if ('value' in part) yield Buffer.from(part.value, 'utf8');
      else if ('data' in part) yield part.data;
      else if ('streamed' in part) yield* part.streamed.body;
      else yield* fileChunks(part.path, part.size);
      yield crlf;
    }
    yield closing;
  }

  let sent = 0;
  const source = chunks();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await source.next();
        if (next.done) return controller.close();
        controller.enqueue(next.value);
        sent += next.value.byteLength;
        onProgress?.(sent, contentLength);
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    // No read-ahead: a chunk is read from disk when the connection asks for one, so what is
    // counted as sent is what the connection took.
    { highWaterMark: 0 },
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, contentLength, stream };
}

/** The file's bytes in chunks; a file that is not the size it was when the post was queued
 *  is refused rather than sent short or long (the Content-Length was promised). */
async function* fileChunks(file: string, size: number): AsyncGenerator<Uint8Array> {
  let read = 0;
  const input = fs.createReadStream(file, { highWaterMark: fileChunkBytes });
  const pieces = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await pieces.next();
      } catch (error) {
        throw fileUnreadable(file, error);
      }
      if (next.done) break;
      read += next.value.length;
      if (read > size) break;
      yield next.value;
    }
  } finally {
    input.destroy();
  }
  if (read !== size) {
    throw new AppError('media_copy_failed', 'The video changed on disk after it was queued, so it was not sent.', {
      action: 'Edit the post, add the video again, and publish.',
      delivery: 'not_sent',
    });
  }
}

function partHeaders(part: MultipartPart): string {
  const name = quoted(part.name);
  if ('value' in part) return `Content-Disposition: form-data; name="${name}"\r\n`;
  return `Content-Disposition: form-data; name="${name}"; filename="${quoted(part.filename)}"\r\nContent-Type: ${part.contentType}\r\n`;
}

/** RFC 7578 §4.2: a quote, CR or LF in a name is percent-encoded, as browsers do. */
function quoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The fetch options that POST the form as it is, streamed with its exact length (see streamedRequest). */
export function multipartInit(body: MultipartBody): RequestInit {
  return { method: 'POST', ...streamedRequest({ body: body.stream, length: body.contentLength, failure: undefined }, { 'content-type': body.contentType }) };
}

/**
 * The fetch options of a form made afresh each time they are asked for: a streamed body can be
 * read once, so a request sent again (after a refreshed sign-in) needs its parts, and the files
 * they read, from the start.
 */
export function multipartRequest(parts: () => MultipartPart[], onProgress?: (sentBytes: number, totalBytes: number) => void): () => RequestInit {
  return () => multipartInit(multipartBody(parts(), onProgress));
}
