// The developer apps through the core's real dispatch, with a real vault: one app per platform
// that needs one (X, LinkedIn, Pinterest), each under its own vault key, the secret never crossing
// the bridge, and X's app as earlier versions saved it still read as it was.
//
// "Test these credentials" runs against the real OAuth server (oidc-provider) behind each
// platform's mock, with right and wrong secrets, and with the platform's own refusals injected.
//
// Run: npx tsx --test test/integration/developerApps.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { startPinterestServer, type PinterestServer } from '../harness/pinterestServer';
import { startXServer, type XServer } from '../harness/xServer';
import { testKeyWrapper } from '../harness/testPorts';

describe('developer apps', () => {
  it('reads the X app an earlier version saved, under the same vault key', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-devapps-'));
    const db = openDatabase(dataDir);
    try {
      const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
      await vault.open();
      // The record exactly as the X-only store wrote it.
      vault.put('developer-app:x', JSON.stringify({ clientId: 'earlier-client', clientSecret: 'earlier-secret-0123456789', redirectPort: 41234 }));
    } finally {
      db.close();
    }
    const app = await startCore({ dataDir });
    assert.deepEqual(await app.call('developerApps.get', { platform: 'x' }), {
      platform: 'x',
      clientId: 'earlier-client',
      hasClientSecret: true,
      redirectPort: 41234,
      redirectUri: 'http://127.0.0.1:41234/callback',
      switches: {},
    });
    app.close();
  });

  it('keeps one app per platform, each with its own redirect URI, and never lets a secret cross the bridge', async () => {
    const app = await startCore();
    const linkedinSecret = 'linkedin-secret-0123456789-abcdef';
    const pinterestSecret = 'pinterest-secret-0123456789-abcdef';
    assert.deepEqual(await app.call('developerApps.get', { platform: 'linkedin' }), {
      platform: 'linkedin',
      clientId: null,
      hasClientSecret: false,
      redirectPort: 53682,
      redirectUri: 'http://127.0.0.1:53682/callback',
      switches: {},
    });
    await app.call('developerApps.save', { platform: 'x', clientId: 'x-client', clientSecret: '', redirectPort: 50001 });
    const linkedin = await app.call('developerApps.save', { platform: 'linkedin', clientId: 'li-client', clientSecret: linkedinSecret, redirectPort: 50002 });
    const pinterest = await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: pinterestSecret, redirectPort: 50003 });
    assert.deepEqual(linkedin, {
      platform: 'linkedin',
      clientId: 'li-client',
      hasClientSecret: true,
      redirectPort: 50002,
      redirectUri: 'http://127.0.0.1:50002/callback',
      switches: {},
    });
    assert.equal(pinterest.redirectUri, 'http://127.0.0.1:50003/callback');
    assert.deepEqual(pinterest.switches, { sandbox: false }, "Pinterest's sandbox switch is off until turned on");
    app.close();

    // After a restart each platform reads its own app back, and X's is untouched by the others.
    const again = await startCore({ dataDir: app.dataDir });
    assert.deepEqual(await again.call('developerApps.get', { platform: 'x' }), {
      platform: 'x',
      clientId: 'x-client',
      hasClientSecret: false,
      redirectPort: 50001,
      redirectUri: 'http://127.0.0.1:50001/callback',
      switches: {},
    });
    assert.deepEqual(await again.call('developerApps.get', { platform: 'linkedin' }), linkedin);
    assert.deepEqual(await again.call('developerApps.get', { platform: 'pinterest' }), pinterest);
    again.close();

    for (const message of [...app.traffic, ...again.traffic]) {
      assert.ok(!message.includes(linkedinSecret) && !message.includes(pinterestSecret), `a secret crossed the bridge: ${message.slice(0, 200)}`);
    }
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true })) {
      const file = path.join(app.dataDir, entry.toString());
      if (!fs.statSync(file).isFile()) continue;
      const content = fs.readFileSync(file).toString('latin1');
      assert.ok(!content.includes(linkedinSecret) && !content.includes(pinterestSecret), `a secret is in ${file}`);
    }
  });

  it('refuses a Client ID without the secret where the platform needs one, and keeps what was saved', async () => {
    const app = await startCore();
    await assert.rejects(app.call('developerApps.save', { platform: 'linkedin', clientId: 'li-client', redirectPort: 53682 }), (error: { code: string; message: string }) => {
      assert.equal(error.code, 'invalid_input');
      assert.match(error.message, /LinkedIn needs your app's Client secret/);
      return true;
    });
    await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: 'pin-secret-0123456789', redirectPort: 53682 });
    // Removing the secret of a platform that needs it is refused; the saved app stays whole.
    await assert.rejects(app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: '', redirectPort: 53682 }), {
      code: 'invalid_input',
    });
    assert.equal((await app.call('developerApps.get', { platform: 'pinterest' })).hasClientSecret, true);
    // An empty Client ID clears the app, secret or not.
    assert.equal((await app.call('developerApps.save', { platform: 'linkedin', clientId: '', redirectPort: 53682 })).clientId, null);
    app.close();
  });

  it("keeps a platform's switches with its app, keeps them when a save leaves them out, and refuses another platform's", async () => {
    const app = await startCore();
    const base = { platform: 'pinterest' as const, clientId: 'pin-client', clientSecret: 'pin-secret-0123456789', redirectPort: 53682 };
    assert.deepEqual((await app.call('developerApps.save', { ...base, switches: { sandbox: true } })).switches, { sandbox: true });
    // Removing nothing but the secret (the form's other button) leaves the switch as it was.
    assert.deepEqual((await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', redirectPort: 53682 })).switches, { sandbox: true });
    app.close();
    const again = await startCore({ dataDir: app.dataDir });
    assert.deepEqual((await again.call('developerApps.get', { platform: 'pinterest' })).switches, { sandbox: true });
    assert.deepEqual((await again.call('developerApps.save', { ...base, switches: { sandbox: false } })).switches, { sandbox: false });
    // X has no sandbox switch: the bridge refuses it rather than keep a setting nothing reads.
    await assert.rejects(again.call('developerApps.save', { platform: 'x', clientId: 'x-client', redirectPort: 53682, switches: { sandbox: true } }), {
      code: 'invalid_input',
    });
    assert.deepEqual((await again.call('developerApps.get', { platform: 'x' })).switches, {});
    again.close();
  });
});

