// A byte range of a file on disk as a streamed request body: read in pieces as the connection
// takes them, never whole, so memory stays flat whatever the file's size. The body knows its exact
// length (a platform wants `Content-Length` on each chunk; undici checks the bytes it writes
// against it) and counts what the transport has pulled, for progress. An upload in chunks reads
// them through one UploadFileReader: one open file and one chunk's memory for the whole upload.
import fs from 'node:fs';
import { AppError } from '../errors';

/** `[start, end)` of the file at `path`. */
export interface FileRange {
  path: string;
  start: number;
  end: number;
}

export interface StreamedBody {
  body: ReadableStream<Uint8Array>;
  /** The exact number of bytes the body yields: the request's `Content-Length`. */
  length: number;
  /** Why reading the file failed, when it did: fetch reports a failed body as a network error,
   *  and this tells the caller the fault was on this side, not the connection's. */
  readonly failure: AppError | undefined;
}

/** How much of the file one read takes: large enough that a gigabyte is a few thousand reads,
 *  small enough that memory does not notice. */
const readBytes = 1024 * 1024;

/**
 * @param onRead called with the bytes the transport has pulled so far from this body. Pulled is
 *   not acknowledged: only the server's answer says what it kept.
 * @param pieceBytes how much one read takes (a megabyte by default, for videos).
 */
export function fileRangeBody(range: FileRange, onRead?: (bytesRead: number) => void, pieceBytes = readBytes): StreamedBody {
  const length = range.end - range.start;
  assertRange(range.start, range.end);
  let failure: AppError | undefined;
  let read = 0;
  // Created on the first pull, so a body never sent opens no file.
  let source: fs.ReadStream | undefined;
  let pieces: AsyncIterator<Buffer> | undefined;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: AppError) => {
    failure = error;
    source?.destroy();
    controller.error(error);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (length === 0) return controller.close();
        if (!source) {
          // `end` is inclusive in fs.createReadStream (Node's fs docs).
          source = fs.createReadStream(range.path, { start: range.start, end: range.end - 1, highWaterMark: pieceBytes });
          pieces = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        }
        let next: IteratorResult<Buffer>;
        try {
          next = await pieces!.next();
        } catch (error) {
          return fail(controller, fileUnreadable(range.path, error));
        }
        if (next.done) {
          if (read === length) return controller.close();
          return fail(controller, fileChanged(range.path));
        }
        read += next.value.length;
        controller.enqueue(next.value);
        onRead?.(read);
      },
      cancel() {
        source?.destroy();
      },
    },
    // Nothing read ahead of what the connection asks for: the socket's own buffer is enough.
    { highWaterMark: 0 },
  );
  return {
    body,
    length,
    get failure() {
      return failure;
    },
  };
}

/**
 * One upload's file, read range after range for its chunks: opened once for the whole upload
 * rather than once per chunk, and read into one chunk's worth of memory that the next chunk reuses
 * once the server has acknowledged every byte of the last.
 *
 * The reuse is what makes a chunked upload as fast as one request (on loopback, faster): fetch
 * keeps each chunk's bytes until its answer comes (in `redirect: 'manual'`, see streamedRequest),
 * so fresh memory per piece left a chunk's worth of garbage per chunk that lived too long for the
 * young generation, and full collections took about a third of the client's CPU time; with the
 * memory reused, the CPU time per gigabyte fell to about a fifth (bench/upload.ts, a CPU profile).
 * It is safe only because a body's memory is handed out again after its body has read its whole
 * range and the server has said it holds all of those bytes: by then no transport can still be
 * reading them. Until `acknowledged()`, or after a failure, the next body gets new memory and the
 * old is left to the collector.
 */
export class UploadFileReader {
  readonly path: string;
  readonly #handle: fs.promises.FileHandle;
  #memory: Buffer | undefined;
  /** The last body handed out while it holds the memory: `readToEnd` once it will read no more
   *  into it. Null when the memory is free. */
  #lease: { readToEnd: boolean } | null = null;

