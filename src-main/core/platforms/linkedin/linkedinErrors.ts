// LinkedIn's refusals as Localpost's stable error codes. Errors come as `{ status,
// serviceErrorCode, code, message }` (learn.microsoft.com, linkedin/shared/api-guide/concepts/
// error-handling); 401 is an invalid (65600), revoked (65601) or expired (65602) token; 429 is a
// daily limit, sent with no Retry-After and no rate-limit headers (api-guide/concepts/rate-limits).
import type { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';
import { retryAtFrom } from '../../http/rateLimit';

/** Reads a failed response (consuming its body) into an AppError. */
export async function linkedinProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let said: string | undefined;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message.trim()) said = parsed.message.trim();
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  // rate-limits: the limits are per day and reset at midnight UTC, and the 429 for a spent one
  // says which ("Resource level throttle MEMBER DAY limit for calls to this resource is
  // reached.") without a Retry-After: trying again sooner cannot succeed. Any other 429 (LinkedIn
  // also throttles to protect itself) backs off as usual.
  const dailyLimit = response.status === 429 && /\bDAY limit\b/i.test(said ?? '');
  const retryAt = retryAtFrom(response.headers, now) ?? (dailyLimit ? nextUtcMidnight(now) : undefined);
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, ...(said ? { said } : {}), ...(retryAt !== undefined ? { retryAt } : {}) },
    { platformName: 'LinkedIn', authFailed: [401], tooLarge: [413], tooLargeAction: 'Use smaller images.' },
    now,
  );
}

function nextUtcMidnight(now: number): number {
  const today = new Date(now);
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
}
