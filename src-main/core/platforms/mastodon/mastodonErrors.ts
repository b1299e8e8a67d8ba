// Mastodon's refusals as Localpost's stable error codes. Mastodon answers errors as
// `{ "error": "…" }` (docs.joinmastodon.org/entities/Error): 401 "The access token is invalid",
// 413 for an upload over the instance's limit, 422 "Validation failed: …", 429 with the
// rate-limit headers (docs.joinmastodon.org/api/rate-limits).
import type { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';

/** Reads a failed response (consuming its body) into an AppError. */
export async function mastodonProblem(response: Response, instanceHost: string, now: number): Promise<AppError> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown };
  const said = typeof body.error === 'string' ? body.error : undefined;
  return classifyHttpFailure({ status: response.status, headers: response.headers, said }, { platformName: instanceHost, authFailed: [401], tooLarge: [413] }, now);
}
