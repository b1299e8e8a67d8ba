// The OAuth engine against a real authorization server (oidc-provider on 127.0.0.1, configured
// like X's): every redirect strategy, the state and code security rules, refresh with rotation,
// the refresh scheduler, revocation, error mapping, and a log that never holds a secret.
//
// The test plays the system browser: it takes the consent URL from the recording UrlOpener and
// follows it with playBrowser (harness), which submits the consent form and lands on the
// redirect URI. Run: npx tsx --test test/integration/oauth.test.ts
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '../../src-main/core/errors';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { createLogger } from '../../src-main/core/log/logger';
import { startLoopbackListener } from '../../src-main/core/oauth/loopbackListener';
import { createOAuthEngine, type StartAuthorizationOptions } from '../../src-main/core/oauth/oauthFlow';
import type { OAuthClientCredentials } from '../../src-main/core/oauth/oauthClient';
import { RefusedStateError } from '../../src-main/core/oauth/pendingAuthorizations';
import { createRefreshScheduler, minRefreshIntervalMs, type Timers } from '../../src-main/core/oauth/refreshScheduler';
import { revokeToken, revokeTokenSet } from '../../src-main/core/oauth/revoke';
import { createTokenRefresher, type RefreshableAccount } from '../../src-main/core/oauth/tokenRefresher';
import type { TokenSet } from '../../src-main/core/oauth/tokenSet';
import { startLinkedInServer } from '../harness/linkedinServer';
import { findFreePort, playBrowser, startOAuthServer, type TestOAuthServer } from '../harness/oauthServer';

const xScopes = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];
const minutes = 60 * 1000;

let server: TestOAuthServer;
const logLines: string[] = [];
const log = createLogger('oauth', [{ write: (line) => logLines.push(line) }]);
/** Every code, state and token the tests saw: none may appear in the log. */
const secretsSeen = new Set<string>();
const httpFetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 5000 });

before(async () => {
  server = await startOAuthServer();
});

after(async () => {
  await server.close();
});

function fakeClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (at: number) => void (now = at) };
}

function newEngine(options: { listenerTimeoutMs?: number } = {}) {
  const openedUrls: string[] = [];
  const clock = fakeClock();
  let activeProfile = 'profile-a';
  const engine = createOAuthEngine({
    urlOpener: { open: async (url) => void openedUrls.push(url) },
    clock,
    fetch: httpFetch,
    log,
    activeProfileId: () => activeProfile,
    ...options,
  });
  return { engine, openedUrls, clock, setActiveProfile: (id: string) => void (activeProfile = id) };
}

function xOptions(overrides: Partial<StartAuthorizationOptions> = {}): StartAuthorizationOptions {
  return {
    platform: 'x',
    platformName: 'X',
    profileId: 'profile-a',
    endpoints: server.endpoints,
    clientId: server.clients.native.clientId,
    scopes: xScopes,
    redirect: 'loopback',
    ...overrides,
  };
}

/** Notes the state and code of a callback URL, and the tokens, as secrets the log must not hold. */
function remember(value: { callbackUrl?: string; tokens?: TokenSet; authorizeUrl?: string }) {
  for (const address of [value.callbackUrl, value.authorizeUrl]) {
    if (!address) continue;
    const params = new URL(address).searchParams;
    for (const name of ['code', 'state', 'code_challenge']) {
      const secret = params.get(name);
      if (secret) secretsSeen.add(secret);
    }
  }
  if (value.tokens) {
    secretsSeen.add(value.tokens.accessToken);
    if (value.tokens.refreshToken) secretsSeen.add(value.tokens.refreshToken);
  }
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  assert.fail('expected a rejection');
}

/** A whole loopback sign-in, for tests that need tokens. */
async function signIn(overrides: Partial<StartAuthorizationOptions> = {}): Promise<TokenSet> {
  const { engine, openedUrls } = newEngine();
  const started = await engine.startAuthorization(xOptions(overrides));
  const visit = await playBrowser(openedUrls[0]!);
  const tokens = await started.result;
  remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
  return tokens;
}

