// The token lifecycle of OAuth accounts (OAuthAccounts) against a real authorization server
// (oidc-provider on 127.0.0.1, configured like X): tokens only in the vault, refresh before expiry
// and on a 401 with the rotated refresh token stored, a refused refresh turning the account
// needs_reauth with token.revoked and an OS notification, token.expiring ahead of an end that
// cannot be refreshed away, and revocation on disconnect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountStore } from '../../src-main/core/accounts/accountStore';
import { openMemoryDatabase } from '../../src-main/core/db/openDatabase';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { createLogger } from '../../src-main/core/log/logger';
import { OAuthAccounts, type OAuthAccountCredential } from '../../src-main/core/oauth/oauthAccounts';
import { createOAuthEngine } from '../../src-main/core/oauth/oauthFlow';
import type { TokenSet } from '../../src-main/core/oauth/tokenSet';
import { Vault } from '../../src-main/core/vault/vault';
import { playBrowser, startOAuthServer, type TestOAuthServer } from '../harness/oauthServer';
import { testKeyWrapper } from '../harness/testPorts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const scopes = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];
const log = createLogger('test', []);
const fetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 5000 });

let server: TestOAuthServer;
before(async () => {
  server = await startOAuthServer();
});
after(() => server.close());

async function signIn(): Promise<TokenSet> {
  const openedUrls: string[] = [];
  const engine = createOAuthEngine({ urlOpener: { open: async (url) => void openedUrls.push(url) }, clock: { now: () => Date.now() }, fetch, log, activeProfileId: () => 'default' });
  const started = await engine.startAuthorization({
    platform: 'x',
    platformName: 'X',
    profileId: 'default',
    endpoints: server.endpoints,
    clientId: server.clients.native.clientId,
    scopes,
    redirect: 'loopback',
  });
  await playBrowser(openedUrls[0]!);
  return started.result;
}

async function setUp() {
  const db = openMemoryDatabase();
  let now = Date.now();
  const clock = { now: () => now };
  const vault = new Vault({ db, keyWrapper: testKeyWrapper(fs.mkdtempSync(path.join(os.tmpdir(), 'lp-oauth-'))), clock, log, onLostSecrets: () => {} });
  await vault.open();
  const accounts = new AccountStore(db, clock);
  const events: Array<{ event: string; handle: string; reason: string; expiresAt?: number }> = [];
  const notifications: string[] = [];
  const oauthAccounts = new OAuthAccounts({
    vault,
    accounts,
    fetch,
    clock,
    notifier: { notify: (title) => void notifications.push(title) },
    log,
    onTokenEvent: (event, account, detail) => void events.push({ event, handle: account.handle, ...detail }),
  });
  // Mastodon stands in for any OAuth platform here: the lifecycle does not depend on which.
  const { account } = accounts.upsertConnected({ profileId: 'default', platform: 'mastodon', remoteId: 'alice', handle: 'alice@x.test', service: 'X', displayName: null });
  const tokens = await signIn();
  const credential: OAuthAccountCredential = {
    platformName: 'X',
    endpoints: { tokenUrl: server.endpoints.tokenUrl, revokeUrl: server.endpoints.revokeUrl, issuer: server.endpoints.issuer },
    client: { clientId: server.clients.native.clientId },
    tokens,
  };
  oauthAccounts.save(account, credential);
  const stored = () => (JSON.parse(vault.get(`account:${account.id}:session`)!) as OAuthAccountCredential).tokens;
  return { db, vault, accounts, oauthAccounts, account, events, notifications, stored, advance: (ms: number) => void (now += ms), tokens };
}

const usersMe = `/2/users/me`;

