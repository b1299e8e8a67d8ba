// The token lifecycle of every OAuth account, in one place: tokens in the vault only, a refresh
// scheduled ahead of expiry and on a 401 (one at a time per account, rotated refresh token
// stored first), `token.expiring` ahead of an end that cannot be refreshed away, `token.revoked`
// when the platform refuses the grant, and revocation at the platform on disconnect.
import { secretIdFor } from '../accounts/accountStore';
import type { AccountStore } from '../accounts/accountStore';
import { AppError } from '../errors';
import { failureActions } from '../http/platformFailure';
import type { Logger } from '../log/logger';
import { registerSecret } from '../log/redact';
import type { Clock, HttpFetch, Notifier } from '../ports';
import type { Vault } from '../vault/vault';
import type { Account } from '../../../src-preload/contract';
import type { OAuthClientCredentials } from './oauthClient';
import { createRefreshScheduler, lifetimeOf, type RefreshScheduler, type Timers } from './refreshScheduler';
import { revokeTokenSet } from './revoke';
import { createTokenRefresher, type RefreshableAccount, type TokenRefresher, type TokenRenewal } from './tokenRefresher';
import type { TokenSet } from './tokenSet';

/** What the vault keeps for an OAuth account. */
export interface OAuthAccountCredential {
  platformName: string;
  endpoints: { tokenUrl: string; revokeUrl?: string; issuer?: string };
  client: OAuthClientCredentials;
  tokens: TokenSet;
  /** Platform-specific extras an adapter needs (an instance URL, a user id); never secret. */
  extra?: Record<string, string>;
}

export interface OAuthAccountsDeps {
  vault: Vault;
  accounts: AccountStore;
  fetch: HttpFetch;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  timers?: Timers;
  onTokenEvent(event: 'token.expiring' | 'token.revoked', account: Account, detail: { expiresAt?: number; reason: string }): void;
}

/** How far ahead each platform wants its refresh and its expiry notice. */
export interface TokenPolicy {
  refreshLeadMs?: number;
  expiringNoticeMs?: number;
  /** For a platform whose grant has no refresh token but renews its access token by exchanging
   *  it (Threads' `th_refresh_token`): that exchange, used instead of RFC 6749 §6. */
  renew?: TokenRenewal;
}

export class OAuthAccounts {
  readonly #refresher: TokenRefresher;
  readonly #scheduler: RefreshScheduler;
  readonly #policies = new Map<string, TokenPolicy>();