describe('authorization code + PKCE, every redirect strategy', () => {
  it('completes through the ephemeral loopback listener, opening the consent page only through the UrlOpener', async () => {
    const { engine, openedUrls, clock } = newEngine();
    const started = await engine.startAuthorization(xOptions());
    assert.deepEqual(openedUrls, [started.authorizeUrl]);
    assert.match(started.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const consent = new URL(started.authorizeUrl);
    assert.equal(consent.origin + consent.pathname, server.endpoints.authorizeUrl);
    assert.equal(consent.searchParams.get('response_type'), 'code');
    assert.equal(consent.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(consent.searchParams.get('redirect_uri'), started.redirectUri);
    assert.equal(consent.searchParams.get('scope'), xScopes.join(' '));
    assert.equal(Buffer.from(consent.searchParams.get('state')!, 'base64url').length, 32, 'state is 32 random bytes');

    const visit = await playBrowser(openedUrls[0]!);
    assert.equal(visit.delivered?.status, 200);
    assert.match(visit.delivered!.body, /You can close this tab and return to Localpost\./);
    const tokens = await started.result;
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });

    assert.equal(tokens.tokenType, 'bearer');
    assert.equal(tokens.scope, xScopes.join(' '));
    assert.ok(tokens.refreshToken, 'offline.access gives a refresh token');
    assert.equal(tokens.expiresAt, clock.now() + 2 * 60 * minutes);
    const me = await server.usersMe(tokens.accessToken);
    assert.equal(me.status, 200);
    assert.deepEqual((me.body as { data: { username: string } }).data.username, 'alice');

    // The listener closed after its one valid callback.
    await assert.rejects(fetch(started.redirectUri));
  });

  it('listens on 127.0.0.1 only', async () => {
    const listener = await startLoopbackListener({ expectedState: 'any' });
    try {
      assert.equal(listener.address().address, '127.0.0.1');
      assert.equal(listener.address().family, 'IPv4');
      const outward = Object.values(os.networkInterfaces())
        .flat()
        .find((entry) => entry && !entry.internal && entry.family === 'IPv4');
      if (outward) await assert.rejects(fetch(`http://${outward.address}:${listener.port}/callback`), 'not reachable from the network');
    } finally {
      await listener.close();
    }
  });

  it('completes through a fixed-port listener with a confidential client (client_secret_basic and _post)', async () => {
    for (const [client, method] of [
      [server.clients.confidentialBasic, 'client_secret_basic'],
      [server.clients.confidentialPost, 'client_secret_post'],
    ] as const) {
      const { engine, openedUrls } = newEngine();
      const started = await engine.startAuthorization(
        xOptions({ redirect: { fixedPort: server.fixedRedirectPort }, clientId: client.clientId, clientSecret: client.clientSecret, clientAuthMethod: method }),
      );
      assert.equal(started.redirectUri, `http://127.0.0.1:${server.fixedRedirectPort}/callback`);
      const visit = await playBrowser(openedUrls[0]!);
      const tokens = await started.result;
      remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
      assert.equal((await server.usersMe(tokens.accessToken)).status, 200, method);
    }
  });

  it('completes from the address the user pastes (paste fallback)', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri }));
    assert.equal(started.redirectUri, server.pasteRedirectUri);
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const tokens = await engine.completeFromPastedUrl(`  ${visit.callbackUrl}\n`);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.deepEqual(await started.result, tokens);
    assert.equal((await server.usersMe(tokens.accessToken)).status, 200);
  });

  it('takes a pasted address for a loopback sign-in whose callback never reached the listener', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions());
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.deepEqual(await started.result, tokens);
    await assert.rejects(fetch(started.redirectUri), 'the listener closed');
  });
});

