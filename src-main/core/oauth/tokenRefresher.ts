// Refreshing an account's access token (RFC 6749 §6) safely when the platform rotates refresh
// tokens (X: single-use, as X behaves though docs.x.com does not say so; RFC 9700 §4.14.2):
//
// - One refresh at a time per account. Two concurrent refreshes would send the same refresh
//   token twice; with rotation the second is a reuse, and the server revokes the whole grant.
//   Callers that arrive while a refresh runs share its result.
// - Tokens are read inside that lock (loadAccount), so a refresh queued behind another one uses
//   the rotated refresh token, never a stale copy.
// - The rotated refresh token is stored (storeTokens, backed by the vault) before the new access
//   token is handed to anyone: if storing fails, the refresh fails, and no request goes out with
//   an access token whose refresh token we would have lost.
// - A response without a refresh token, or with an empty one, keeps the stored one.
// - invalid_grant means the grant is gone (revoked, expired, reused): `platform_auth_failed`, and
//   onRevoked tells the account layer (status needs_reauth, event token.revoked).
// - "Valid for a while" is at most a quarter of the token's lifetime, and a token refreshed less
//   than `minRefreshIntervalMs` ago is used as it is: a server that issues 20-second (or
//   0-second) tokens gets one refresh per lifetime, not one per request. Only a token the platform
//   has just refused (a 401) is refreshed at once.
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { failureActions } from '../http/platformFailure';
import type { Logger } from '../log/logger';
import type { Clock, HttpFetch } from '../ports';
import { clientAuthentication, describeClient, describeServer, requestOptions, type OAuthClientCredentials } from './oauthClient';
import { oauthError, toOAuthAppError } from './oauthErrors';
import { lifetimeOf, maxLeadShareOfLifetime, minRefreshIntervalMs } from './refreshScheduler';
import { mergeRefreshedTokens, tokenSetFromResponse, type TokenSet } from './tokenSet';

export interface RefreshableAccount {
  /** For messages: "X", "mastodon.social". */
  platformName: string;
  endpoints: { tokenUrl: string; issuer?: string };
  client: OAuthClientCredentials;
  tokens: TokenSet;
  /** The platform's own renewal, where its grant has no RFC 6749 refresh token (TokenPolicy.renew). */
  renew?: TokenRenewal;
}

/**
 * Renews a grant that has no refresh token by the platform's own exchange of the access token
 * itself (Threads' `th_refresh_token`), returning the new tokens. Throws an AppError:
 * `platform_auth_failed` means the grant is gone; one with `retryAt` says when renewal may be
 * asked again (a token too young to renew), which the scheduler waits for.
 */
export type TokenRenewal = (tokens: TokenSet, context: { fetch: HttpFetch; now: number; tokenUrl: string }) => Promise<TokenSet>;

export interface TokenRefresherDeps {
  fetch: HttpFetch;
  clock: Clock;
  /** Monotonic milliseconds for the floor between refreshes (default: performance.now). */
  monotonic?: () => number;
  log: Logger;
  /** The account's current client and tokens (from the vault), read inside the lock. */
  loadAccount(accountId: string): Promise<RefreshableAccount | undefined>;
  /** Persists the new tokens; the refresh only succeeds once this has. */
  storeTokens(accountId: string, tokens: TokenSet): Promise<void>;
  /** The platform refused the refresh token: the account needs the user to connect again. */
  onRevoked(accountId: string, error: AppError): void;
}

export interface RefreshOptions {
  /**
   * The access token the caller found rejected (a 401). When the stored one already differs,
   * another caller refreshed meanwhile and the stored tokens are returned without a request.
   */
  staleAccessToken?: string;
}

export interface TokenRefresher {
  /** Refreshes now (or joins the refresh in progress) and returns the stored, fresh tokens. */
  refresh(accountId: string, options?: RefreshOptions): Promise<TokenSet>;
  /** The stored tokens if they stay valid for `minValidityMs`, else refreshed ones. */
  freshTokens(accountId: string, minValidityMs: number): Promise<TokenSet>;
}

