// The tokens an OAuth account holds, as Localpost stores them in the vault: times as epoch
// milliseconds from the injected clock, never the server's relative `expires_in`.
import type { TokenEndpointResponse } from 'oauth4webapi';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent when the server says nothing (Mastodon tokens do not expire). */
  expiresAt?: number;
  /** When the token endpoint answered (epoch ms), so `expiresAt - obtainedAt` is the lifetime
   *  the server gave. Absent in tokens stored by earlier versions. */
  obtainedAt?: number;
  /** Space-separated granted scopes. */
  scope: string;
  /** Lowercase, as oauth4webapi normalizes it: 'bearer'. */
  tokenType: string;
}

/**
 * A token response as a TokenSet. `scope` may be omitted when it equals the requested scope
 * (RFC 6749 §5.1), so the requested one stands in.
 */
export function tokenSetFromResponse(response: TokenEndpointResponse, now: number, requestedScope: string): TokenSet {
  return {
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    ...(typeof response.expires_in === 'number' ? { expiresAt: now + response.expires_in * 1000, obtainedAt: now } : {}),
    scope: response.scope ?? requestedScope,
    tokenType: response.token_type,
  };
}

/**
 * The tokens after a refresh: a response without a refresh token keeps the stored one (RFC 6749
 * §6: the server MAY issue a new one; when it does not, the old one stays valid).
 */
export function mergeRefreshedTokens(previous: TokenSet, refreshed: TokenSet): TokenSet {
  const merged: TokenSet = { ...refreshed };
  const refreshToken = refreshed.refreshToken || previous.refreshToken;
  if (refreshToken) merged.refreshToken = refreshToken;
  else delete merged.refreshToken;
  return merged;
}
