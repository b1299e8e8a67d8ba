// TikTok's refusals as Localpost's stable error codes. Every v2 API answer carries the envelope
// `{ data, error: { code, message, log_id } }`, `code` "ok" on success (developers.tiktok.com,
// tiktok-api-v2-error-handling); the posting errors are the Content Posting API's
// (content-posting-api-reference-direct-post, "Error codes"). TikTok's own code goes into the
// message, so a person asking TikTok's support can quote it with the log id.
import { AppError } from '../../errors';
import { classifyHttpFailure, failureActions } from '../../http/platformFailure';

export interface TikTokErrorBody {
  code: string;
  message: string;
  logId: string | null;
}

const day = 24 * 60 * 60_000;

/** The envelope's error, or null for "ok" or a body that has none. */
export function tiktokErrorOf(body: unknown): TikTokErrorBody | null {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== 'object') return null;
  const { code, message, log_id } = error as { code?: unknown; message?: unknown; log_id?: unknown };
  if (typeof code !== 'string' || code === 'ok' || code === '') return null;
  return { code, message: typeof message === 'string' ? message.trim() : '', logId: typeof log_id === 'string' ? log_id : null };
}

/** Reads a failed answer (consuming its body) into an AppError. */
export async function tiktokProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  return tiktokRefusal(tiktokErrorOf(body), response.status, response.headers, now);
}

/** TikTok's error (with the HTTP status it came with) as an AppError. */
export function tiktokRefusal(error: TikTokErrorBody | null, status: number, headers: Headers | undefined, now: number): AppError {
  const said = error ? saidBy(error) : undefined;
  return (
    (error && knownTikTokError(error, headers, now)) ??
    classifyHttpFailure(
      { status, ...(headers ? { headers } : {}), ...(said ? { said } : {}) },
      { platformName: 'TikTok', authFailed: [401], tooLarge: [413], tooLargeAction: 'TikTok takes videos of up to 4 GB.' },
      now,
    )
  );
}

function saidBy(error: TikTokErrorBody): string {
  return `${error.message || error.code} (TikTok: ${error.code}${error.logId ? `, log id ${error.logId}` : ''})`;
}

/** The error codes Localpost has particular words for (a status/fetch `fail_reason` may be one); null for the rest. */
export function knownTikTokError(error: TikTokErrorBody, headers: Headers | undefined, now: number): AppError | null {
  const said = saidBy(error);
  const nothingPosted = { delivery: 'not_sent' as const };
  switch (error.code) {
    case 'access_token_invalid':
    case 'scope_not_authorized':
    case 'scope_permission_missed':
      return new AppError('platform_auth_failed', `TikTok no longer accepts this account’s sign-in: ${said}`, { action: failureActions.reconnect });
    case 'rate_limit_exceeded':
      // 6 video inits a minute per user, 20 creator_info, 30 status fetches (tiktok-api-v2-rate-limit).
      return classifyHttpFailure({ status: 429, ...(headers ? { headers } : {}), means: 'rate_limited', said: said ?? '' }, { platformName: 'TikTok', authFailed: [], tooLarge: [] }, now);
    case 'spam_risk_too_many_posts':
      // A daily cap on API posts per creator: nothing is gained before tomorrow.
      return new AppError('rate_limited', `TikTok allows this account no more posts from apps today: ${said}`, {
        action: 'Localpost tries again in a day; nothing was posted.',
        retryAt: now + day,
        ...nothingPosted,
      });
    case 'spam_risk_too_many_pending_share':
    case 'spam_risk_user_banned_from_posting':
    case 'spam_risk':
      return new AppError('platform_rejected', `TikTok refused to take more posts from this account now: ${said}`, {
        action: 'Open TikTok to see why (pending shares, or a posting ban), then retry.',
        ...nothingPosted,
      });
    case 'privacy_level_option_mismatch':
      return new AppError('platform_rejected', `TikTok does not offer this account the audience chosen for the video: ${said}`, {
        action: 'Open the post in the composer, choose who can see the video among the levels shown, then publish again.',
        ...nothingPosted,
      });
    case 'unaudited_client_can_only_post_to_private_accounts':
      // About the ACCOUNT's privacy, not the post's (content-sharing-guidelines: "All user accounts …
      // must be set to private at the time of posting").
      return new AppError('platform_rejected', `Your TikTok developer app is not audited yet, and TikTok then posts only for private accounts: this TikTok account is public. ${said}`, {
        action: 'In the TikTok app, make the ACCOUNT private (Settings and privacy → Privacy → Private account), then retry; or have TikTok audit your developer app.',
        ...nothingPosted,
      });
    case 'reached_active_user_cap':
      return new AppError('platform_rejected', `Your TikTok developer app reached its daily cap of users who may post through it: ${said}`, {
        action: 'Try again tomorrow, or have TikTok audit the app to lift the cap.',
        ...nothingPosted,
      });
    case 'duration_check_failed':
    case 'frame_rate_check_failed':
    case 'picture_size_check_failed':
    case 'file_format_check_failed':
    case 'invalid_file_upload':
      return new AppError('media_unsupported', `TikTok refused the video: ${said}`, {
        action: 'Use an MP4 (H.264) of 360 to 4096 pixels a side, 23 to 60 frames a second, no longer than the account may post.',
        ...nothingPosted,
      });
    default:
      return null;
  }
}
