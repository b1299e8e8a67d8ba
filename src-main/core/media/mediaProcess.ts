// The media tools in a process of their own. The first job starts the worker (media/mediaWorker.ts)
// through the launcher the shell gives (Electron's utilityProcess); jobs go to it as messages and
// come back as results or errors; once no job has come for `idleMs`, the worker is ended, and with
// it every byte libvips and mediabunny held. The next job starts a new one.
//
// A file that crashes the worker (a decoder bug hit by a crafted image) or keeps it busy past
// `jobTimeoutMs` costs that job only: it fails as a file Localpost cannot read, the worker is
// ended, and the core, which never decoded a byte, goes on.
import type { ErrorCode } from '../../../src-preload/contract';
import { AppError, type Delivery } from '../errors';
import type { Logger } from '../log/logger';
import type { HelperProcess, MediaWorkerLauncher } from '../ports';
import type { MediaJobName, MediaTools } from './mediaTools';

export interface MediaJob {
  id: number;
  job: MediaJobName;
  args: unknown[];
}

export interface SerializedError {
  /** An AppError, rebuilt as one on this side; anything else becomes an internal failure. */
  appError: boolean;
  code: ErrorCode;
  message: string;
  action?: string | undefined;
  retryAt?: number | undefined;
  delivery?: Delivery | undefined;
  transient?: boolean;
}

export type MediaReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export interface MediaProcessOptions {
  launcher: MediaWorkerLauncher;
  log: Logger;
  /** How long the worker is kept once idle, for the next image of a batch (default 10 s). */
  idleMs?: number;
  /** The longest one job may take before the worker is ended (default 2 minutes). */
  jobTimeoutMs?: number;
}

interface Pending {
  job: MediaJobName;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class MediaProcess {
  readonly tools: MediaTools;
  readonly #options: Required<Omit<MediaProcessOptions, 'log' | 'launcher'>> & Pick<MediaProcessOptions, 'log' | 'launcher'>;
  #worker: HelperProcess | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: MediaProcessOptions) {
    this.#options = { idleMs: 10_000, jobTimeoutMs: 120_000, ...options };
    const job =
      <Name extends MediaJobName>(name: Name) =>
      (...args: unknown[]) =>
        this.#run(name, args);
    this.tools = {
      fitImage: job('fitImage'),
      asPng: job('asPng'),
      asJpeg: job('asJpeg'),
      previewDataUrl: job('previewDataUrl'),
      avatarDataUrl: job('avatarDataUrl'),
      probeVideo: job('probeVideo'),
      posterSource: job('posterSource'),
    } as MediaTools;
  }

  /** Whether a worker process is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Ends the worker, failing what it was doing; no job starts one again (the core is closing). */
  stop(): void {
    this.#stopped = true;
    this.#end(new AppError('internal', 'Localpost is closing.'));
  }

  #run(job: MediaJobName, args: unknown[]): Promise<unknown> {
    if (this.#stopped) return Promise.reject(new AppError('internal', 'Localpost is closing.'));
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#options.log.warn('Media job took too long; worker ended', { job, ms: this.#options.jobTimeoutMs });
        this.#end(unreadable(`Reading that file took longer than ${Math.round(this.#options.jobTimeoutMs / 1000)} seconds.`));
      }, this.#options.jobTimeoutMs);
      this.#pending.set(id, { job, resolve, reject, timer });
      worker.postMessage({ id, job, args } satisfies MediaJob);
    });
  }

  #start(): HelperProcess {
    const worker = this.#options.launcher.start();
    this.#worker = worker;
    worker.onMessage((message) => this.#settle(message as MediaReply));
    worker.onExit((code) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#pending.size > 0) this.#options.log.warn('Media worker stopped during a job', { code, jobs: this.#pending.size });
      this.#failAll(unreadable('Localpost\u2019s media reader stopped while reading that file.'));
    });
    return worker;
  }

  #settle(reply: MediaReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(asBuffers(reply.value));
    else pending.reject(rebuild(reply.error));
    if (this.#pending.size === 0) {
      this.#idleTimer = setTimeout(() => this.#end(), this.#options.idleMs);
      this.#idleTimer.unref?.();
    }
  }

  /** Ends the worker (if any), failing its pending jobs with `error`. */
  #end(error: AppError = unreadable('Localpost\u2019s media reader stopped while reading that file.')): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(error);
    worker?.kill();
  }

  #failAll(error: AppError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const job of pending) {
      clearTimeout(job.timer);
      job.reject(error);
    }
  }
}

function unreadable(message: string): AppError {
  return new AppError('media_unsupported', message, { action: 'Try again; if it happens again, use another copy of the file.' });
}

function rebuild(error: SerializedError): Error {
  if (!error.appError) return new AppError('internal', error.message);
  return new AppError(error.code, error.message, {
    ...(error.action !== undefined ? { action: error.action } : {}),
    ...(error.retryAt !== undefined ? { retryAt: error.retryAt } : {}),
    ...(error.delivery !== undefined ? { delivery: error.delivery } : {}),
    ...(error.transient ? { transient: error.transient } : {}),
  });
}

/** Bytes arrive as plain Uint8Arrays (structured clone); the tools' callers were handed Buffers. */
function asBuffers(value: unknown): unknown {
  const buffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (value instanceof Uint8Array) return buffer(value);
  if (value && typeof value === 'object' && 'data' in value && (value as { data: unknown }).data instanceof Uint8Array) {
    return { ...value, data: buffer((value as { data: Uint8Array }).data) };
  }
  return value;
}
