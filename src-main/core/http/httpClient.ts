// The one HTTP path every adapter uses: it refuses at once when the machine is offline, bounds
// every request with a timeout, and turns transport failures into `network_unreachable`, so no
// adapter has to recognise undici's error shapes itself.
import { AppError } from '../errors';
import type { HttpFetch, NetworkState } from '../ports';

export interface HttpClientOptions {
  fetch: HttpFetch;
  network: NetworkState;
  /** Per request, unless the caller passes its own signal. */
  timeoutMs?: number;
}

export function createHttpFetch({ fetch, network, timeoutMs = 30_000 }: HttpClientOptions): HttpFetch {
  return async function httpFetch(input, init) {
    if (!network.isOnline()) {
      throw new AppError('network_unreachable', 'This computer is offline.', {
        action: 'Your post waits and goes out when you are back online.',
        delivery: 'not_sent',
      });
    }
    // An upload streamed from disk may take minutes on a slow connection: its time runs from the
    // last chunk sent, not from the start, so only a stalled request counts as unanswered. Any
    // other request gets Node's own timeout signal, whose timer holds it only weakly: once the
    // exchange is over, the signal and what listens to it are collected, not kept until the
    // timer fires (thousands of them after a burst of posts).
    const upload = init?.body instanceof ReadableStream ? watchedUpload(init.body, declaredLength(init.headers), timeoutMs) : undefined;
    const timeoutSignal = upload?.signal ?? AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeoutSignal]) : timeoutSignal;
    const body = upload ? upload.stream : init?.body;
    try {
      const answer = await fetch(input, { ...init, ...(body === undefined ? {} : { body }), signal });
      upload?.heldBy(answer);
      return answer;
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      // The body's own failure (its file gone, or changed since it was queued) is what went wrong,
      // not the connection: fetch reports it as a network error, with the body's error as cause.
      const bodyFailure = upload?.failure();
      if (bodyFailure) throw bodyFailure;
      const timedOut = timeoutSignal.aborted;
      // A request whose body was not all handed over cannot have been acted on: no server takes a
      // message, a media file or a post from half a request. So an upload cut off mid-body is
      // surely not sent, and sending it again makes no second post.
      const delivery = (!timedOut && neverConnected(error)) || (upload && !upload.complete()) ? 'not_sent' : 'maybe_sent';
      const host = hostOf(input);
      throw new AppError(
        'network_unreachable',
        timedOut ? `${host} did not answer within ${seconds(timeoutMs)}.` : `Could not reach ${host}.`,
        { action: 'Check your connection and the server address.', cause: error, delivery },
      );
    }
  };
}

/** What keeps an upload's watch while its answer is read: the answer itself. */
const watchOfAnswer = new WeakMap<Response, AbortController>();

/** A streamed body watched as it is handed over, with a timeout that each chunk restarts, and once
 *  more its end; whether all of it was taken: its declared length (the last chunk may go out
 *  before the stream is asked for more and says it has ended), or its end; and the AppError the
 *  body itself failed with, if it did (a file that could not be read). The watch pulls one
 *  chunk when the connection asks for one and restarts one timer (`refresh`), so a gigabyte in
 *  256 KiB chunks costs no pipe of its own and no timer per chunk. The timer holds the watch only
 *  weakly, as Node's `AbortSignal.timeout` holds its signal: the body holds it while it is sent,
 *  the request while it waits, then its answer (`heldBy`) while that is read; once the answer is
 *  let go, the watch and what listens to its signal are collected, not kept until the timer
 *  fires (a thousand of them after a burst of posts with images). */
function watchedUpload(
  stream: ReadableStream<Uint8Array>,
  length: number | undefined,
  ms: number,
): { signal: AbortSignal; stream: ReadableStream<Uint8Array>; complete(): boolean; failure(): AppError | undefined; heldBy(answer: Response): void } {
  const controller = new AbortController();
  const timer = abortWhenDue(controller, ms);
  const restart = () => {
    if (!controller.signal.aborted) timer.refresh();
  };
  let ended = false;
  let taken = 0;
  let failure: AppError | undefined;
  const source = stream.getReader();
  const watched = new ReadableStream<Uint8Array>(
    {
      async pull(output) {
        const next = await source.read().catch((error: unknown) => {
          if (error instanceof AppError) failure = error;
          throw error;
        });
        restart();
        if (next.done) {
          ended = true;
          output.close();
          return;
        }
        taken += next.value.byteLength;
        output.enqueue(next.value);
      },
      cancel: (reason) => source.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return {
    signal: controller.signal,
    stream: watched,
    complete: () => ended || (length !== undefined && taken >= length),
    failure: () => failure,
    heldBy: (answer) => void watchOfAnswer.set(answer, controller),
  };
}

/** A timer that aborts with a TimeoutError when it fires, holding the controller only weakly. A
 *  function of its own, so that its callback's scope holds nothing else (closures made in one
 *  scope share it). */
function abortWhenDue(controller: AbortController, ms: number): ReturnType<typeof setTimeout> {
  const watched = new WeakRef(controller);
  const timer = setTimeout(() => watched.deref()?.abort(new DOMException(`No progress for ${ms} ms`, 'TimeoutError')), ms);
  timer.unref?.();
  return timer;
}

function declaredLength(headers: RequestInit['headers']): number | undefined {
  const value = headers === undefined ? null : new Headers(headers).get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

// Failures before a connection existed: nothing was sent. Anything else (a reset, a socket closed
// mid-answer) may have happened after the request reached the server.
const connectErrorCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function neverConnected(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && connectErrorCodes.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function seconds(ms: number): string {
  const count = Math.max(1, Math.round(ms / 1000));
  return count === 1 ? '1 second' : `${count} seconds`;
}

function hostOf(input: Parameters<HttpFetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** Finds an AppError anywhere in a cause chain (client libraries wrap what our fetch threw). */
export function findAppError(error: unknown): AppError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    if (e instanceof AppError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