describe('developer apps: connecting without one', () => {
  it('says, for each platform from its spec, which app to save where and the redirect URI to register, and opens no browser', async () => {
    const app = await startCore();
    const expected = {
      x: "Open Settings → Developer apps → X, enter your app's Client ID, and register http://127.0.0.1:50001/callback as its callback URI.",
      linkedin:
        "Open Settings → Developer apps → LinkedIn, enter your app's Client ID and Client secret, and register http://127.0.0.1:50002/callback as its Authorized redirect URL.",
      pinterest:
        "Open Settings → Developer apps → Pinterest, enter your app's Client ID and Client secret, and register http://127.0.0.1:50003/callback as its Redirect link.",
    };
    const ports = { x: 50001, linkedin: 50002, pinterest: 50003 };
    for (const platform of ['x', 'linkedin', 'pinterest'] as const) {
      await app.call('developerApps.save', { platform, clientId: '', redirectPort: ports[platform] });
      await assert.rejects(app.call('accounts.connect', { platform }), (error: { code: string; error: { message: string; action?: string } }) => {
        assert.equal(error.code, 'developer_app_missing');
        assert.match(error.error.message, /only your own developer app/);
        assert.equal(error.error.action, expected[platform]);
        return true;
      });
    }
    assert.deepEqual(app.openedUrls, []);
    app.close();
  });
});

