// Bluesky's XRPC errors ({ error, message }, atproto.com/specs/xrpc) mapped to our stable codes.
import { LexError, XrpcFetchError, XrpcInternalError, XrpcInvalidResponseError, XrpcResponseError, isXrpcErrorPayload } from '@atproto/lex-client';
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';
import { classifyHttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import { systemClock } from '../../ports';

/**
 * A failed XRPC answer to a call Localpost sends through the session's fetch handler itself
 * rather than through @atproto/lex-client's typed calls (those throw its XrpcResponseError).
 */
export class XrpcAnswerError extends Error {
  override name = 'XrpcAnswerError';
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    message: string | undefined,
    readonly headers: Headers,
  ) {
    super(message || error || `XRPC failed with status ${status}`);
  }
}

/** The failure a non-2xx answer stands for; its body is read (or left) here. */
export async function xrpcAnswerError(response: Response): Promise<XrpcAnswerError> {
  const said = (await response.json().catch(() => ({}))) as { error?: unknown; message?: unknown };
  return new XrpcAnswerError(
    response.status,
    typeof said.error === 'string' ? said.error : undefined,
    typeof said.message === 'string' ? said.message : undefined,
    response.headers,
  );
}

/** What a failed call said: its HTTP status (1 when none came, 2 for an answer that was not what the call returns), error name, message and headers. */
export interface XrpcFailureFacts {
  status: number;
  error: string | undefined;
  message: string;
  headers: Headers;
}

/** The facts of an XRPC failure, from either kind of call; undefined for anything else. */
export function xrpcFailureFacts(error: unknown): XrpcFailureFacts | undefined {
  if (error instanceof XrpcAnswerError) return { status: error.status, error: error.error, message: error.message, headers: error.headers };
  if (error instanceof XrpcResponseError) {
    // Only a body in the XRPC error shape names an error; any other is the status alone.
    const said = isXrpcErrorPayload(error.payload) ? error.payload.body : undefined;
    return { status: error.status, error: said?.error, message: said?.message || said?.error || `XRPC failed with status ${error.status}`, headers: error.headers };
  }
  if (error instanceof XrpcInvalidResponseError) return { status: 2, error: 'InvalidResponse', message: error.message, headers: error.response.headers };
  // A call that waited on a refresh the server refused carries that refusal as its cause.
  if (error instanceof XrpcInternalError && error.cause instanceof LexError) return xrpcFailureFacts(error.cause);
  if (error instanceof XrpcFetchError) return { status: 1, error: 'Unknown', message: error.message, headers: new Headers() };
  // The sign-in's "code needed" (LexAuthFactorError) wraps the server's answer.
  if (error instanceof LexError && !(error instanceof XrpcInternalError) && error.cause) return xrpcFailureFacts(error.cause);
  return undefined;
}

/** `now` reads a Retry-After in seconds; Bluesky's own `RateLimit-Reset` is an epoch time. */
export function blueskyError(error: unknown, during: 'connect' | 'publish' | 'check', now = systemClock.now()): AppError {
  const ours = findAppError(error);
  if (ours) return ours;
  const failure = xrpcFailureFacts(error);
  if (!failure) {
    return new AppError('internal', 'Bluesky gave an answer Localpost did not understand.', { cause: error });
  }
  const name = failure.error ?? '';
  const message = failure.message || name;
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
  if (during === 'connect' && failure.status !== 429 && (failure.status === 401 || name === 'AuthenticationRequired')) {
    return new AppError('invalid_credentials', 'The handle or app password is wrong, or the app password was revoked.', {
      action: 'Check the handle, or create a new app password at bsky.app/settings/app-passwords.',
    });
  }
  // No answer (1), or one that was not what the call returns (2).
  if (failure.status === 1 || failure.status === 2) {
    return new AppError('network_unreachable', 'The hosting provider could not be reached.', {
      action: 'Check your connection and the hosting provider address.',
      cause: error,
    });
  }
  return classifyHttpFailure(
    { status: failure.status, headers: failure.headers, said: message, means: expiredSessionErrors.includes(name) ? 'auth_failed' : undefined },
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
