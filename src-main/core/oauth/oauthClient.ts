// How Localpost describes a platform's authorization server and its own client to oauth4webapi,
// shared by the code exchange, the refresh and the revocation so that all three authenticate and
// reach the server the same way: through the core's one HTTP path (HttpFetch), never a fetch of
// their own.
import * as oauth from 'oauth4webapi';
import type { HttpFetch } from '../ports';
import { assertSafeEndpoint, isLoopbackHttp } from './endpoints';

/** The developer app: a public client (X's "Native App", PKCE only) or a confidential one. */
export interface OAuthClientCredentials {
  clientId: string;
  /** Present for confidential clients (X web apps, Mastodon's per-instance apps). */
  clientSecret?: string;
  /**
   * How a secret is sent (RFC 6749 §2.3.1). Basic by default: servers MUST support it; Mastodon's
   * documented requests put it in the body ('client_secret_post').
   */
  clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /**
   * The name the platform gives RFC 6749's `client_id` parameter, in the authorize URL and in every
   * token-endpoint body (the secret then always goes in the body). `client_id` when absent; TikTok
   * calls it `client_key` (developers.tiktok.com, oauth-user-access-token-management).
   */
  clientIdParameter?: string;
}

export interface ServerEndpoints {
  issuer: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
}

export function describeServer(endpoints: ServerEndpoints): oauth.AuthorizationServer {
  const check = (url: string | undefined, name: string) => (url === undefined ? undefined : assertSafeEndpoint(url, name));
  const authorization = check(endpoints.authorizeUrl, 'The authorize URL');
  const token = check(endpoints.tokenUrl, 'The token URL');
  const revocation = check(endpoints.revokeUrl, 'The revoke URL');
  return {
    issuer: endpoints.issuer,
    ...(authorization ? { authorization_endpoint: authorization } : {}),
    ...(token ? { token_endpoint: token } : {}),
    ...(revocation ? { revocation_endpoint: revocation } : {}),
  };
}

export function describeClient(credentials: OAuthClientCredentials): oauth.Client {
  return { client_id: credentials.clientId };
}

/**
 * A public client sends only its client_id (X: "You still are required to include Client Id in
 * the body for the requests with a public client"); a confidential one authenticates.
 */
export function clientAuthentication(credentials: OAuthClientCredentials): oauth.ClientAuth {
  const renamed = credentials.clientIdParameter;
  if (renamed && renamed !== 'client_id') {
    // oauth4webapi sets `client_id` only in its client authentication, so a platform that names it
    // otherwise authenticates here, the way RFC 6749 §2.3.1 puts credentials in the body.
    const secret = credentials.clientSecret;
    return (_server, client, body) => {
      body.set(renamed, client.client_id);
      if (secret) body.set('client_secret', secret);
    };
  }
  if (!credentials.clientSecret) return oauth.None();
  return credentials.clientAuthMethod === 'client_secret_post'
    ? oauth.ClientSecretPost(credentials.clientSecret)
    : oauth.ClientSecretBasic(credentials.clientSecret);
}

/**
 * Request options for one endpoint: our HttpFetch, and plain http allowed only when that
 * endpoint is on loopback (a test or local server; RFC 8252 §8.3), never for a remote host.
 */
export function requestOptions(endpointUrl: string, fetch: HttpFetch, signal?: AbortSignal) {
  return {
    [oauth.customFetch]: (url: string, init: RequestInit) => fetch(url, init),
    ...(isLoopbackHttp(endpointUrl) ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(signal ? { signal } : {}),
  };
}
