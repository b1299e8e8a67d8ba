// Mastodon's refusals as Localpost's stable error codes. Mastodon answers errors as
// `{ "error": "…" }` (docs.joinmastodon.org/entities/Error): 401 "The access token is invalid",
// 422 "Validation failed: …", 429 with the rate-limit headers (docs.joinmastodon.org/api/rate-limits).
import { AppError } from '../../errors';
import { rateLimitedError, retryAtFromHeader } from '../../http/rateLimit';

/** Reads a failed response (consuming its body) into an AppError. */
export async function mastodonProblem(response: Response, instanceHost: string, now: number): Promise<AppError> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown; error_description?: unknown };
  const said = typeof body.error === 'string' && body.error.trim() ? body.error.trim() : `HTTP ${response.status}`;
  if (response.status === 429) {
    // X-RateLimit-Reset is an ISO 8601 timestamp; a proxy may send Retry-After instead.
    const reset = Date.parse(response.headers.get('x-ratelimit-reset') ?? '');
    const retryAt = Number.isNaN(reset) ? retryAtFromHeader(response.headers.get('retry-after'), now) : reset;
    return rateLimitedError(instanceHost, retryAt);
  }
  if (response.status === 401) {
    return new AppError('platform_auth_failed', `${instanceHost} no longer accepts this account’s sign-in: ${said}`, { action: 'Reconnect the account.' });
  }
  if (response.status === 413) {
    return new AppError('media_too_large', `${instanceHost} refused the upload as too large.`, { action: 'Use smaller or fewer images.' });
  }
  if (response.status >= 500) {
    return new AppError('platform_rejected', `${instanceHost} had a problem (${said}).`, { action: 'Localpost tries again by itself in a moment.', transient: true });
  }
  return new AppError('platform_rejected', `${instanceHost} refused: ${said}`, { action: 'Change what it refused and try again.' });
}
