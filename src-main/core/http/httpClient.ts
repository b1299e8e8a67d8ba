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
    const host = hostOf(input);
    if (!network.isOnline()) {
      throw new AppError('network_unreachable', 'This computer is offline.', {
        action: 'Your post waits and goes out when you are back online.',
        delivery: 'not_sent',
      });
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(input, { ...init, signal });
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const timedOut = timeout.aborted;
      const delivery = !timedOut && neverConnected(error) ? 'not_sent' : 'maybe_sent';
      throw new AppError(
        'network_unreachable',
        timedOut ? `${host} did not answer within ${seconds(timeoutMs)}.` : `Could not reach ${host}.`,
        { action: 'Check your connection and the server address.', cause: error, delivery },
      );
    }
  };
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
