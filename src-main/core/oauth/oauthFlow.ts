// The OAuth engine: authorization code + PKCE S256 for every platform, the native-app way
// (RFC 8252): the consent page opens in the system browser through the UrlOpener port, never in an
// app window (RFC 8252 §8.12: an embedded view lets the app see the user's password), and the
// answer comes back through one of the redirect strategies. Every strategy ends in
// `completeCallback`: state checked against the pending store, response validated (oauth4webapi
// `validateAuthResponse`, which also checks RFC 9207 `iss`), code exchanged with its verifier.
//
// Plain Node: everything it touches is injected (browser, clock, HTTP, log, active profile).
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock, HttpFetch, UrlOpener } from '../ports';
import { clientAuthentication, describeClient, describeServer, requestOptions, type OAuthClientCredentials } from './oauthClient';
import type { LoopbackCertificate } from './loopbackCertificate';
import { oauthError, toOAuthAppError } from './oauthErrors';
import { PendingAuthorizations, RefusedStateError, pendingAuthorizationTtlMs, type PendingAuthorization } from './pendingAuthorizations';
import { matchesRedirectUri, prepareRedirect, readPastedAddress, type PreparedRedirect, type RedirectStrategy } from './redirectStrategies';
import { tokenSetFromResponse, type TokenSet } from './tokenSet';

export interface OAuthEngineDeps {
  urlOpener: UrlOpener;
  clock: Clock;
  /** The core's one HTTP path (createHttpFetch): offline check, timeouts, network_unreachable. */
  fetch: HttpFetch;
  log: Logger;
  /** The profile on screen: a pasted address completes only its sign-ins. */
  activeProfileId(): string;
  pending?: PendingAuthorizations;
  /** How long a loopback listener waits for the browser (default 5 minutes). */
  listenerTimeoutMs?: number;
  /** The https loopback listener's key and certificate (loopbackCertificate.ts), asked for only
   *  when a sign-in uses { httpsPort }. */
  loopbackCertificate?: () => Promise<LoopbackCertificate>;
}

export interface StartAuthorizationOptions extends OAuthClientCredentials {
  /** Stable platform id ('x', 'mastodon'). */
  platform: string;
  /** For messages ("X", "mastodon.social"); the platform id by default. */
  platformName?: string;
  profileId: string;
  endpoints: { authorizeUrl: string; tokenUrl: string; revokeUrl?: string; issuer?: string };
  scopes: readonly string[];
  /** How the scopes are joined: RFC 6749 §3.3's space by default; Pinterest documents commas. */
  scopeSeparator?: ' ' | ',';
  redirect: RedirectStrategy;
  /** For redirect 'paste': the HTTPS address registered with the platform. */
  pasteRedirectUri?: string;
  /** For loopback redirects: the callback's path, when the platform registers its own (default `/callback`). */
  loopbackPath?: string;
  /** Added to the authorize URL; they cannot replace the protocol's own parameters. */
  extraAuthorizeParams?: Record<string, string>;
  /**
   * PKCE S256 (RFC 7636), on by default and required of public clients. False only for a
   * confidential client of a platform that refuses it: LinkedIn's standard 3-legged flow answers
   * a token request carrying `code_verifier` with `invalid_client` (learn.microsoft.com,
   * linkedin/shared/authentication/authorization-code-flow).
   */
  pkce?: boolean;
  /**
   * How the S256 challenge is written: RFC 7636 §4.2's base64url by default. 'hex' for a platform
   * that compares the lowercase hex digest instead (TikTok's Login Kit for Desktop: "You must use
   * hex encoding of SHA256", developers.tiktok.com/doc/login-kit-desktop); the method sent stays S256.
   */
  pkceChallengeEncoding?: 'base64url' | 'hex';
  /**
   * The token type to read when the code exchange's answer has no `token_type`, which RFC 6749
   * §5.1 requires and oauth4webapi insists on. Threads answers the exchange with only
   * `{ access_token, user_id }` (developers.facebook.com/documentation/threads/get-started/
   * get-access-tokens-and-permissions) and its tokens are bearer tokens; absent, the answer must say.
   */
  tokenTypeWhenAbsent?: 'bearer';
  signal?: AbortSignal;
}

