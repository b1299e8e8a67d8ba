// The https loopback redirect with a real browser: Chromium signs in at oidc-provider (registered
// with Meta's rule, only `https://localhost:<port>/callback`) and is redirected to Localpost's TLS
// listener. A browser that has not been told to trust the certificate stops with a certificate
// error, as the Settings page and the connect form say it will; the address it stopped at, pasted
// (with Instagram's `#_`), finishes the sign-in. A browser whose user continued past the warning
// reaches the listener, and the sign-in finishes by itself.
// No platform registers this redirect yet, so the test drives the OAuth engine, not a connect form.
// Run: npm test -- test/e2e/httpsRedirect.e2e.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { createLogger } from '../../src-main/core/log/logger';
import { loadOrCreateLoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import { createOAuthEngine, type StartAuthorizationOptions } from '../../src-main/core/oauth/oauthFlow';
import { chromiumPath } from '../harness/app';
import { findFreePort, startOAuthServer, type TestOAuthServer } from '../harness/oauthServer';

const scopes = ['instagram_business_basic', 'instagram_business_content_publish'];

describe('https loopback redirect (Chromium)', () => {
  let server: TestOAuthServer;
  let port: number;
  let dataDir: string;
  let browser: Browser;
  before(async () => {
    port = await findFreePort();
    server = await startOAuthServer({ httpsRedirectUri: `https://localhost:${port}/callback`, extraScopes: scopes });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-https-e2e-'));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start() {
    const opened: string[] = [];
    const engine = createOAuthEngine({
      urlOpener: { open: async (url) => void opened.push(url) },
      clock: { now: () => Date.now() },
      fetch: createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 5000 }),
      log: createLogger('oauth', []),
      activeProfileId: () => 'profile-a',
      loopbackCertificate: () => loadOrCreateLoopbackCertificate(dataDir),
    });
    const options: StartAuthorizationOptions = {
      platform: 'meta-test',
      platformName: 'Meta',
      profileId: 'profile-a',
      endpoints: server.endpoints,
      clientId: server.clients.httpsOnly.clientId,
      clientSecret: server.clients.httpsOnly.clientSecret,
      clientAuthMethod: 'client_secret_post',
      scopes,
      redirect: { httpsPort: port },
      loopbackPath: '/callback',
    };
    return { engine, opened, started: engine.startAuthorization(options) };
  }

  it('stops at a certificate warning in a browser that does not trust it, and the address it stopped at, pasted with #_, signs in', async () => {
    const { engine, opened, started } = start();
    const authorization = await started;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const failed = page.waitForEvent('requestfailed', (request) => request.url().startsWith(`https://localhost:${port}/`));
      await page.goto(opened[0]!);
      await page.getByRole('button', { name: 'Allow' }).click();
      const request = await failed;
      assert.match(request.failure()?.errorText ?? '', /ERR_CERT_AUTHORITY_INVALID/);
      const landed = request.url();
      assert.ok(landed.startsWith(`https://localhost:${port}/callback?code=`), landed);

      const tokens = await engine.completeFromPastedUrl(`${landed}#_`);
      assert.deepEqual(await authorization.result, tokens);
      assert.ok(await server.findAccessToken(tokens.accessToken));
    } finally {
      await context.close();
    }
  });

  it('finishes by itself once the user continued past the warning', async () => {
    const { opened, started } = start();
    const authorization = await started;
    // What "Continue to localhost" does: this browser now accepts the certificate.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      await page.goto(opened[0]!);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByText('You can close this tab and return to Localpost.').waitFor();
      assert.ok(page.url().startsWith(`https://localhost:${port}/callback?`));
      const tokens = await authorization.result;
      assert.ok(await server.findAccessToken(tokens.accessToken));
    } finally {
      await context.close();
    }
  });
});
