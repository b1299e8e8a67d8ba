// Meta's Graph API refusals as Localpost's stable error codes, for every Meta platform: Facebook
// Pages, Instagram and Threads answer with the same error object and codes. It knows nothing of a
// platform beyond the name it is given.
//
// The error object (developers.facebook.com/docs/graph-api/guides/error-handling):
// `{ error: { message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id } }`.
// - 190 (subcodes 458 app removed, 459 checkpoint, 460 password changed, 463 expired, 464
//   unconfirmed, 467 invalid session) and 102: the access token is dead; the user must sign in again.
// - 10 and 200–299: a permission the app or the user did not grant.
// - 4 (app), 17 (user), 32 (page), 613 (custom) and 80000-series: rate limits. Meta then says in the
//   usage headers (`X-App-Usage`, `X-Business-Use-Case-Usage`) when access comes back:
//   `estimated_time_to_regain_access`, in minutes (graph-api/overview/rate-limiting).
// - `is_transient: true` and code 2 (service unavailable): passing trouble, worth trying again.
import { AppError } from '../../errors';
import { classifyHttpFailure, failureActions } from '../../http/platformFailure';

export interface MetaGraphError {
  message: string;
  type: string | null;
  code: number | null;
  subcode: number | null;
  userMessage: string | null;
  fbtraceId: string | null;
  transient: boolean;
}

const minute = 60_000;
const rateLimitCodes = new Set([4, 17, 32, 613]);
const deadTokenCodes = new Set([190, 102]);

/** The error object of a Graph API answer, or null when the body has none. */
export function metaGraphErrorOf(body: unknown): MetaGraphError | null {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  const number = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : null);
  return {
    message: text(e.message) ?? 'no message',
    type: text(e.type),
    code: number(e.code),
    subcode: number(e.error_subcode),
    userMessage: text(e.error_user_msg),
    fbtraceId: text(e.fbtrace_id),
    transient: e.is_transient === true,
  };
}

/** Meta's words, with its codes and trace id so a person asking Meta's support can quote them. */
export function metaSaid(error: MetaGraphError): string {
  const codes = [error.code, error.subcode].filter((value) => value !== null).join('/');
  const trace = error.fbtraceId ? `, fbtrace_id ${error.fbtraceId}` : '';
  return `${error.userMessage ?? error.message} (${codes ? `code ${codes}` : 'no code'}${trace})`;
}

/** When Meta's usage headers say access comes back (epoch ms), if they say. */
export function metaRegainAccessAt(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  let minutes: number | undefined;
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const raw = headers.get(name);
    if (!raw) continue;
    try {
      const parsed: unknown = JSON.parse(raw);
      // X-App-Usage is one object; X-Business-Use-Case-Usage maps an id to a list of objects.
      const entries = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed ? Object.values(parsed).flat() : [];
      for (const entry of [parsed, ...entries]) {
        const value = (entry as { estimated_time_to_regain_access?: unknown } | null)?.estimated_time_to_regain_access;
        if (typeof value === 'number' && value > 0) minutes = Math.max(minutes ?? 0, value);
      }
    } catch {
      // A header that is not JSON says nothing usable.
    }
  }
  return minutes === undefined ? undefined : now + minutes * minute;
}

/** A refused Graph API request (HTTP status, headers, body) as an AppError. */
export function metaGraphRefusal(platformName: string, error: MetaGraphError | null, status: number, headers: Headers | undefined, now: number): AppError {
  if (error) {
    const known = knownMetaGraphError(platformName, error, headers, now);
    if (known) return known;
  }
  return classifyHttpFailure(
    { status, ...(headers ? { headers } : {}), ...(error ? { said: metaSaid(error) } : {}) },
    { platformName, authFailed: [401], tooLarge: [413] },
    now,
  );
}

/** The codes Localpost has its own words for; null for the rest. */
function knownMetaGraphError(platformName: string, error: MetaGraphError, headers: Headers | undefined, now: number): AppError | null {
  const said = metaSaid(error);
  const code = error.code;
  if (code !== null && deadTokenCodes.has(code)) {
    return new AppError('platform_auth_failed', `${platformName} no longer accepts this account’s sign-in: ${said}`, { action: failureActions.reconnect });
  }
  if (code !== null && (code === 10 || (code >= 200 && code <= 299))) {
    // The message names the permission ("… requires the threads_content_publish permission").
    const permission = /\b([a-z]+(?:_[a-z]+)+)\b/.exec(error.message)?.[1];
    return new AppError('platform_rejected', `${platformName} refused because this sign-in lacks a permission${permission ? ` (${permission})` : ''}: ${said}`, {
      action: `Reconnect the account and allow everything ${platformName} asks for; if it persists, check that your app has the permission${permission ? ` ${permission}` : ''}.`,
      delivery: 'not_sent',
    });
  }
  if (code !== null && (rateLimitCodes.has(code) || (code >= 80000 && code < 80100))) {
    const retryAt = metaRegainAccessAt(headers, now) ?? now + 15 * minute;
    return new AppError('rate_limited', `${platformName} asked Localpost to slow down: ${said}`, {
      action: 'Localpost tries again once Meta allows it; nothing was lost.',
      retryAt,
    });
  }
  if (error.transient || code === 2) {
    return new AppError('platform_rejected', `${platformName} had a problem: ${said}`, { action: failureActions.tryLater, transient: true });
  }
  return null;
}
