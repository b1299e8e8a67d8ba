// Bluesky's XRPC errors ({ error, message }, atproto.com/specs/xrpc) mapped to our stable codes.
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';
import { classifyHttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import { systemClock } from '../../ports';
import { XrpcError } from './xrpcSession';

/** `now` reads a Retry-After in seconds; Bluesky's own `RateLimit-Reset` is an epoch time. */
export function blueskyError(error: unknown, during: 'connect' | 'publish' | 'check', now = systemClock.now()): AppError {
  const ours = findAppError(error);
  if (ours) return ours;
  if (!(error instanceof XrpcError)) {
    return new AppError('internal', 'Bluesky gave an answer Localpost did not understand.', { cause: error });
  }
  const name = error.error ?? '';
  const message = error.message || name;
  if (name === 'AuthFactorTokenRequired') {
    return new AppError('auth_factor_required', 'Bluesky sent a sign-in code to your email.', {
      action: 'Type the code from the email and connect again.',
    });
  }
  if (name === 'AccountTakedown' || name === 'AccountDeactivated') {
    return new AppError('platform_rejected', `Bluesky refused: ${message}`, {
      action: 'The hosting provider has suspended this account; contact them.',
    });
  }
  // At sign-in, a refusal means the handle or app password, not a saved session
  // (com.atproto.server.createSession answers 401 AuthenticationRequired).
  if (during === 'connect' && error.status !== 429 && (error.status === 401 || name === 'AuthenticationRequired')) {
    return new AppError('invalid_credentials', 'The handle or app password is wrong, or the app password was revoked.', {
      action: 'Check the handle, or create a new app password at bsky.app/settings/app-passwords.',
    });
  }
  // The XRPC session's own statuses for an answer it could not read: 1 Unknown, 2 InvalidResponse.
  if (error.status === 1 || error.status === 2) {
    return new AppError('network_unreachable', 'The hosting provider could not be reached.', {
      action: 'Check your connection and the hosting provider address.',
      cause: error,
    });
  }
  const headers = new Headers(Object.entries(error.headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return classifyHttpFailure(
    { status: error.status, headers, said: message, means: expiredSessionErrors.includes(name) ? 'auth_failed' : undefined },
    blueskyFailureRules,
    now,
  );
}

/** The XRPC error names for a session the PDS no longer accepts, whatever the status. */
const expiredSessionErrors = ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired'];

const blueskyFailureRules: PlatformFailureRules = {
  platformName: 'Bluesky',
  authFailed: [401],
  // A blob over the PDS's own upload limit (each hosting provider sets one: its
  // PDS_BLOB_UPLOAD_LIMIT) is refused with 413 PayloadTooLarge.
  tooLarge: [413],
  tooLargeAction: 'Your hosting provider takes smaller files than this one: shorten or compress it, then publish again.',
  lostAccess: { action: 'Reconnect the account with a valid app password.' },
};
