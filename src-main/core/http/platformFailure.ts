// A platform's HTTP failure, classified the one way every adapter needs: into Localpost's stable
// codes, with the same advice for the same situation whatever the platform. An adapter reads its
// platform's error body (each has its own shape), then says here which statuses mean what for its
// platform; only what is truly its own (an error code inside a 400, a suspended account) stays in
// the adapter.
import { AppError } from '../errors';
import { rateLimitedError, retryAtFrom } from './rateLimit';

/** What a person can do about a failure, worded once. */
export const failureActions = {
  /** A 5xx: the outbox sends the post again later (see `transient`). */
  tryLater: 'Localpost tries again by itself in a moment.',
  changeAndRetry: 'Change what it refused and try again.',
  reconnect: 'Reconnect the account.',
  smallerImages: 'Use smaller or fewer images.',
} as const;

export interface HttpFailure {
  /** The HTTP status, or the status the platform reports in its body (Telegram's `error_code`). */
  status: number;
  headers?: Headers;
  /** The platform's own words about the failure, as the adapter read them from the body. */
  said?: string;
  /** When the platform says in its body, not in a header, when to try again (Discord's and
   *  Telegram's `retry_after`). Preferred to the headers. */
  retryAt?: number;
  /** What the platform's error body means, where it says more than the status does (a Discord
   *  error code, a Slack answer, an X problem type). */
  means?: 'rate_limited' | 'auth_failed' | 'too_large';
}

export interface PlatformFailureRules {
  /** The platform as the user knows it: 'Discord', or a Mastodon instance's host. */
  platformName: string;
  /** The statuses that mean the platform no longer accepts the saved credential. */
  authFailed: readonly number[];
  /** The statuses that mean an upload was too large; empty where the platform does not use one. */
  tooLarge: readonly number[];
  /** When the credential is not an account's sign-in (a webhook, a bot token): what was lost
   *  and how to get it back. */
  lostAccess?: { message?: string; action?: string };
  /** The platform's own size limits, when they help more than `failureActions.smallerImages`. */
  tooLargeAction?: string;
  /** What to do about a refusal that is not passing trouble, when the platform has better
   *  advice than `failureActions.changeAndRetry`. */
  refusedAction?: string;
}

/** The error for a request the platform answered with a failure. */
export function classifyHttpFailure(failure: HttpFailure, rules: PlatformFailureRules, now: number): AppError {
  const { status, means } = failure;
  const name = rules.platformName;
  const said = failure.said?.trim() || undefined;
  if (status === 429 || means === 'rate_limited') {
    return rateLimitedError(name, failure.retryAt ?? (failure.headers ? retryAtFrom(failure.headers, now) : undefined));
  }
  if (means === 'auth_failed' || rules.authFailed.includes(status)) {
    return new AppError('platform_auth_failed', rules.lostAccess?.message ?? `${name} no longer accepts this account’s sign-in${said ? `: ${said}` : '.'}`, {
      action: rules.lostAccess?.action ?? failureActions.reconnect,
    });
  }
  if (means === 'too_large' || rules.tooLarge.includes(status)) {
    return new AppError('media_too_large', `${name} refused the upload as too large.`, { action: rules.tooLargeAction ?? failureActions.smallerImages });
  }
  const theirWords = said ?? `HTTP ${status}`;
  if (status >= 500) {
    // Passing trouble at the platform (RFC 9110 §15.6: a 5xx is the server's failure, not the
    // request's): `transient` tells the outbox to send it again later.
    return new AppError('platform_rejected', `${name} had a problem (${theirWords}).`, { action: failureActions.tryLater, transient: true });
  }
  return new AppError('platform_rejected', `${name} refused: ${theirWords}`, { action: rules.refusedAction ?? failureActions.changeAndRetry });
}