  constructor(private readonly deps: OAuthAccountsDeps) {
    this.#refresher = createTokenRefresher({
      fetch: deps.fetch,
      clock: deps.clock,
      ...(deps.timers?.now ? { monotonic: deps.timers.now } : {}),
      log: deps.log,
      loadAccount: async (accountId) => this.#load(accountId),
      storeTokens: async (accountId, tokens) => this.#storeTokens(accountId, tokens),
      onRevoked: (accountId, error) => this.#revoked(accountId, error.message),
    });
    this.#scheduler = createRefreshScheduler({
      clock: deps.clock,
      ...(deps.timers ? { timers: deps.timers } : {}),
      refresh: (accountId) => this.#refresher.refresh(accountId),
      onExpiring: (accountId, expiresAt) => this.#expiring(accountId, expiresAt),
      onRefreshFailed: (accountId, error) => deps.log.warn('Scheduled token refresh failed', { account: accountId, error }),
    });
  }

  /** Sets how a platform's tokens are refreshed and announced (X: 5 minutes ahead). */
  setPolicy(platform: Account['platform'], policy: TokenPolicy): void {
    this.#policies.set(platform, policy);
  }

  /** Saves a new connection's tokens and starts its schedule. */
  save(account: Account, credential: OAuthAccountCredential): void {
    this.#write(account.id, credential);
    this.#track(account, credential.tokens);
  }

  /** Starts schedules for every connected OAuth account (at start, and when the vault opens). */
  trackAll(accounts: Account[]): void {
    // A locked vault has no tokens to read yet: its opening calls this again.
    if (this.deps.vault.status().locked) return;
    for (const account of accounts) {
      const credential = this.#read(account.id);
      if (credential) this.#track(account, credential.tokens);
    }
  }

  extra(account: Account): Record<string, string> {
    return this.#require(account).extra ?? {};
  }

  /**
   * A request with the account's access token: refreshed first when about to expire, and once
   * more on a 401 (another caller may already have refreshed: then no second refresh is made).
   * `notSignInFailure` tells a 401 that is about something else than the token (YouTube's
   * `youtubeSignupRequired`: the Google account has no channel) from a dead sign-in: such an
   * answer is returned as it is, for the adapter to read, and the account keeps its status.
   * `init` may be a function that makes the request afresh for each sending, as a streamed body,
   * readable once, needs to be sent again.
   */
  async authorizedFetch(
    account: Account,
    url: string,
    init: RequestInitSource = {},
    options: { notSignInFailure?(response: Response): Promise<boolean> } = {},
  ): Promise<Response> {
    this.#require(account);
    let tokens = await this.#refresher.freshTokens(account.id, 60_000);
    const send = (accessToken: string) => {
      const request = typeof init === 'function' ? init() : init;
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${accessToken}`);
      return this.deps.fetch(url, { ...request, headers });
    };
    let response = await send(tokens.accessToken);
    if (response.status === 401 && options.notSignInFailure && (await options.notSignInFailure(response.clone()))) return response;
    if (response.status === 401 && tokens.refreshToken) {
      await response.body?.cancel();
      tokens = await this.#refresher.refresh(account.id, { staleAccessToken: tokens.accessToken });
      response = await send(tokens.accessToken);
    }
    if (response.status === 401) {
      await response.body?.cancel();
      this.#revoked(account.id, `${account.service} no longer accepts this account’s sign-in.`);
      throw new AppError('platform_auth_failed', `${account.service} no longer accepts this account’s sign-in.`, {
        action: failureActions.reconnect,
      });
    }
    return response;
  }

  /** Revokes the tokens at the platform where it can, then forgets them. Never throws. */
  async disconnect(account: Account): Promise<boolean> {
    this.#scheduler.untrack(account.id);
    const credential = this.#read(account.id);
    this.deps.vault.delete(secretIdFor(account.id));
    if (!credential) return false;
    return revokeTokenSet(
      { fetch: this.deps.fetch, log: this.deps.log },
      { platformName: credential.platformName, endpoints: credential.endpoints, client: credential.client, tokens: credential.tokens },
    );
  }

  /** Re-arms every schedule from the clock: after the computer wakes, or the clock moved. */
  recheck(): void {
    this.#scheduler.recheck();
  }

  stop(): void {
    this.#scheduler.stop();
  }

  #track(account: Account, tokens: TokenSet): void {
    const { renew, ...policy } = this.#policies.get(account.platform) ?? {};
    const lifetimeMs = lifetimeOf(tokens);
    this.#scheduler.track({
      accountId: account.id,
      ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
      ...(lifetimeMs !== undefined ? { lifetimeMs } : {}),
      canRefresh: Boolean(tokens.refreshToken) || renew !== undefined,
      ...(renew ? { renews: true } : {}),
      ...policy,
    });
  }

  async #load(accountId: string): Promise<RefreshableAccount | undefined> {
    const credential = this.#read(accountId);
    if (!credential) return undefined;
    const platform = this.deps.accounts.findAny(accountId)?.platform;
    const renew = platform === undefined ? undefined : this.#policies.get(platform)?.renew;
    return { platformName: credential.platformName, endpoints: credential.endpoints, client: credential.client, tokens: credential.tokens, ...(renew ? { renew } : {}) };
  }

  async #storeTokens(accountId: string, tokens: TokenSet): Promise<void> {
    const credential = this.#read(accountId);
    if (!credential) throw new AppError('not_found', 'This account was disconnected meanwhile.');
    // A synchronous SQLite write (WAL, synchronous=FULL): durable before the new token is used.
    this.#write(accountId, { ...credential, tokens });
    const account = this.deps.accounts.findAny(accountId);
    if (account) this.#track(account, tokens);
  }

  #write(accountId: string, credential: OAuthAccountCredential): void {
    for (const secret of [credential.tokens.accessToken, credential.tokens.refreshToken, credential.client.clientSecret]) {
      if (secret) registerSecret(secret);
    }
    this.deps.vault.put(secretIdFor(accountId), JSON.stringify(credential));
  }

  #read(accountId: string): OAuthAccountCredential | undefined {
    const raw = this.deps.vault.get(secretIdFor(accountId));
    if (!raw) return undefined;
    const credential = JSON.parse(raw) as OAuthAccountCredential;
    for (const secret of [credential.tokens.accessToken, credential.tokens.refreshToken, credential.client.clientSecret]) {
      if (secret) registerSecret(secret);
    }
    return credential;
  }

  #require(account: Account): OAuthAccountCredential {
    const credential = this.#read(account.id);
    if (!credential) {
      throw new AppError('platform_auth_failed', `${account.handle} has no saved sign-in on this computer.`, { action: failureActions.reconnect });
    }
    return credential;
  }

  #revoked(accountId: string, reason: string): void {
    this.#scheduler.untrack(accountId);
    const account = this.deps.accounts.findAny(accountId);
    if (!account) return;
    this.deps.accounts.setStatus(accountId, 'needs_reauth', reason);
    this.deps.notifier.notify(`${account.handle} needs to be reconnected`, reason);
    this.deps.onTokenEvent('token.revoked', this.deps.accounts.findAny(accountId)!, { reason });
  }

  #expiring(accountId: string, expiresAt: number): void {
    const account = this.deps.accounts.findAny(accountId);
    if (!account) return;
    // The banner's title already says when; its reason says why nothing renews it by itself. The
    // notification stands alone, so it names the day too.
    const reason = `${account.service} does not renew this sign-in by itself: reconnect before it ends to keep posting.`;
    const day = new Date(expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
    // The account's card keeps a Reconnect, with the day, after the banner is dismissed.
    this.deps.accounts.markSignInEnding(accountId, `The sign-in ends on ${day}: reconnect before then to keep posting.`);
    this.deps.notifier.notify(`${account.handle}: sign-in ends soon`, `It ends on ${day}. ${reason}`);
    this.deps.onTokenEvent('token.expiring', account, { expiresAt, reason });
  }
}

/** A request's options, or a function that makes them afresh for each sending (a streamed body is readable once). */
export type RequestInitSource = RequestInit | (() => RequestInit);

/** The same request asking for a JSON answer (`Accept`), each time it is made. */
export function acceptingJson(init: RequestInitSource): RequestInitSource {
  const accepting = (request: RequestInit): RequestInit => {
    const headers = new Headers(request.headers);
    headers.set('accept', 'application/json');
    return { ...request, headers };
  };
  return typeof init === 'function' ? () => accepting(init()) : accepting(init);
}
