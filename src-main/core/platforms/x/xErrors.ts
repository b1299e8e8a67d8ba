// X's refusals as Localpost's stable error codes (docs.x.com
// x-api/fundamentals/response-codes-and-errors). X v2 answers errors as RFC 7807 problem details,
// `{ title, detail, type: "https://api.x.com/2/problems/<name>", status }` (older hosts still say
// api.twitter.com), and a 400 adds `errors: [{ message, parameters }]` naming the bad parameter.
// Statuses: 401 invalid or expired token, 403 not allowed (client-forbidden, duplicate content),
// 429 rate limit or usage cap, with `x-rate-limit-reset` in epoch seconds.
import { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';
import { retryAtFrom } from '../../http/rateLimit';

interface XProblemBody {
  title?: unknown;
  detail?: unknown;
  type?: unknown;
  errors?: unknown;
}

/** `usage-capped` from `https://api.x.com/2/problems/usage-capped`; undefined for `about:blank`. */
export function problemName(type: unknown): string | undefined {
  return typeof type === 'string' ? /\/2\/problems\/([\w-]+)/.exec(type)?.[1] : undefined;
}

/** Reads a failed response (consuming its body) into an AppError. */
export async function xProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let body: XProblemBody = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as XProblemBody;
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  const problem = problemName(body.type);
  const said = theirWords(body);

  if (problem === 'usage-capped') {
    // The developer app's monthly (or daily) allowance is used up: waiting for the window or
    // raising the plan helps, retrying now does not.
    const retryAt = retryAtFrom(response.headers, now);
    return new AppError('rate_limited', `X refused because your developer app has reached its usage cap: ${said ?? `HTTP ${response.status}`}`, {
      action: 'Check your plan and usage in the X Developer Console; nothing was posted.',
      ...(retryAt ? { retryAt } : {}),
    });
  }
  if (problem === 'client-forbidden') {
    return new AppError('platform_rejected', `X refused your developer app: ${said ?? `HTTP ${response.status}`}`, {
      action: 'Check in the X Developer Console that the app is in a Project with X API v2 access and allows Read and write.',
    });
  }
  // A 5xx is passing trouble at X: the outbox tries again later. Should X have posted it after
  // all, the re-send meets X's duplicate-content refusal rather than posting twice.
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, said, means: problem === 'rate-limit-exceeded' ? 'rate_limited' : undefined },
    { platformName: 'X', authFailed: [401], tooLarge: [413], tooLargeAction: 'Use smaller images (X takes at most 5 MB each), or a video of at most 512 MB.' },
    now,
  );
}

/**
 * X's own words: the messages of `errors[]` (they name the parameter, where `detail` of a 400 is
 * the generic "One or more parameters to your request was invalid."), else `detail`, else `title`.
 */
function theirWords(body: XProblemBody): string | undefined {
  const messages = Array.isArray(body.errors)
    ? body.errors.map((e) => (e && typeof e === 'object' ? (e as { message?: unknown }).message : undefined)).filter((m): m is string => typeof m === 'string' && !!m.trim())
    : [];
  if (messages.length > 0) return messages.join(' ');
  for (const field of [body.detail, body.title]) {
    if (typeof field === 'string' && field.trim()) return field.trim();
  }
  return undefined;
}
