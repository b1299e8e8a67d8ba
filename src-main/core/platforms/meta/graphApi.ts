// Where a Meta platform's Graph API calls go: the host (graph.facebook.com, graph.instagram.com,
// or a test's server), then the version the user's settings name, read at each call so a change in
// Settings applies to the next one (developers.facebook.com/docs/graph-api/guides/versioning:
// `https://graph.facebook.com/v24.0/{node}`).
import { metaGraphApiVersionPattern } from '../../../../src-shared/metaGraphApi';
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { failureActions } from '../../http/platformFailure';
import type { Logger } from '../../log/logger';
import { assertSafeEndpoint, type EnvRecord } from '../../oauth/endpoints';
import type { OAuthAccounts } from '../../oauth/oauthAccounts';
import { metaGraphErrorOf, metaGraphRefusal, type MetaGraphError } from './metaGraphErrors';

/** The versioned base for Graph API calls on `host` (an origin, without a version). */
export function graphApiBase(host: string, version: string): string {
  if (!metaGraphApiVersionPattern.test(version)) {
    throw new AppError('invalid_input', `The Graph API version in Settings is not one Meta names: ${version}.`, { action: 'Open Settings → Developer apps and write it like v24.0.' });
  }
  return `${host.replace(/\/+$/, '')}/${version}`;
}

/** The hosts Meta serves Facebook's login dialog, its Graph API and video uploads from (docs/
 *  video-api/guides/publishing posts videos to graph-video.facebook.com), for Facebook Pages and for
 *  the Instagram accounts reached through a Page. Tests move them with
 *  LOCALPOST_FACEBOOK_DIALOG_ORIGIN, _GRAPH_ORIGIN and _VIDEO_ORIGIN. */
export function facebookHosts(env: EnvRecord): { dialog: string; graph: string; video: string } {
  const pick = (name: string, fallback: string) => {
    const variable = `LOCALPOST_FACEBOOK_${name}_ORIGIN`;
    return assertSafeEndpoint(env[variable]?.trim() || fallback, variable).replace(/\/+$/, '');
  };
  return { dialog: pick('DIALOG', 'https://www.facebook.com'), graph: pick('GRAPH', 'https://graph.facebook.com'), video: pick('VIDEO', 'https://graph-video.facebook.com') };
}

/**
 * A Graph API answer's body, or the refusal it carries as an AppError: Meta's error object where
 * there is one (an error can come with a 200, graph-api/guides/error-handling), else the status.
 * `refine` turns the errors a platform has its own words or its own handling for into its own
 * (null for the rest).
 */
export async function readGraphAnswer(
  platformName: string,
  response: Response,
  now: number,
  refine?: (error: MetaGraphError | null, body: unknown) => Error | null,
): Promise<object> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  const error = metaGraphErrorOf(body);
  if (!response.ok || error) throw refine?.(error, body) ?? metaGraphRefusal(platformName, error, response.status, response.headers, now);
  if (!body || typeof body !== 'object') {
    throw new AppError('platform_rejected', `${platformName} answered with something Localpost cannot read.`, { action: failureActions.tryLater, transient: true });
  }
  return body;
}

/**
 * A Graph API call with the account's saved token (Meta takes it as `Authorization: Bearer`), a
 * form body when there is one, its answer read by `read`; a refused sign-in is logged for the
 * account before the error goes on.
 */
export async function graphCall<T>(
  deps: { oauthAccounts: Pick<OAuthAccounts, 'authorizedFetch'>; log: Logger },
  account: Account,
  request: { method: 'GET' | 'POST'; url: string; form?: URLSearchParams },
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const { method, url, form } = request;
  const response = await deps.oauthAccounts.authorizedFetch(account, url, {
    method,
    headers: { accept: 'application/json', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: form.toString() } : {}),
  });
  try {
    return await read(response);
  } catch (error) {
    if (error instanceof AppError && error.code === 'platform_auth_failed') deps.log.warn('The platform refused the sign-in', { account: account.id, message: error.message });
    throw error;
  }
}