  private constructor(path: string, handle: fs.promises.FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  static async open(path: string): Promise<UploadFileReader> {
    try {
      return new UploadFileReader(path, await fs.promises.open(path, 'r'));
    } catch (error) {
      throw fileUnreadable(path, error);
    }
  }

  /** `[start, end)` of the file as a streamed body (see fileRangeBody), read into this reader's memory. */
  body(range: { start: number; end: number }, onRead?: (bytesRead: number) => void): StreamedBody {
    const { start, end } = range;
    const length = end - start;
    assertRange(start, end);
    if (this.#lease || !this.#memory || this.#memory.length < length) this.#memory = Buffer.allocUnsafeSlow(length);
    const lease = { readToEnd: length === 0 };
    this.#lease = lease;
    const memory = this.#memory;
    const handle = this.#handle;
    const path = this.path;
    let read = 0;
    let failure: AppError | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (read === length) return controller.close();
          const piece = memory.subarray(read, Math.min(length, read + readBytes));
          let bytesRead: number;
          try {
            ({ bytesRead } = await handle.read(piece, 0, piece.length, start + read));
          } catch (error) {
            failure = fileUnreadable(path, error);
            return controller.error(failure);
          }
          // Nothing read before the range's end: the file is shorter than when the upload was planned.
          if (bytesRead === 0) {
            failure = fileChanged(path);
            return controller.error(failure);
          }
          read += bytesRead;
          lease.readToEnd = read === length;
          controller.enqueue(piece.subarray(0, bytesRead));
          onRead?.(read);
        },
      },
      { highWaterMark: 0 },
    );
    return {
      body,
      length,
      get failure() {
        return failure;
      },
    };
  }

  /**
   * The server holds every byte of the last body handed out: its memory may be reused. Not if
   * that body has not read its whole range (a server answering before it had the whole request):
   * it could still read into the memory, under the next chunk.
   */
  acknowledged(): void {
    if (this.#lease?.readToEnd) this.#lease = null;
  }

  async close(): Promise<void> {
    this.#memory = undefined;
    await this.#handle.close();
  }
}

/**
 * The fetch options for a streamed body: undici refuses a stream body without `duplex: 'half'`
 * (the Fetch standard's `RequestInit.duplex`), and sends `Content-Length` instead of chunked
 * transfer coding when it is given.
 *
 * `redirect: 'error'` keeps memory flat: in any other redirect mode the Fetch standard's
 * HTTP-network-or-cache fetch sends a clone of the request, and cloning a body tees its stream;
 * undici keeps the untouched branch for the request's lifetime, so it holds every byte sent until
 * the answer comes (a whole file, for a file sent in one request). A caller that must read a 3xx
 * itself (Google's `308 Resume Incomplete`) overrides it, and its memory is then bounded by what
 * one request carries (a chunk, read through an UploadFileReader whose memory it is).
 */
export function streamedRequest(body: StreamedBody, headers: Record<string, string>): RequestInit {
  return { body: body.body, duplex: 'half', redirect: 'error', headers: { ...headers, 'content-length': String(body.length) } };
}

/** The size of the file now, or a clear error when it is gone. */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await fs.promises.stat(path)).size;
  } catch (error) {
    throw fileUnreadable(path, error);
  }
}

/** The upload was planned for a file of `expected` bytes; refuses to send one that has changed. */
export async function assertFileSize(path: string, expected: number): Promise<void> {
  const size = await fileSize(path);
  if (size !== expected) throw fileChanged(path);
}

function assertRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new AppError('internal', `Not a byte range of a file: [${start}, ${end}).`);
  }
}

/** A file that could not be opened or read while it was being sent. */
export function fileUnreadable(path: string, cause: unknown): AppError {
  const missing = (cause as { code?: unknown } | undefined)?.code === 'ENOENT';
  return new AppError(missing ? 'not_found' : 'internal', missing ? 'The file to upload is no longer there.' : 'Localpost could not read the file to upload.', {
    action: 'Attach the file again and publish.',
    cause: new Error(`${path}: ${(cause as Error | undefined)?.message ?? String(cause)}`),
  });
}

function fileChanged(path: string): AppError {
  return new AppError('invalid_input', 'The file to upload changed on disk while it was being sent.', {
    action: 'Attach the file again and publish.',
    cause: new Error(path),
  });
}