describe('a platform that refuses PKCE (LinkedIn\'s standard flow)', () => {
  it('signs in with the client secret and no code_challenge or code_verifier, where PKCE would be refused', async () => {
    const linkedIn = await startLinkedInServer();
    try {
      const { clientId, clientSecret, redirectUri } = linkedIn.client;
      const options: StartAuthorizationOptions = {
        platform: 'linkedin',
        platformName: 'LinkedIn',
        profileId: 'profile-a',
        endpoints: linkedIn.oauth.endpoints,
        clientId,
        clientSecret,
        clientAuthMethod: 'client_secret_post',
        scopes: ['openid', 'profile', 'w_member_social'],
        redirect: { fixedPort: Number(new URL(redirectUri).port) },
      };
      // With PKCE, as for every other platform: LinkedIn refuses the code exchange.
      const withPkce = newEngine();
      const refused = await withPkce.engine.startAuthorization(options);
      assert.ok(new URL(refused.authorizeUrl).searchParams.has('code_challenge'));
      await playBrowser(refused.authorizeUrl);
      assert.equal((await rejection(refused.result)).code, 'platform_rejected');

      const { engine } = newEngine();
      const started = await engine.startAuthorization({ ...options, pkce: false });
      const authorizeUrl = new URL(started.authorizeUrl);
      assert.equal(authorizeUrl.searchParams.get('code_challenge'), null);
      assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), null);
      assert.equal(started.redirectUri, redirectUri, 'the exact URI registered with LinkedIn');
      await playBrowser(started.authorizeUrl);
      const tokens = await started.result;
      assert.ok(tokens.accessToken);
      assert.equal(tokens.refreshToken, undefined, 'LinkedIn gives a member app no refresh token');
      assert.equal(tokens.expiresAt! - tokens.obtainedAt!, 60 * 24 * 60 * 60 * 1000, '60 days');
    } finally {
      await linkedIn.close();
    }
  });

  it('refuses to go without PKCE for a client with no secret: nothing else would bind the code to Localpost', async () => {
    const { engine, openedUrls } = newEngine();
    const refused = await rejection(engine.startAuthorization(xOptions({ pkce: false })));
    assert.equal(refused.code, 'invalid_input');
    assert.deepEqual(openedUrls, [], 'no browser opened');
  });
});

