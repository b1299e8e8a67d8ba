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
 * else the reset of its rate-limit header family: X's `x-rate-limit-reset` in epoch seconds
 * (docs.x.com, x-api/fundamentals/rate-limits), Mastodon's `X-RateLimit-Reset` as an ISO 8601 time
 * (docs.joinmastodon.org/api/rate-limits), Bluesky's `RateLimit-Reset` in epoch seconds
 * (docs.bsky.app, rate limits).
 */
export function retryAtFrom(headers: Headers, now: number): number | undefined {
  const fromRetryAfter = retryAtFromHeader(headers.get('retry-after'), now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  for (const prefix of ['x-rate-limit-', 'x-ratelimit-', 'ratelimit-']) {
    const reset = resetTime(headers.get(`${prefix}reset`), now);
    if (reset !== undefined) return reset;
  }
  return undefined;
}

/**
 * When a response that succeeded says the account has no requests left in this window, the time
 * the window resets; undefined while requests remain or when the platform does not say. The
 * outbox then holds the account's next post until that time instead of collecting a 429.
 * Header families, as each platform documents them: `RateLimit-*` (Bluesky, docs.bsky.app
 * rate-limits), `X-RateLimit-*` (Mastodon, docs.joinmastodon.org/api/rate-limits; Discord,
 * discord.com/developers/docs/topics/rate-limits), `x-rate-limit-*` (X, docs.x.com
 * x-api/fundamentals/rate-limits).
 */
export function quotaExhaustedUntil(headers: Headers, now: number): number | undefined {
  for (const prefix of ['ratelimit-', 'x-ratelimit-', 'x-rate-limit-']) {
    const remaining = headers.get(`${prefix}remaining`);
    if (remaining === null || Number(remaining) > 0) continue;
    const after = Number(headers.get(`${prefix}reset-after`) ?? Number.NaN); // Discord: seconds
    if (Number.isFinite(after)) return now + after * 1000;
    const reset = resetTime(headers.get(`${prefix}reset`), now);
    if (reset !== undefined && reset > now) return reset;
  }
  return undefined;
}

/** A reset header as epoch ms: epoch seconds (Bluesky, X, Discord), or else read as Retry-After
 *  reads it: an ISO or HTTP date (Mastodon), or seconds from now (the IETF RateLimit draft). */
function resetTime(value: string | null, now: number): number | undefined {
  const seconds = Number(value);
  return value && seconds > 1e9 ? seconds * 1000 : retryAtFromHeader(value, now);
}

export function rateLimitedError(platform: string, retryAt: number | undefined): AppError {
  const when = retryAt ? ` after ${new Date(retryAt).toLocaleTimeString()}` : ' in a few minutes';
  return new AppError('rate_limited', `${platform} is limiting requests right now.`, {
    action: `Try again${when}. Nothing was posted by the refused request.`,
    ...(retryAt ? { retryAt } : {}),
  });
}
