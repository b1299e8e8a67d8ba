// How an OAuth failure becomes one of our stable error codes. oauth4webapi reports a refused
// authorization as AuthorizationResponseError (RFC 6749 §4.1.2.1), a refused token request as
// ResponseBodyError (RFC 6749 §5.2), a 401 with a challenge as WWWAuthenticateChallengeError, and
// anything else unexpected as OperationProcessingError; our own HTTP path throws AppError
// (`network_unreachable`) before any of that.
import {
  AuthorizationResponseError,
  INVALID_RESPONSE,
  OperationProcessingError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'oauth4webapi';
import type { ErrorCode } from '../../../src-preload/contract';
import { retryAtFrom } from '../http/rateLimit';
import { AppError } from '../errors';
import { findAppError } from '../http/httpClient';
import { failureActions } from '../http/platformFailure';

export function oauthError(
  code: ErrorCode,
  message: string,
  options: { action?: string; retryAt?: number; cause?: unknown } = {},
): AppError {
  return new AppError(code, message, options);
}

export type OAuthStage = 'authorization' | 'token' | 'refresh' | 'revocation';

export interface OAuthFailureContext {
  /** Shown to the user: "X", "mastodon.social". */
  platformName: string;
  stage: OAuthStage;
  /** The redirect URI of the flow, so a mismatch can name the exact address to register. */
  redirectUri?: string;
  /** For `rate_limited`: when the server says to come back. */
  now?: number;
}

/** Maps whatever an OAuth exchange threw to an AppError. Messages never carry codes or tokens. */
export function toOAuthAppError(error: unknown, context: OAuthFailureContext): AppError {
  const ours = findAppError(error);
  if (ours) return ours;
  const { platformName } = context;

  if (error instanceof AuthorizationResponseError) {
    return fromOAuthErrorBody(error.error, error.error_description, context, error);
  }
  if (error instanceof ResponseBodyError) {
    if (error.status === 429) return rateLimited(error.response, context, error);
    return fromOAuthErrorBody(error.error, error.error_description, context, error);
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    if (error.status === 429) return rateLimited(error.response, context, error);
    return oauthError('platform_rejected', `${platformName} refused Localpost's client credentials.`, {
      action: `Check the Client ID and Client secret in Settings → ${platformName}.`,
      cause: error,
    });
  }
  if (error instanceof OperationProcessingError && error.code === INVALID_RESPONSE && /"iss"/.test(error.message)) {
    // RFC 9207: the answer names another authorization server than the one we sent the user to
    // (a mix-up attack, RFC 9700 §4.4), or the configured issuer is wrong.
    return oauthError('platform_rejected', `The sign-in answer did not come from ${platformName}'s sign-in server.`, {
      action: `Connect again; if it keeps happening, check the server addresses in Settings → ${platformName}.`,
      cause: error,
    });
  }
  if (error instanceof OperationProcessingError && error.cause instanceof Response) {
    const { status } = error.cause;
    if (status === 429) return rateLimited(error.cause, context, error);
    return oauthError('platform_rejected', `${platformName}'s sign-in server answered with an error (HTTP ${status}).`, {
      action: 'Try again in a few minutes.',
      cause: error,
    });
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    // undici's own failure (no HttpFetch wrapper in front of it): the server could not be reached.
    return oauthError('network_unreachable', `Could not reach ${platformName}.`, {
      action: 'Check your connection, then try again.',
      cause: error,
    });
  }
  return oauthError('platform_rejected', `${platformName} gave an answer Localpost did not understand.`, {
    action: 'Try again; if it keeps happening, check the server address in Settings.',
    cause: error,
  });
}

// Servers name redirect problems in different ways: `invalid_redirect_uri` (oidc-provider), or
// `invalid_request` with "Value passed for the redirect uri parameter was invalid." (X's token
// endpoint, as X answers; docs.x.com does not list it), or Doorkeeper's "The redirect uri included
// is not valid." (Mastodon).
const redirectProblem = /redirect[ _-]?ur[il]/i;

function fromOAuthErrorBody(code: string, description: string | undefined, context: OAuthFailureContext, cause: unknown): AppError {
  const { platformName, stage } = context;
  const theirWords = description ? `: ${description}` : '.';
  if (code === 'invalid_redirect_uri' || redirectProblem.test(description ?? '')) {
    const register = context.redirectUri ? ` Register exactly ${context.redirectUri} as a redirect (callback) URI.` : '';
    return oauthError('redirect_mismatch', `${platformName} does not accept Localpost's redirect address.${register}`, {
      action: `Add the redirect URI shown in Settings → ${platformName} to your developer app, then connect again.`,
      cause,
    });
  }
  if (code === 'access_denied') {
    return oauthError('platform_rejected', `Access was not granted on ${platformName}${theirWords}`, {
      action: 'Connect again and choose Allow (or Authorize) on the consent page.',
      cause,
    });
  }
  if (code === 'invalid_grant' && stage === 'refresh') {
    // The refresh token was revoked, expired, or already used (RFC 6749 §5.2; rotation: RFC 9700 §4.14.2).
    return oauthError('platform_auth_failed', `${platformName} no longer accepts this account's sign-in${theirWords}`, {
      action: failureActions.reconnect,
      cause,
    });
  }
  if (code === 'invalid_grant') {
    return oauthError('platform_rejected', `${platformName} refused the sign-in code (expired or already used)${theirWords}`, {
      action: 'Connect again; finish the consent page within a few seconds.',
      cause,
    });
  }
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return oauthError('platform_rejected', `${platformName} refused Localpost's client credentials${theirWords}`, {
      action: `Check the Client ID and Client secret in Settings → ${platformName}.`,
      cause,
    });
  }
  if (code === 'invalid_scope') {
    return oauthError('platform_rejected', `${platformName} refused the requested permissions${theirWords}`, {
      action: `Check that your developer app on ${platformName} allows these permissions.`,
      cause,
    });
  }
  return oauthError('platform_rejected', `${platformName} refused (${code})${theirWords}`, { action: 'Try connecting again.', cause });
}

function rateLimited(response: Response, context: OAuthFailureContext, cause: unknown): AppError {
  const retryAt = retryAtFrom(response.headers, context.now ?? Date.now());
  const when = retryAt ? ` after ${new Date(retryAt).toLocaleTimeString()}` : ' in a few minutes';
  return oauthError('rate_limited', `${context.platformName} is limiting sign-in requests.`, {
    action: `Try again${when}.`,
    ...(retryAt ? { retryAt } : {}),
    cause,
  });
}