describe('security rules of the callback', () => {
  it('refuses a replayed state, and the replay changes nothing', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri }));
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });

    const requests = server.tokenRequestCount();
    const replay = await rejection(engine.completeFromPastedUrl(visit.callbackUrl));
    assert.equal(replay.code, 'platform_rejected');
    assert.equal((replay as RefusedStateError).reason, 'reused');
    assert.equal(server.tokenRequestCount(), requests, 'no token request for a replayed state');
    assert.equal((await server.usersMe(tokens.accessToken)).status, 200, 'the first sign-in still stands');
  });

  it('refuses an unknown state without disturbing the sign-in in progress', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri }));
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const forged = new URL(visit.callbackUrl);
    forged.searchParams.set('state', 'A'.repeat(43));
    const requests = server.tokenRequestCount();
    const refused = await rejection(engine.completeFromPastedUrl(forged.href));
    assert.equal((refused as RefusedStateError).reason, 'unknown');
    assert.equal(server.tokenRequestCount(), requests);

    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.deepEqual(await started.result, tokens);
  });

  it('answers a wrong state or path with 400 and keeps waiting for the right callback', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions());
    const wrongState = await fetch(`${started.redirectUri}?code=guessed&state=${'B'.repeat(43)}`);
    assert.equal(wrongState.status, 400);
    const wrongPath = await fetch(started.redirectUri.replace('/callback', '/favicon.ico'));
    assert.equal(wrongPath.status, 400);
    const noState = await fetch(`${started.redirectUri}?code=guessed`);
    assert.equal(noState.status, 400);

    const visit = await playBrowser(openedUrls[0]!);
    assert.equal(visit.delivered?.status, 200);
    const tokens = await started.result;
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.equal((await server.usersMe(tokens.accessToken)).status, 200);
  });

  it('refuses a replayed code with platform_rejected', async () => {
    const { engine, openedUrls } = newEngine();
    const paste = { redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri } as const;
    const first = await engine.startAuthorization(xOptions(paste));
    const firstVisit = await playBrowser(openedUrls[0]!, { deliver: false });
    const tokens = await engine.completeFromPastedUrl(firstVisit.callbackUrl);
    remember({ authorizeUrl: first.authorizeUrl, callbackUrl: firstVisit.callbackUrl, tokens });

    // A second sign-in, whose callback carries the first one's (spent) code with its own state.
    const second = await engine.startAuthorization(xOptions(paste));
    const replayed = new URL(firstVisit.callbackUrl);
    replayed.searchParams.set('state', new URL(second.authorizeUrl).searchParams.get('state')!);
    remember({ authorizeUrl: second.authorizeUrl });
    const refused = await rejection(engine.completeFromPastedUrl(replayed.href));
    assert.equal(refused.code, 'platform_rejected');
    assert.match(refused.message, /refused the sign-in code/);
    assert.equal((await rejection(second.result)).code, 'platform_rejected');
  });

  it('turns a denied consent into platform_rejected with the platform’s words, and no tokens', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions());
    const requests = server.tokenRequestCount();
    const visit = await playBrowser(openedUrls[0]!, { decision: 'deny' });
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl });
    assert.match(visit.callbackUrl, /error=access_denied/);
    const denied = await rejection(started.result);
    assert.equal(denied.code, 'platform_rejected');
    assert.match(denied.message, /The user denied access to Localpost\./);
    assert.equal(server.tokenRequestCount(), requests, 'no code, no token request');
  });

  it('refuses a state older than 10 minutes (fake clock +11 min) and ends that sign-in', async () => {
    const { engine, openedUrls, clock } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri }));
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl });
    clock.advance(11 * minutes);
    const requests = server.tokenRequestCount();
    const expired = await rejection(engine.completeFromPastedUrl(visit.callbackUrl));
    assert.equal(expired.code, 'platform_rejected');
    assert.equal((expired as RefusedStateError).reason, 'expired');
    assert.equal((await rejection(started.result)).code, 'platform_rejected');
    assert.equal(server.tokenRequestCount(), requests);
  });

  it('binds the state to the profile that started the sign-in', async () => {
    const { engine, openedUrls, setActiveProfile } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri }));
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const requests = server.tokenRequestCount();

    const otherProfile = await rejection(engine.completeFromPastedUrl(visit.callbackUrl, 'profile-b'));
    assert.equal((otherProfile as RefusedStateError).reason, 'wrong_profile');
    setActiveProfile('profile-b');
    const onScreen = await rejection(engine.completeFromPastedUrl(visit.callbackUrl));
    assert.equal((onScreen as RefusedStateError).reason, 'wrong_profile', 'pasted while another profile is on screen');
    assert.equal(server.tokenRequestCount(), requests, 'refusals change nothing');

    setActiveProfile('profile-a');
    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.deepEqual(await started.result, tokens);
  });

  it('refuses a callback that arrives by a way its sign-in did not use', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions());
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    const elsewhere = new URL(server.pasteRedirectUri);
    elsewhere.search = new URL(visit.callbackUrl).search;
    const requests = server.tokenRequestCount();
    assert.equal((await rejection(engine.completeFromPastedUrl(elsewhere.href))).code, 'platform_rejected');
    assert.equal(server.tokenRequestCount(), requests, 'refused before any token request');
    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl, tokens });
    assert.deepEqual(await started.result, tokens, 'the real one still completes');
  });

  it('ends a sign-in on cancel, on a second Connect, and when the listener times out', async () => {
    const { engine } = newEngine({ listenerTimeoutMs: 100 });
    const timedOut = await engine.startAuthorization(xOptions({ profileId: 'profile-timeout' }));
    assert.equal((await rejection(timedOut.result)).code, 'authorization_incomplete');
    await assert.rejects(fetch(timedOut.redirectUri), 'closed on timeout');

    const { engine: patient } = newEngine();
    const first = await patient.startAuthorization(xOptions({ redirect: { fixedPort: await findFreePort() } }));
    const port = new URL(first.redirectUri).port;
    const second = await patient.startAuthorization(xOptions({ redirect: { fixedPort: Number(port) } }));
    assert.equal((await rejection(first.result)).code, 'authorization_incomplete', 'replaced by the second Connect, port freed');
    second.cancel();
    assert.equal((await rejection(second.result)).code, 'authorization_incomplete');

    const controller = new AbortController();
    const aborted = await patient.startAuthorization(xOptions({ signal: controller.signal }));
    controller.abort();
    assert.equal((await rejection(aborted.result)).code, 'authorization_incomplete');
    await assert.rejects(fetch(aborted.redirectUri), 'closed on abort');
  });
});

