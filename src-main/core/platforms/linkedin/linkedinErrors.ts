// LinkedIn's refusals as Localpost's stable error codes. Errors come as `{ status,
// serviceErrorCode, code, message }` (learn.microsoft.com, linkedin/shared/api-guide/concepts/
// error-handling); 401 is an invalid (65600), revoked (65601) or expired (65602) token; 429 is a
// daily limit, sent with no Retry-After and no rate-limit headers (api-guide/concepts/rate-limits).
import { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';
import { retryAtFrom } from '../../http/rateLimit';

/** Reads a failed response (consuming its body) into an AppError. */
export async function linkedinProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let said: string | undefined;
  let inputErrorCodes: unknown[] = [];
  try {
    const parsed = JSON.parse(text) as { message?: unknown; errorDetails?: { inputErrors?: Array<{ code?: unknown }> } };
    if (typeof parsed.message === 'string' && parsed.message.trim()) said = parsed.message.trim();
    if (Array.isArray(parsed.errorDetails?.inputErrors)) inputErrorCodes = parsed.errorDetails.inputErrors.map((error) => error?.code);
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  // LinkedIn refuses a member's exact repost with 422, `errorDetails.inputErrors[].code`
  // DUPLICATE_POST and "Content is a duplicate of urn:li:share:…" (as developers report it; the
  // error-handling guide does not list it). Said plainly: it is not passing trouble, and the
  // platform's own words are an exception class name.
  if (response.status === 422 && (inputErrorCodes.includes('DUPLICATE_POST') || /duplicate of urn:li:/i.test(said ?? ''))) {
    const existing = /urn:li:[a-z]+:\d+/i.exec(said ?? '')?.[0];
    return new AppError('platform_rejected', `LinkedIn refused this post as a duplicate of one already on the account${existing ? ` (${existing})` : ''}: it takes the same text only once.`, {
      action: 'Check the account on LinkedIn; to post it again, change the text.',
    });
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
