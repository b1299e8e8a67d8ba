// Pinterest's refusals as Localpost's stable error codes. API v5 answers every error with the
// description's `Error` shape, `{ code: integer, message: string }` (api-description
// v5/openapi.json); a bad or expired token is 401 `{"code":2,"message":"Authentication failed."}`.
import type { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';

/** Reads a failed response (consuming its body) into an AppError. */
export async function pinterestProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let said: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const message = parsed && typeof parsed === 'object' ? (parsed as { message?: unknown }).message : undefined;
    if (typeof message === 'string' && message.trim()) said = message.trim();
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, ...(said ? { said } : {}) },
    { platformName: 'Pinterest', authFailed: [401], tooLarge: [413], tooLargeAction: 'Use a smaller image (JPEG or PNG).' },
    now,
  );
}