describe('errors of the code exchange', () => {
  async function pastedSignIn(overrides: Partial<StartAuthorizationOptions> = {}) {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(xOptions({ redirect: 'paste', pasteRedirectUri: server.pasteRedirectUri, ...overrides }));
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    remember({ authorizeUrl: started.authorizeUrl, callbackUrl: visit.callbackUrl });
    return { started, error: await rejection(engine.completeFromPastedUrl(visit.callbackUrl)) };
  }

  it('asks for the developer app when there is no Client ID', async () => {
    const { engine, openedUrls } = newEngine();
    const missing = await rejection(engine.startAuthorization(xOptions({ clientId: ' ' })));
    assert.equal(missing.code, 'developer_app_missing');
    assert.deepEqual(openedUrls, [], 'no browser opened');
  });

  it('names the exact URI to register when the server reports a redirect mismatch', async () => {
    // X's token-endpoint error for a bad redirect, as X sends it (docs.x.com does not list the wording).
    server.injectFault('token', { status: 400, body: { error: 'invalid_request', error_description: 'Value passed for the redirect uri parameter was invalid.' } });
    const { error } = await pastedSignIn();
    assert.equal(error.code, 'redirect_mismatch');
    assert.ok(error.message.includes(`Register exactly ${server.pasteRedirectUri}`), error.message);
  });

  it('reports 429 as rate_limited with the time to retry', async () => {
    server.injectFault('token', {
      status: 429,
      headers: { 'retry-after': '30', 'content-type': 'application/problem+json' },
      body: { title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' },
    });
    const before = Date.now();
    const { error } = await pastedSignIn();
    assert.equal(error.code, 'rate_limited');
    assert.ok(error.retryAt! >= before + 29_000 && error.retryAt! <= Date.now() + 31_000);
  });

  it('reports an unreachable token endpoint as network_unreachable', async () => {
    const closedPort = await findFreePort();
    const { error } = await pastedSignIn({ endpoints: { ...server.endpoints, tokenUrl: `http://127.0.0.1:${closedPort}/oauth/token` } });
    assert.equal(error.code, 'network_unreachable');
  });

  it('refuses an answer naming another issuer (RFC 9207 iss), before any token request', async () => {
    const requests = server.tokenRequestCount();
    const { error } = await pastedSignIn({ endpoints: { ...server.endpoints, issuer: 'https://someone-else.example' } });
    assert.equal(error.code, 'platform_rejected');
    assert.match(error.message, /did not come from X's sign-in server/);
    assert.equal(server.tokenRequestCount(), requests);
  });

  it('refuses endpoints that would send codes over plain http to another host', async () => {
    const { engine } = newEngine();
    const refused = await rejection(engine.startAuthorization(xOptions({ endpoints: { ...server.endpoints, tokenUrl: 'http://x.example/token' } })));
    assert.equal(refused.code, 'invalid_input');
  });
});

describe('refresh', () => {
  function vault(platformName = 'X', client: OAuthClientCredentials = { clientId: server.clients.native.clientId }) {
    const accounts = new Map<string, RefreshableAccount>();
    const events: string[] = [];
    const revoked: string[] = [];
    let failNextStore = false;
    // Monotonic time the test can move on, past the floor between two refreshes of one account.
    let skippedMs = 0;
    const refresher = createTokenRefresher({
      fetch: httpFetch,
      clock: { now: () => Date.now() },
      monotonic: () => performance.now() + skippedMs,
      log,
      loadAccount: async (id) => accounts.get(id),
      storeTokens: async (id, tokens) => {
        if (failNextStore) {
          failNextStore = false;
          throw new Error('disk full');
        }
        remember({ tokens });
        events.push(`stored ${tokens.refreshToken}`);
        accounts.set(id, { ...accounts.get(id)!, tokens });
      },
      onRevoked: (id) => void revoked.push(id),
    });
    return {
      refresher,
      events,
      revoked,
      put: (id: string, tokens: TokenSet) => accounts.set(id, { platformName, endpoints: server.endpoints, client, tokens }),
      get: (id: string) => accounts.get(id)!.tokens,
      failNextStore: () => void (failNextStore = true),
      skip: (ms: number) => void (skippedMs += ms),
    };
  }

  it('makes exactly one token request for 20 concurrent refreshes, and stores the rotated token before returning', async () => {
    const store = vault();
    const initial = await signIn();
    store.put('acct', initial);
    const requests = server.tokenRequestCount();

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.refresher.refresh('acct').then((tokens) => {
          store.events.push(`returned ${tokens.refreshToken}`);
          return tokens;
        }),
      ),
    );
    assert.equal(server.tokenRequestCount(), requests + 1, 'one refresh for 20 callers');
    assert.equal(new Set(results.map((tokens) => tokens.accessToken)).size, 1);
    const fresh = results[0]!;
    assert.notEqual(fresh.refreshToken, initial.refreshToken, 'rotated');
    assert.equal(store.events[0], `stored ${fresh.refreshToken}`, 'stored before anyone got the access token');
    assert.equal(store.get('acct').refreshToken, fresh.refreshToken);
    assert.equal((await server.usersMe(fresh.accessToken)).status, 200);

    // Right after a refresh, callers wanting a fresh token get this one: the floor between
    // refreshes holds whatever they ask.
    store.put('acct', { ...fresh, obtainedAt: Date.now() - 2 * 60 * minutes + minutes, expiresAt: Date.now() + minutes });
    await store.refresher.freshTokens('acct', 5 * minutes);
    assert.equal(server.tokenRequestCount(), requests + 1, 'no second refresh within the floor');

    // Twenty callers whose access token (of two hours) expires within the lead time: one refresh.
    store.skip(minRefreshIntervalMs);
    const next = await Promise.all(Array.from({ length: 20 }, () => store.refresher.freshTokens('acct', 5 * minutes)));
    assert.equal(server.tokenRequestCount(), requests + 2);
    assert.equal(new Set(next.map((tokens) => tokens.accessToken)).size, 1);

    // A caller reporting a 401 on a token someone already replaced gets the stored one, no request.
    const afterRace = await store.refresher.refresh('acct', { staleAccessToken: fresh.accessToken });
    assert.equal(afterRace.accessToken, next[0]!.accessToken);
    assert.equal(server.tokenRequestCount(), requests + 2);
  });

  it('hands out no access token when storing the rotated refresh token fails (a crash between the two)', async () => {
    const store = vault();
    const initial = await signIn();
    store.put('acct', initial);
    store.failNextStore();
    await assert.rejects(store.refresher.refresh('acct'), /disk full/);
    assert.deepEqual(store.get('acct'), initial, 'the vault still holds what it held');
  });

  it('turns a reused (rotated-out) refresh token into platform_auth_failed and onRevoked', async () => {
    const store = vault();
    const initial = await signIn();
    store.put('acct', initial);
    await store.refresher.refresh('acct');
    store.put('acct', initial); // a stale copy of the old refresh token
    const failure = await rejection(store.refresher.refresh('acct'));
    assert.equal(failure.code, 'platform_auth_failed');
    assert.deepEqual(store.revoked, ['acct']);
  });

  it('keeps the stored refresh token when the response has none, or an empty one', async () => {
    for (const refreshTokenField of [{}, { refresh_token: '' }]) {
      const store = vault();
      const initial = await signIn();
      store.put('acct', initial);
      server.injectFault('token', {
        status: 200,
        body: { access_token: `new-access-${Object.keys(refreshTokenField).length}`, token_type: 'Bearer', expires_in: 7200, ...refreshTokenField },
      });
      const refreshed = await store.refresher.refresh('acct');
      assert.equal(refreshed.accessToken, `new-access-${Object.keys(refreshTokenField).length}`);
      assert.equal(refreshed.refreshToken, initial.refreshToken);
      assert.equal(store.get('acct').refreshToken, initial.refreshToken);
      assert.equal(refreshed.scope, initial.scope, 'an omitted scope is the one granted');
    }
  });

  it('refreshes 5 minutes before expiry on its schedule (fake clock and timers)', async () => {
    const clock = fakeClock();
    const timers = fakeTimers(clock);
    const store = vault();
    const initial = await signIn();
    const expiresAt = clock.now() + 2 * 60 * minutes;
    store.put('acct', { ...initial, expiresAt });
    let refreshed!: (tokens: TokenSet) => void;
    const done = new Promise<TokenSet>((resolve) => (refreshed = resolve));
    const scheduler = createRefreshScheduler({
      clock,
      timers,
      refresh: (id) => store.refresher.refresh(id).then((tokens) => (refreshed(tokens), tokens)),
      onExpiring: () => assert.fail('a refreshable token gets no expiring notice'),
    });
    scheduler.track({ accountId: 'acct', expiresAt, canRefresh: true, refreshLeadMs: 5 * minutes });
    assert.equal(scheduler.nextRunAt('acct'), expiresAt - 5 * minutes);

    const requests = server.tokenRequestCount();
    timers.advanceTo(expiresAt - 5 * minutes - 1);
    assert.equal(server.tokenRequestCount(), requests, 'not yet');
    timers.advanceTo(expiresAt - 5 * minutes);
    const tokens = await done;
    assert.equal(server.tokenRequestCount(), requests + 1);
    assert.notEqual(tokens.refreshToken, initial.refreshToken);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.nextRunAt('acct'), tokens.expiresAt! - 5 * minutes, 'scheduled again from the new expiry');
    scheduler.stop();
  });
});

