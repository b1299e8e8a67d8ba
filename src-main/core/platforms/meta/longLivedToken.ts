// The long-lived user token Meta's Instagram and Threads APIs share the shape of: the code buys a
// one-hour token, exchanged at once for a 60-day one with the app secret (`ig_exchange_token`,
// `th_exchange_token`), which renews itself by exchanging it again once it is at least 24 hours old
// and before it ends (`ig_refresh_token`, `th_refresh_token`); there is no refresh token
// (developers.facebook.com/documentation/instagram-platform/reference/access_token and
// refresh_access_token; developers.facebook.com/documentation/threads/get-started/long-lived-tokens).
// Both are GET requests with the secret and the token in the query string, so both are
// registered as secrets before the request goes.
import { AppError } from '../../errors';
import { registerSecret } from '../../log/redact';
import type { TokenRenewal } from '../../oauth/tokenRefresher';
import type { TokenSet } from '../../oauth/tokenSet';
import type { HttpFetch } from '../../ports';
import { metaGraphErrorOf, metaGraphRefusal } from './metaGraphErrors';

const day = 24 * 60 * 60_000;

/** A token answer (`{ access_token, token_type, expires_in }`) as a TokenSet, or Meta's refusal. */
export async function readMetaTokenAnswer(platformName: string, response: Response, now: number, scope: string): Promise<TokenSet> {
  const body = (await response.json().catch(() => null)) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | null;
  const error = metaGraphErrorOf(body);
  if (!response.ok || error) throw metaGraphRefusal(platformName, error, response.status, response.headers, now);
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new AppError('platform_rejected', `${platformName} answered the token exchange without a token.`, { action: 'Connect again.' });
  }
  registerSecret(body.access_token);
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
  return {
    accessToken: body.access_token,
    ...(expiresIn !== undefined ? { expiresAt: now + expiresIn * 1000, obtainedAt: now } : { obtainedAt: now }),
    scope,
    tokenType: typeof body.token_type === 'string' ? body.token_type.toLowerCase() : 'bearer',
  };
}

/** The short-lived token traded for the long-lived one: `GET {url}?grant_type&client_secret&access_token`. */
export async function exchangeForLongLived(
  platformName: string,
  request: { fetch: HttpFetch; now: number; url: URL; grantType: string; clientSecret: string | undefined; tokens: TokenSet; settingsPath: string },
): Promise<TokenSet> {
  if (!request.clientSecret) {
    throw new AppError('developer_app_missing', `${platformName} needs your app’s secret to keep the sign-in.`, { action: `Add the ${platformName} app secret in Settings → Developer apps → ${request.settingsPath}.` });
  }
  // Both ride in the query string, as Meta documents the exchange: kept out of every log.
  registerSecret(request.tokens.accessToken);
  registerSecret(request.clientSecret);
  const url = new URL(request.url);
  url.searchParams.set('grant_type', request.grantType);
  url.searchParams.set('client_secret', request.clientSecret);
  url.searchParams.set('access_token', request.tokens.accessToken);
  return readMetaTokenAnswer(platformName, await request.fetch(url.href, { headers: { accept: 'application/json' } }), request.now, request.tokens.scope);
}

/**
 * The renewal (`GET {renewUrl(tokenUrl)}?grant_type&access_token`, the token itself the
 * credential): Meta renews only a token "at least 24 hours old but has not expired", so a younger
 * one is not sent, and the refusal says when it may be (the scheduler waits until then).
 */
export function metaTokenRenewal(platformName: string, grantType: string, renewUrl: (tokenUrl: string) => URL): TokenRenewal {
  return async (tokens, { fetch, now, tokenUrl }) => {
    if (tokens.obtainedAt !== undefined && now - tokens.obtainedAt < day) {
      throw new AppError('platform_rejected', `${platformName} renews a sign-in only once it is a day old.`, { retryAt: tokens.obtainedAt + day, transient: true });
    }
    const url = renewUrl(tokenUrl);
    url.searchParams.set('grant_type', grantType);
    url.searchParams.set('access_token', tokens.accessToken);
    return readMetaTokenAnswer(platformName, await fetch(url.href, { headers: { accept: 'application/json' } }), now, tokens.scope);
  };
}
