// What every upload strategy shares: the state its caller persists to resume from, the progress
// it reports, the failures particular to uploads, and the short retries inside one upload (a
// chunk's 5xx or dropped connection), which resume from the server's offset instead of handing
// the whole post back to the outbox.
import { AppError } from '../errors';

/**
 * Where an upload stands, as its caller persists it. The strategy reads it to resume, and hands
 * back each change through `saveState`, awaited before it goes on, so what is on disk is never
 * ahead of what the server has.
 */
export interface UploadState {
  /** The platform's session for this upload (Google's resumable session URI), once it has one. */
  sessionUri?: string;
  /** Bytes the server has acknowledged, from the start of the file. */
  uploadedBytes?: number;
}

export interface UploadProgress {
  /** Bytes the server has acknowledged keeping. */
  acknowledgedBytes: number;
  /** Bytes handed to the connection so far, the acknowledged ones included: moves while a chunk is
   *  in flight, and falls back to `acknowledgedBytes` if the chunk is lost. */
  sentBytes: number;
  totalBytes: number;
}

/** The file an upload sends: on disk, of a size known when the upload was planned. */
export interface UploadFile {
  path: string;
  size: number;
}

/**
 * Why an upload failed, where the adapter can do something particular about it. The `code` stays
 * one of Localpost's stable codes; `reason` says which upload failure it is.
 *  - `session_expired`: the platform no longer knows the session (Google answers 404 or 410):
 *    nothing more can go into it; the adapter starts a new session (and clears the stored one).
 *  - `offset_invalid`: the server claimed to hold bytes it was never sent, or fewer than it had
 *    already acknowledged. Sending on from such a claim could corrupt the file or loop forever.
 *  - `no_progress`: the server kept answering without taking any more bytes.
 */
export type UploadFailureReason = 'session_expired' | 'offset_invalid' | 'no_progress';

export class UploadFailure extends AppError {
  readonly reason: UploadFailureReason;

  constructor(reason: UploadFailureReason, message: string, options: ConstructorParameters<typeof AppError>[2] = {}) {
    super('platform_rejected', message, options);
    this.reason = reason;
  }
}

export function isUploadFailure(error: unknown, reason: UploadFailureReason): error is UploadFailure {
  return error instanceof UploadFailure && error.reason === reason;
}

/** Retries inside one upload: a few, close together; longer waits are the outbox's to decide. */
export interface UploadRetry {
  /** Failed tries in a row at the same offset before the upload gives up and throws. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1, injected so tests are exact. */
  random(): number;
  /** Injected so tests do not wait. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const defaultUploadRetry: UploadRetry = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    }),
};

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function uploadBackoff(retry: UploadRetry, failures: number): number {
  return Math.round(retry.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, failures - 1)));
}

/** Passing trouble worth another try at once: a 5xx, or a connection that failed or dropped. */
export function isPassingTrouble(error: unknown): boolean {
  return error instanceof AppError && !(error instanceof UploadFailure) && (error.transient || error.code === 'network_unreachable');
}

/** Whether a failed request was cut off by the core's per-request timeout (AbortSignal.timeout
 *  rejects with a `TimeoutError`, WHATWG DOM §3.1). */
export function timedOut(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if ((e as { name?: unknown }).name === 'TimeoutError') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * An upload that gives up on a connection failure has not completed: unless the request that
 * failed could have been the one that completed it, the post surely does not exist yet, and the
 * outbox may send it again without risk of a duplicate.
 */
export function notCompleted(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'network_unreachable' || error.delivery === 'not_sent') return error;
  return new AppError(error.code, error.message, { action: error.action, cause: error.cause, delivery: 'not_sent' });
}

/** Progress from what the server acknowledged and what is in flight beyond it. */
export function progressReporter(totalBytes: number, onProgress: ((progress: UploadProgress) => void) | undefined) {
  return (acknowledgedBytes: number, sentBytes = acknowledgedBytes) => onProgress?.({ acknowledgedBytes, sentBytes: Math.max(sentBytes, acknowledgedBytes), totalBytes });
}