export function createTokenRefresher(deps: TokenRefresherDeps): TokenRefresher {
  const { fetch, clock, log } = deps;
  const monotonic = deps.monotonic ?? (() => performance.now());
  const inFlight = new Map<string, Promise<TokenSet>>();
  const lastRefreshAt = new Map<string, number>();

  /** Whether the stored tokens do: still valid for the wanted time, or refreshed just now. */
  function goodEnough(accountId: string, tokens: TokenSet, minValidityMs: number): boolean {
    const { expiresAt } = tokens;
    if (expiresAt === undefined) return true;
    const lifetime = lifetimeOf(tokens);
    const wanted = lifetime === undefined ? minValidityMs : Math.min(minValidityMs, Math.max(lifetime, 0) * maxLeadShareOfLifetime);
    if (expiresAt - clock.now() > wanted) return true;
    const last = lastRefreshAt.get(accountId);
    return last !== undefined && monotonic() - last < minRefreshIntervalMs;
  }

  function locked(accountId: string, run: () => Promise<TokenSet>): Promise<TokenSet> {
    const running = inFlight.get(accountId);
    if (running) return running;
    const started = run().finally(() => inFlight.delete(accountId));
    inFlight.set(accountId, started);
    return started;
  }

  async function load(accountId: string): Promise<RefreshableAccount> {
    const account = await deps.loadAccount(accountId);
    if (!account) throw oauthError('not_found', 'This account is no longer connected.');
    return account;
  }

  async function refreshNow(accountId: string, account: RefreshableAccount): Promise<TokenSet> {
    const { platformName, endpoints, client: credentials, tokens } = account;
    if (account.renew) return renewNow(accountId, account, account.renew);
    if (!tokens.refreshToken) {
      throw oauthError('platform_auth_failed', `${platformName} gave this account no way to renew its sign-in.`, {
        action: failureActions.reconnect,
      });
    }
    lastRefreshAt.set(accountId, monotonic());
    const server = describeServer({ issuer: endpoints.issuer ?? new URL(endpoints.tokenUrl).origin, tokenUrl: endpoints.tokenUrl });
    const client = describeClient(credentials);
    let refreshed: TokenSet;
    try {
      const response = await oauth.refreshTokenGrantRequest(
        server,
        client,
        clientAuthentication(credentials),
        tokens.refreshToken,
        requestOptions(endpoints.tokenUrl, fetch),
      );
      const body = await oauth.processRefreshTokenResponse(server, client, await withoutEmptyRefreshToken(response));
      refreshed = mergeRefreshedTokens(tokens, tokenSetFromResponse(body, clock.now(), tokens.scope));
    } catch (error) {
      const failure = toOAuthAppError(error, { platformName, stage: 'refresh', now: clock.now() });
      log.warn('token refresh failed', { accountId, code: failure.code, message: failure.message });
      if (failure.code === 'platform_auth_failed') deps.onRevoked(accountId, failure);
      throw failure;
    }
    await deps.storeTokens(accountId, refreshed);
    log.info('token refreshed', { accountId, rotated: refreshed.refreshToken !== tokens.refreshToken });
    return refreshed;
  }

  async function renewNow(accountId: string, account: RefreshableAccount, renew: TokenRenewal): Promise<TokenSet> {
    lastRefreshAt.set(accountId, monotonic());
    let renewed: TokenSet;
    try {
      renewed = await renew(account.tokens, { fetch, now: clock.now(), tokenUrl: account.endpoints.tokenUrl });
    } catch (error) {
      const failure = error instanceof AppError ? error : toOAuthAppError(error, { platformName: account.platformName, stage: 'refresh', now: clock.now() });
      log.warn('token renewal failed', { accountId, code: failure.code, message: failure.message });
      if (failure.code === 'platform_auth_failed') deps.onRevoked(accountId, failure);
      throw failure;
    }
    await deps.storeTokens(accountId, renewed);
    log.info('token renewed', { accountId });
    return renewed;
  }

  return {
    refresh(accountId, options = {}) {
      return locked(accountId, async () => {
        const account = await load(accountId);
        if (options.staleAccessToken !== undefined && account.tokens.accessToken !== options.staleAccessToken) return account.tokens;
        return refreshNow(accountId, account);
      });
    },
    async freshTokens(accountId, minValidityMs) {
      const running = inFlight.get(accountId);
      if (running) return running;
      const account = await load(accountId);
      if (goodEnough(accountId, account.tokens, minValidityMs)) return account.tokens;
      return locked(accountId, async () => {
        // Re-read inside the lock: another caller may have refreshed since the check above.
        const current = await load(accountId);
        if (goodEnough(accountId, current.tokens, minValidityMs)) return current.tokens;
        return refreshNow(accountId, current);
      });
    },
  };
}

/**
 * oauth4webapi refuses a token response whose `refresh_token` is an empty string (it must be a
 * non-empty string when present), which would throw away a valid access token. An empty refresh
 * token means "none issued" here: it is dropped, and the stored one is kept.
 */
async function withoutEmptyRefreshToken(response: Response): Promise<Response> {
  if (response.status !== 200 || !response.headers.get('content-type')?.includes('json')) return response;
  const text = await response.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return response;
  }
  if (!body || typeof body !== 'object' || (body as { refresh_token?: unknown }).refresh_token !== '') return response;
  const cleaned = { ...(body as Record<string, unknown>) };
  delete cleaned.refresh_token;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(cleaned), { status: response.status, headers });
}
