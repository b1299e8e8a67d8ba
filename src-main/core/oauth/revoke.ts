// Token revocation (RFC 7009) when the user disconnects an account. It never throws for anything
// the platform or the network does: disconnecting must go on (delete the credentials, keep the
// history) even when the platform is down, and the caller learns only whether it worked.
import * as oauth from 'oauth4webapi';
import type { Logger } from '../log/logger';
import type { HttpFetch } from '../ports';
import { clientAuthentication, describeClient, describeServer, type OAuthClientCredentials, requestOptions } from './oauthClient';
import { toOAuthAppError } from './oauthErrors';
import type { TokenSet } from './tokenSet';

export interface RevokeDeps {
  fetch: HttpFetch;
  log: Logger;
}

export interface RevokeRequest {
  platformName: string;
  endpoints: { revokeUrl?: string; issuer?: string };
  client: OAuthClientCredentials;
}

/** Revokes one token; true when the platform confirmed it (RFC 7009 §2.2: HTTP 200). */
export async function revokeToken(
  deps: RevokeDeps,
  request: RevokeRequest & { token: string; tokenTypeHint?: 'access_token' | 'refresh_token' },
): Promise<boolean> {
  const { revokeUrl, issuer } = request.endpoints;
  if (!revokeUrl) return false;
  try {
    const server = describeServer({ issuer: issuer ?? new URL(revokeUrl).origin, revokeUrl });
    const client = describeClient(request.client);
    const response = await oauth.revocationRequest(server, client, clientAuthentication(request.client), request.token, {
      ...requestOptions(revokeUrl, deps.fetch),
      ...(request.tokenTypeHint ? { additionalParameters: { token_type_hint: request.tokenTypeHint } } : {}),
    });
    await oauth.processRevocationResponse(response);
    return true;
  } catch (error) {
    const failure = toOAuthAppError(error, { platformName: request.platformName, stage: 'revocation' });
    deps.log.warn('token revocation failed; disconnecting anyway', { platform: request.platformName, code: failure.code, message: failure.message });
    return false;
  }
}

/**
 * Revokes an account's tokens: the refresh token first, since revoking it ends the grant and, per
 * RFC 7009 §2.1, should end its access tokens too; then the access token, for servers that do not.
 * True only when every revocation was confirmed.
 */
export async function revokeTokenSet(deps: RevokeDeps, request: RevokeRequest & { tokens: TokenSet }): Promise<boolean> {
  const { tokens, ...rest } = request;
  let confirmed = true;
  if (tokens.refreshToken) {
    confirmed = (await revokeToken(deps, { ...rest, token: tokens.refreshToken, tokenTypeHint: 'refresh_token' })) && confirmed;
  }
  confirmed = (await revokeToken(deps, { ...rest, token: tokens.accessToken, tokenTypeHint: 'access_token' })) && confirmed;
  return confirmed;
}
