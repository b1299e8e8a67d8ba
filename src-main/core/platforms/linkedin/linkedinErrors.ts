// LinkedIn's refusals as Localpost's stable error codes. Errors come as `{ status,
// serviceErrorCode, code, message }` (learn.microsoft.com, linkedin/shared/api-guide/concepts/
// error-handling); 401 is an invalid (65600), revoked (65601) or expired (65602) token; 429 is a
// daily limit, sent with no Retry-After and no rate-limit headers (api-guide/concepts/rate-limits).
import type { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';

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
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, ...(said ? { said } : {}) },
    { platformName: 'LinkedIn', authFailed: [401], tooLarge: [413], tooLargeAction: 'Use smaller images.' },
    now,
  );
}
