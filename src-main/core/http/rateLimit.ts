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

export function rateLimitedError(platform: string, retryAt: number | undefined): AppError {
  const when = retryAt ? ` after ${new Date(retryAt).toLocaleTimeString()}` : ' in a few minutes';
  return new AppError('rate_limited', `${platform} is limiting requests right now.`, {
    action: `Try again${when}. Nothing was posted by the refused request.`,
    ...(retryAt ? { retryAt } : {}),
  });
}