export interface StartedAuthorization {
  /** The consent page opened in the browser (holds the state: never log it). */
  authorizeUrl: string;
  /** The exact redirect URI sent, to show as "the URI to register". */
  redirectUri: string;
  /** Settles once: the tokens, or an AppError. */
  result: Promise<TokenSet>;
  cancel(): void;
}

export interface OAuthEngine {
  startAuthorization(options: StartAuthorizationOptions): Promise<StartedAuthorization>;
  /** The address the browser landed on, pasted by the user (paste fallback). */
  completeFromPastedUrl(pasted: string, profileId?: string): Promise<TokenSet>;
  /** Cancels every sign-in in progress (app quit). */
  cancelAll(): void;
}

type Delivery = 'loopback' | 'paste';

interface ActiveFlow {
  state: string;
  profileId: string;
  platform: string;
  platformName: string;
  scope: string;
  redirect: PreparedRedirect;
  server: oauth.AuthorizationServer;
  client: oauth.Client;
  credentials: OAuthClientCredentials;
  tokenUrl: string;
  tokenTypeWhenAbsent?: 'bearer';
  settled: boolean;
  expiryTimer?: ReturnType<typeof setTimeout>;
  resolve(tokens: TokenSet): void;
  reject(error: AppError): void;
}

// Parameters the engine sets itself, the request's security (RFC 6749 §4.1.1, RFC 7636 §4.3):
// extra parameters never override them.
const protocolParams = new Set(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']);

export function createOAuthEngine(deps: OAuthEngineDeps): OAuthEngine {
  const { urlOpener, clock, fetch, log } = deps;
  const pending = deps.pending ?? new PendingAuthorizations({ clock });
  const flows = new Map<string, ActiveFlow>();

  function settle(flow: ActiveFlow, outcome: { tokens: TokenSet } | { error: AppError }): void {
    if (flow.settled) return;
    flow.settled = true;
    flows.delete(flow.state);
    pending.cancel(flow.state);
    clearTimeout(flow.expiryTimer);
    void flow.redirect.release();
    if ('tokens' in outcome) {
      log.info('authorization completed', { platform: flow.platform, profileId: flow.profileId, scope: outcome.tokens.scope });
      flow.resolve(outcome.tokens);
    } else {
      log.warn('authorization failed', { platform: flow.platform, profileId: flow.profileId, code: outcome.error.code, message: outcome.error.message });
      flow.reject(outcome.error);
    }
  }

  const cancelled = () => oauthError('authorization_incomplete', 'The sign-in was cancelled.', { action: 'Connect again when you are ready.' });

  async function startAuthorization(options: StartAuthorizationOptions): Promise<StartedAuthorization> {
    const platformName = options.platformName ?? options.platform;
    if (!options.clientId.trim()) {
      throw oauthError('developer_app_missing', `${platformName} needs your own developer app before Localpost can connect to it.`, {
        action: `Open Settings → ${platformName} and enter your app's Client ID.`,
      });
    }
    const { endpoints } = options;
    const server = describeServer({
      issuer: endpoints.issuer ?? new URL(endpoints.authorizeUrl).origin,
      authorizeUrl: endpoints.authorizeUrl,
      tokenUrl: endpoints.tokenUrl,
      ...(endpoints.revokeUrl ? { revokeUrl: endpoints.revokeUrl } : {}),
    });

    // Without PKCE only the client secret binds the code to Localpost: a public client must use it
    // (RFC 9700 §2.1.1).
    const usePkce = options.pkce ?? true;
    if (!usePkce && !options.clientSecret) {
      throw oauthError('invalid_input', `${platformName} sign-in without PKCE needs the developer app's client secret.`, {
        action: 'Add the client secret in Settings → Developer apps.',
      });
    }
    // 32 random bytes each, base64url (oauth4webapi); S256 only (RFC 7636 §4.2, RFC 9700 §2.1.1).
    const state = oauth.generateRandomState();
    const codeVerifier = usePkce ? oauth.generateRandomCodeVerifier() : null;
    const codeChallenge = codeVerifier === null ? null : await pkceChallenge(codeVerifier, options.pkceChallengeEncoding ?? 'base64url');

    // One sign-in per profile and platform: a second Connect replaces the first (and frees its port).
    for (const flow of [...flows.values()]) {
      if (flow.profileId === options.profileId && flow.platform === options.platform) settle(flow, { error: cancelled() });
    }

    const redirect = await prepareRedirect(options.redirect, {
      expectedState: state,
      log,
      ...(options.pasteRedirectUri ? { pasteRedirectUri: options.pasteRedirectUri } : {}),
      ...(options.loopbackPath ? { loopbackPath: options.loopbackPath } : {}),
      ...(deps.listenerTimeoutMs !== undefined ? { listenerTimeoutMs: deps.listenerTimeoutMs } : {}),
      ...(deps.loopbackCertificate ? { loopbackCertificate: deps.loopbackCertificate } : {}),
    });
    pending.add({ state, profileId: options.profileId, platform: options.platform, codeVerifier, redirectUri: redirect.redirectUri });

    const scope = options.scopes.join(options.scopeSeparator ?? ' ');
    const credentials: OAuthClientCredentials = {
      clientId: options.clientId,
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      ...(options.clientAuthMethod ? { clientAuthMethod: options.clientAuthMethod } : {}),
      ...(options.clientIdParameter ? { clientIdParameter: options.clientIdParameter } : {}),
    };
    let flow!: ActiveFlow;
    const result = new Promise<TokenSet>((resolve, reject) => {
      flow = {
        state,
        profileId: options.profileId,
        platform: options.platform,
        platformName,
        scope,
        redirect,
        server,
        client: describeClient(credentials),
        credentials,
        tokenUrl: server.token_endpoint!,
        ...(options.tokenTypeWhenAbsent ? { tokenTypeWhenAbsent: options.tokenTypeWhenAbsent } : {}),
        settled: false,
        resolve,
        reject,
      };
    });
    // Marked handled here: a sign-in can fail before the caller awaits `result` (the caller still
    // receives the rejection), and an unhandled rejection must not take the process down.
    result.catch(() => {});
    flows.set(state, flow);

    if (redirect.listener) {
      redirect.listener.callback.then(
        (url) => completeCallback(url, flow.profileId, 'loopback').catch(() => {}),
        (error: unknown) => settle(flow, { error: error instanceof AppError ? error : toOAuthAppError(error, { platformName, stage: 'authorization' }) }),
      );
    } else {
      // The listener has its own timeout; a paste sign-in ends with its state.
      flow.expiryTimer = setTimeout(
        () => settle(flow, { error: oauthError('authorization_incomplete', 'The sign-in was not finished within 10 minutes.', { action: 'Connect again.' }) }),
        pendingAuthorizationTtlMs,
      );
      flow.expiryTimer.unref?.();
    }
    if (options.signal) {
      if (options.signal.aborted) settle(flow, { error: cancelled() });
      else options.signal.addEventListener('abort', () => settle(flow, { error: cancelled() }), { once: true });
    }

    const authorizeUrl = new URL(server.authorization_endpoint!);
    const clientIdParameter = options.clientIdParameter ?? 'client_id';
    for (const [name, value] of Object.entries(options.extraAuthorizeParams ?? {})) {
      if (!protocolParams.has(name) && name !== clientIdParameter) authorizeUrl.searchParams.set(name, value);
    }
    authorizeUrl.searchParams.set('response_type', 'code');
    authorizeUrl.searchParams.set(clientIdParameter, options.clientId);
    authorizeUrl.searchParams.set('redirect_uri', redirect.redirectUri);
    authorizeUrl.searchParams.set('scope', scope);
    authorizeUrl.searchParams.set('state', state);
    if (codeChallenge !== null) {
      authorizeUrl.searchParams.set('code_challenge', codeChallenge);
      authorizeUrl.searchParams.set('code_challenge_method', 'S256');
    }

    if (!flow.settled) {
      try {
        await urlOpener.open(authorizeUrl.href);
      } catch (error) {
        const failure = oauthError('internal', 'Localpost could not open your web browser for the sign-in.', {
          action: 'Check that a default browser is set, then connect again.',
          cause: error,
        });
        settle(flow, { error: failure });
        throw failure;
      }
      log.info('authorization started', { platform: options.platform, profileId: options.profileId, redirect: redirect.kind });
    }
    return { authorizeUrl: authorizeUrl.href, redirectUri: redirect.redirectUri, result, cancel: () => settle(flow, { error: cancelled() }) };
  }

  async function completeCallback(url: URL, profileId: string, delivery: Delivery): Promise<TokenSet> {
    const states = url.searchParams.getAll('state');
    if (states.length !== 1) {
      log.warn('authorization callback refused', { reason: 'no state', delivery });
      throw new RefusedStateError('unknown', 'This address is not a sign-in answer from the platform (it carries no state).');
    }
    const state = states[0]!;
    const flow = flows.get(state);
    // The answer must arrive the way its own sign-in asked for it; checked before anything is consumed.
    if (flow && !arrivedAsExpected(flow, url, delivery)) {
      log.warn('authorization callback refused', { reason: 'wrong redirect', delivery });
      throw oauthError('platform_rejected', 'This sign-in answer arrived at an address its sign-in did not use.', {
        action: 'Paste the address from the browser tab that opened for this sign-in.',
      });
    }

    let entry: PendingAuthorization;
    try {
      entry = pending.take(state, profileId);
    } catch (error) {
      if (error instanceof RefusedStateError) {
        log.warn('authorization callback refused', { reason: error.reason, delivery });
        if (error.reason === 'expired' && flow) settle(flow, { error });
      }
      throw error;
    }
    if (!flow) throw oauthError('internal', 'A sign-in was pending without its flow.');

    const failureContext = { platformName: flow.platformName, redirectUri: entry.redirectUri, now: clock.now() };
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(flow.server, flow.client, url, entry.state);
    } catch (error) {
      const failure = toOAuthAppError(error, { ...failureContext, stage: 'authorization' });
      settle(flow, { error: failure });
      throw failure;
    }
    try {
      const response = await oauth.authorizationCodeGrantRequest(
        flow.server,
        flow.client,
        clientAuthentication(flow.credentials),
        parameters,
        entry.redirectUri,
        entry.codeVerifier ?? oauth.nopkce,
        requestOptions(flow.tokenUrl, fetch),
      );
      const answer = flow.tokenTypeWhenAbsent ? await withTokenType(response, flow.tokenTypeWhenAbsent) : response;
      const body = await oauth.processAuthorizationCodeResponse(flow.server, flow.client, answer);
      const tokens = tokenSetFromResponse(body, clock.now(), flow.scope);
      settle(flow, { tokens });
      return tokens;
    } catch (error) {
      const failure = toOAuthAppError(error, { ...failureContext, stage: 'token' });
      settle(flow, { error: failure });
      throw failure;
    }
  }

  function arrivedAsExpected(flow: ActiveFlow, url: URL, delivery: Delivery): boolean {
    if (delivery === 'loopback') return flow.redirect.kind === 'loopback';
    // Pasting works for any strategy (a loopback callback that never reached the listener), as
    // long as it is the address the browser was sent to.
    return matchesRedirectUri(url, flow.redirect.redirectUri);
  }

  async function completeFromPastedUrl(pasted: string, profileId = deps.activeProfileId()): Promise<TokenSet> {
    const url = readPastedAddress(pasted);
    if (!url) {
      throw oauthError('invalid_input', 'That is not a web address.', {
        action: "Copy the whole address from the browser's address bar after you allowed access, and paste it here.",
      });
    }
    return completeCallback(url, profileId, 'paste');
  }

  function cancelAll(): void {
    for (const flow of [...flows.values()]) settle(flow, { error: cancelled() });
  }

  return { startAuthorization, completeFromPastedUrl, cancelAll };
}

/** The S256 challenge (RFC 7636 §4.2: SHA-256 of the verifier), in the encoding the platform compares. */
async function pkceChallenge(codeVerifier: string, encoding: 'base64url' | 'hex'): Promise<string> {
  if (encoding === 'base64url') return oauth.calculatePKCECodeChallenge(codeVerifier);
  return createHash('sha256').update(codeVerifier).digest('hex');
}

/** A successful JSON token answer without `token_type`, given the one the platform documents. */
async function withTokenType(response: Response, tokenType: 'bearer'): Promise<Response> {
  if (response.status !== 200 || !response.headers.get('content-type')?.includes('json')) return response;
  let body: unknown;
  try {
    body = JSON.parse(await response.clone().text());
  } catch {
    return response;
  }
  if (!body || typeof body !== 'object' || 'token_type' in body) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ ...(body as Record<string, unknown>), token_type: tokenType }), { status: 200, headers });
}