describe('revocation', () => {
  it('revokes the tokens, after which the API and the refresh both refuse them', async () => {
    const tokens = await signIn();
    const request = { platformName: 'X', endpoints: server.endpoints, client: { clientId: server.clients.native.clientId } };
    assert.equal(await revokeTokenSet({ fetch: httpFetch, log }, { ...request, tokens }), true);
    assert.equal((await server.usersMe(tokens.accessToken)).status, 401);

    const revoked: string[] = [];
    const refresher = createTokenRefresher({
      fetch: httpFetch,
      clock: { now: () => Date.now() },
      log,
      loadAccount: async () => ({ ...request, tokens }),
      storeTokens: async () => assert.fail('nothing to store'),
      onRevoked: (id) => void revoked.push(id),
    });
    assert.equal((await rejection(refresher.refresh('acct'))).code, 'platform_auth_failed');
    assert.deepEqual(revoked, ['acct']);
  });

  it('does not throw when the revoke endpoint fails or cannot be reached', async () => {
    const tokens = await signIn();
    const request = { platformName: 'X', client: { clientId: server.clients.native.clientId }, token: tokens.accessToken };
    server.injectFault('revocation', { status: 503, body: 'unavailable' });
    assert.equal(await revokeToken({ fetch: httpFetch, log }, { ...request, endpoints: server.endpoints }), false);
    const closedPort = await findFreePort();
    assert.equal(await revokeToken({ fetch: httpFetch, log }, { ...request, endpoints: { revokeUrl: `http://127.0.0.1:${closedPort}/oauth/revoke` } }), false);
    assert.equal(await revokeToken({ fetch: httpFetch, log }, { ...request, endpoints: {} }), false, 'no revoke endpoint');
    assert.equal((await server.usersMe(tokens.accessToken)).status, 200, 'nothing was revoked');
  });
});

describe('the log', () => {
  it('holds no code, state or token from any of the flows above', () => {
    assert.ok(logLines.length > 20, 'the flows above logged');
    assert.ok(secretsSeen.size > 20, 'the flows above were remembered');
    for (const line of logLines) {
      for (const secret of secretsSeen) assert.ok(!line.includes(secret), `a log line holds a secret: ${line.slice(0, 160)}`);
    }
  });
});

/** Timers driven by a fake clock: advanceTo(t) runs every timer due by t, in order. */
function fakeTimers(clock: ReturnType<typeof fakeClock>): Timers & { advanceTo(at: number): void } {
  let nextId = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  return {
    setTimeout(callback, ms) {
      const id = ++nextId;
      pending.set(id, { at: clock.now() + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
    now: () => clock.now(),
    advanceTo(at) {
      for (;;) {
        const due = [...pending].filter(([, timer]) => timer.at <= at).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        clock.set(Math.max(clock.now(), due[1].at));
        due[1].callback();
      }
      clock.set(at);
    },
  };
}
