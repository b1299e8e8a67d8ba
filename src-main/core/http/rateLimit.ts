// Rate limits, read the one way every adapter needs: when may the request be tried again.
import { AppError } from '../errors';

/** `Retry-After` (RFC 9110 §10.2.3) is seconds or an HTTP date; returns epoch ms, if given. */
export function retryAtFromHeader(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return now + Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/**
 * When a refused request may go again, from whichever header the platform sends: `Retry-After`,
 * or X's `x-rate-limit-reset` in epoch seconds (platforms.md §3).
 */
export function retryAtFrom(headers: Headers, now: number): number | undefined {
  const fromRetryAfter = retryAtFromHeader(headers.get('retry-after'), now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const reset = Number(headers.get('x-rate-limit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

export function rateLimitedError(platform: string, retryAt: number | undefined): AppError {
  const when = retryAt ? ` after ${new Date(retryAt).toLocaleTimeString()}` : ' in a few minutes';
  return new AppError('rate_limited', `${platform} is limiting requests right now.`, {
    action: `Try again${when}. Nothing was posted by the refused request.`,
    ...(retryAt ? { retryAt } : {}),
  });
}