describe('OAuth accounts: the token lifecycle', () => {
  it('calls the API with the stored access token', async () => {
    const { oauthAccounts, account } = await setUp();
    const response = await oauthAccounts.authorizedFetch(account, server.endpoints.apiBase + usersMe);
    assert.equal(response.status, 200);
    oauthAccounts.stop();
  });

  it('refreshes a token about to expire before using it, and stores the rotated refresh token', async () => {
    const { oauthAccounts, account, stored, advance, tokens } = await setUp();
    const requests = server.tokenRequestCount();
    advance(tokens.expiresAt! - Date.now() + 1000); // past expiry on the app's clock
    const response = await oauthAccounts.authorizedFetch(account, server.endpoints.apiBase + usersMe);
    assert.equal(response.status, 200);
    assert.equal(server.tokenRequestCount(), requests + 1);
    assert.notEqual(stored().refreshToken, tokens.refreshToken, 'rotated refresh token stored');
    assert.notEqual(stored().accessToken, tokens.accessToken);
    oauthAccounts.stop();
  });

  it('on a 401 refreshes once and retries; concurrent callers share that one refresh', async () => {
    const { oauthAccounts, account, vault, stored } = await setUp();
    // Replace the access token by one the server never issued: every call gets a 401 at first.
    const credential = JSON.parse(vault.get(`account:${account.id}:session`)!) as OAuthAccountCredential;
    credential.tokens.accessToken = 'not-a-token-the-server-issued';
    vault.put(`account:${account.id}:session`, JSON.stringify(credential));
    const requests = server.tokenRequestCount();
    const responses = await Promise.all([1, 2, 3].map(() => oauthAccounts.authorizedFetch(account, server.endpoints.apiBase + usersMe)));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.equal(server.tokenRequestCount(), requests + 1, 'one refresh for three callers');
    assert.notEqual(stored().accessToken, 'not-a-token-the-server-issued');
    oauthAccounts.stop();
  });

  it('a refused refresh (invalid_grant) turns the account needs_reauth, emits token.revoked and notifies', async () => {
    const { oauthAccounts, account, accounts, events, notifications, advance, tokens } = await setUp();
    server.injectFault('token', { status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } });
    advance(tokens.expiresAt! - Date.now() + 1000);
    await assert.rejects(oauthAccounts.authorizedFetch(account, server.endpoints.apiBase + usersMe), { code: 'platform_auth_failed' });
    const after = accounts.findAny(account.id)!;
    assert.equal(after.status, 'needs_reauth');
    assert.equal(after.nextAction, 'reconnect');
    assert.deepEqual(events.map((e) => e.event), ['token.revoked']);
    assert.equal(notifications.length, 1);
    oauthAccounts.stop();
  });

  it('announces token.expiring ahead of an end it cannot refresh away', async () => {
    const { oauthAccounts, account, events, vault } = await setUp();
    const credential = JSON.parse(vault.get(`account:${account.id}:session`)!) as OAuthAccountCredential;
    // LinkedIn-like: no refresh token, 60 days, announced 7 days ahead; here it ends in 3 days.
    delete credential.tokens.refreshToken;
    credential.tokens.expiresAt = Date.now() + 3 * 24 * 60 * 60 * 1000;
    oauthAccounts.setPolicy('mastodon', { expiringNoticeMs: 7 * 24 * 60 * 60 * 1000 });
    oauthAccounts.save(account, credential);
    for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(events[0]?.event, 'token.expiring');
    assert.equal(events[0]?.expiresAt, credential.tokens.expiresAt);
    oauthAccounts.stop();
  });

  it('disconnect revokes at the platform and forgets the tokens; a failing revoke does not block it', async () => {
    const first = await setUp();
    const revocations = server.revocationRequestCount();
    assert.equal(await first.oauthAccounts.disconnect(first.account), true);
    assert.ok(server.revocationRequestCount() > revocations);
    assert.equal(first.vault.get(`account:${first.account.id}:session`), undefined);
    const second = await setUp();
    server.injectFault('revocation', { status: 503, body: 'down' });
    assert.equal(await second.oauthAccounts.disconnect(second.account), false);
    assert.equal(second.vault.get(`account:${second.account.id}:session`), undefined);
  });
});
