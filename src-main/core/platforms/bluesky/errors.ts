// Bluesky's XRPC errors ({ error, message }, atproto.com/specs/xrpc) mapped to our stable codes.
import { XRPCError } from '@atproto/api';
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';

export function blueskyError(error: unknown, during: 'connect' | 'publish' | 'check'): AppError {
  const ours = findAppError(error);
  if (ours) return ours;
  if (!(error instanceof XRPCError)) {
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
  if (error.status === 429) {
    const retryAt = rateLimitReset(error.headers);
    const when = retryAt ? ` after ${new Date(retryAt).toLocaleTimeString()}` : ' in a few minutes';
    return new AppError('rate_limited', 'Bluesky is limiting requests from this account.', {
      action: `Try again${when}.`,
      ...(retryAt ? { retryAt } : {}),
    });
  }
  if (during === 'connect' && (error.status === 401 || name === 'AuthenticationRequired')) {
    return new AppError('invalid_credentials', 'The handle or app password is wrong, or the app password was revoked.', {
      action: 'Check the handle, or create a new app password at bsky.app/settings/app-passwords.',
    });
  }
  if (error.status === 401 || name === 'ExpiredToken' || name === 'InvalidToken' || name === 'AuthenticationRequired') {
    return new AppError('platform_auth_failed', 'Bluesky no longer accepts this account’s sign-in.', {
      action: 'Reconnect the account with a valid app password.',
    });
  }
  if (error.status === 1 || error.status === 2) {
    return new AppError('network_unreachable', 'The hosting provider could not be reached.', {
      action: 'Check your connection and the hosting provider address.',
      cause: error,
    });
  }
  if (error.status >= 500) {
    return new AppError('platform_rejected', `Bluesky's server failed (${error.status}): ${message}`, {
      action: 'Localpost tries again by itself in a moment.',
      transient: true,
    });
  }
  return new AppError('platform_rejected', `Bluesky refused: ${message}`, { action: 'Change what it refused and try again.' });
}

/** `ratelimit-reset` is seconds since the epoch (docs.bsky.app, rate limits). */
function rateLimitReset(headers: Record<string, string | undefined> | undefined): number | undefined {
  const reset = Number(headers?.['ratelimit-reset'] ?? headers?.['RateLimit-Reset']);
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}