describe('developer apps: Test these credentials', () => {
  let linkedin: LinkedInServer;
  let pinterest: PinterestServer;
  let x: XServer;
  let app: CoreClient;
  const wrongSecret = 'not-the-secret-0123456789-abcdef';
  before(async () => {
    [linkedin, pinterest, x] = await Promise.all([startLinkedInServer(), startPinterestServer(), startXServer()]);
    app = await startCore({ env: { ...linkedin.env, ...pinterest.env, ...x.env } });
  });
  after(async () => {
    app.close();
    await Promise.all([linkedin.close(), pinterest.close(), x.close()]);
  });

  type Refusal = { code: string; error: { message: string; action?: string } };
  const rejected = (name: string) => (error: Refusal) => {
    assert.equal(error.code, 'developer_app_rejected');
    assert.match(error.error.message, new RegExp(`^${name} did not accept this Client ID and `));
    assert.match(error.error.action ?? '', /Copy both again/);
    return true;
  };
  const linkedinApp = (clientSecret?: string) => ({
    platform: 'linkedin' as const,
    clientId: linkedin.client.clientId,
    redirectPort: linkedin.oauth.fixedRedirectPort,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
  });

  it('LinkedIn: the right secret is accepted, a wrong one refused, each with one request to its token endpoint and nothing saved', async () => {
    const requests = linkedin.oauth.tokenRequestCount();
    assert.deepEqual(await app.call('developerApps.test', linkedinApp(linkedin.client.clientSecret)), {
      message: 'LinkedIn accepted this Client ID and secret. The redirect URI is checked when you connect.',
    });
    await assert.rejects(app.call('developerApps.test', linkedinApp(wrongSecret)), rejected('LinkedIn'));
    await assert.rejects(app.call('developerApps.test', { ...linkedinApp(linkedin.client.clientSecret), clientId: 'no-such-client' }), rejected('LinkedIn'));
    assert.equal(linkedin.oauth.tokenRequestCount(), requests + 3);
    assert.equal((await app.call('developerApps.get', { platform: 'linkedin' })).clientId, null, 'a test saves nothing');
  });

  it('LinkedIn: with no secret typed, the saved one is tested', async () => {
    await app.call('developerApps.save', linkedinApp(linkedin.client.clientSecret));
    assert.match((await app.call('developerApps.test', linkedinApp())).message, /^LinkedIn accepted/);
    await app.call('developerApps.save', linkedinApp(wrongSecret));
    await assert.rejects(app.call('developerApps.test', linkedinApp()), rejected('LinkedIn'));
    await app.call('developerApps.save', { platform: 'linkedin', clientId: '', redirectPort: 53682 });
  });

  it("LinkedIn's own answer to an unknown code (400 invalid_request) means the app was accepted; a 500 says neither", async () => {
    linkedin.oauth.injectFault('token', {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.',
      },
    });
    assert.match((await app.call('developerApps.test', linkedinApp(linkedin.client.clientSecret))).message, /^LinkedIn accepted/);
    linkedin.oauth.injectFault('token', { status: 503, body: { error: 'temporarily_unavailable' } });
    await assert.rejects(app.call('developerApps.test', linkedinApp(linkedin.client.clientSecret)), (error: Refusal) => {
      assert.equal(error.code, 'developer_app_unverified');
      assert.match(error.error.message, /HTTP 503, temporarily_unavailable/);
      assert.equal(error.error.action, 'Try again in a few minutes.');
      return true;
    });
  });

  it('Pinterest: HTTP Basic at its token endpoint, production or the sandbox as the switch says; its 401 is a refusal', async () => {
    const pinterestApp = (clientSecret: string, sandbox = false) => ({
      platform: 'pinterest' as const,
      clientId: pinterest.client.clientId,
      clientSecret,
      redirectPort: pinterest.oauth.fixedRedirectPort,
      switches: { sandbox },
    });
    const before = pinterest.requests.length;
    assert.deepEqual(await app.call('developerApps.test', pinterestApp(pinterest.client.clientSecret)), {
      message: 'Pinterest accepted this Client ID and secret. The redirect URI is checked when you connect.',
    });
    await assert.rejects(app.call('developerApps.test', pinterestApp(wrongSecret)), rejected('Pinterest'));
    assert.match((await app.call('developerApps.test', pinterestApp(pinterest.client.clientSecret, true))).message, /^Pinterest accepted/);
    assert.deepEqual(
      pinterest.requests.slice(before).map((r) => `${r.method} ${r.path} ${(r.body as Record<string, string>).grant_type}`),
      ['POST /v5/oauth/token authorization_code', 'POST /v5/oauth/token authorization_code', 'POST /sandbox/v5/oauth/token authorization_code'],
    );
    // Pinterest's own refusal of wrong credentials, in its `Error` shape.
    pinterest.injectFault('/v5/oauth/token', { status: 401, body: { code: 2, message: 'Authentication failed.' } });
    await assert.rejects(app.call('developerApps.test', pinterestApp(pinterest.client.clientSecret)), (error: Refusal) => {
      assert.equal(error.code, 'developer_app_rejected');
      assert.match(error.error.message, /Pinterest said: “Authentication failed\.”/);
      return true;
    });
    assert.deepEqual(pinterest.violations.splice(0), []);
  });

  it('X: a confidential app is tested with HTTP Basic and PKCE as it signs in; a Native App without a secret is not tested at all', async () => {
    const { clientId, clientSecret } = x.oauth.clients.confidentialBasic;
    const xApp = (secret?: string) => ({ platform: 'x' as const, clientId, redirectPort: x.oauth.fixedRedirectPort, ...(secret !== undefined ? { clientSecret: secret } : {}) });
    assert.deepEqual(await app.call('developerApps.test', xApp(clientSecret)), {
      message: 'X accepted this Client ID and secret. The redirect URI is checked when you connect.',
    });
    await assert.rejects(app.call('developerApps.test', xApp(wrongSecret)), rejected('X'));
    // X's own answers: 401 unauthorized_client for bad Basic credentials, 400 invalid_request for an unknown code.
    x.oauth.injectFault('token', { status: 401, body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' } });
    await assert.rejects(app.call('developerApps.test', xApp(clientSecret)), rejected('X'));
    x.oauth.injectFault('token', { status: 400, body: { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' } });
    assert.match((await app.call('developerApps.test', xApp(clientSecret))).message, /^X accepted/);

    const requests = x.oauth.tokenRequestCount();
    await assert.rejects(app.call('developerApps.test', { platform: 'x', clientId: x.oauth.clients.native.clientId, clientSecret: '', redirectPort: 53682 }), (error: Refusal) => {
      assert.equal(error.code, 'invalid_input');
      assert.match(error.error.message, /checks its Client ID only when you connect/);
      return true;
    });
    assert.equal(x.oauth.tokenRequestCount(), requests, 'nothing was sent for a public client');
  });

  it('never lets a tested secret cross the bridge or reach a file', async () => {
    const secrets = [linkedin.client.clientSecret, pinterest.client.clientSecret, x.oauth.clients.confidentialBasic.clientSecret, wrongSecret];
    for (const message of app.traffic) {
      for (const secret of secrets) assert.ok(!message.includes(secret), `a secret crossed the bridge: ${message.slice(0, 200)}`);
    }
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true })) {
      const file = path.join(app.dataDir, entry.toString());
      if (!fs.statSync(file).isFile()) continue;
      const content = fs.readFileSync(file).toString('latin1');
      for (const secret of secrets) assert.ok(!content.includes(secret), `a secret is in ${file}`);
    }
  });
});
