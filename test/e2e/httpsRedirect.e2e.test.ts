// The https loopback redirect with a real browser: Chromium signs in at oidc-provider (registered
// with Meta's rule, only `https://localhost:<port>/callback`) and is redirected to Localpost's TLS
// listener. A browser that has not been told to trust the certificate stops with a certificate
// error, as the Settings page and the connect form say it will; the address it stopped at, pasted
// (with Instagram's `#_`), finishes the sign-in. A browser whose user continued past the warning
// reaches the listener, and the sign-in finishes by itself.
// No platform registers this redirect yet, so the test drives the OAuth engine, and shows the
// renderer's own Settings form and paste form for such an app on a page of their own
// (test/harness/httpsRedirectScreens.tsx), their bridge answered by that engine.
// Run: npm test -- test/e2e/httpsRedirect.e2e.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../../src-main/core/errors';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { createLogger } from '../../src-main/core/log/logger';
import { loadOrCreateLoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import { createOAuthEngine, type StartAuthorizationOptions } from '../../src-main/core/oauth/oauthFlow';
import { chromiumPath } from '../harness/rendererServer';
import { findFreePort, startOAuthServer, type TestOAuthServer } from '../harness/oauthServer';

const scopes = ['instagram_business_basic', 'instagram_business_content_publish'];
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../harness/httpsRedirectScreens.tsx');

/** The fixture page, scripts and styles inline. */
async function screensPage(): Promise<string> {
  const built = await esbuild({
    entryPoints: [fixture],
    bundle: true,
    write: false,
    outdir: '/tmp/localpost-https-screens',
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl', '.webp': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const script = built.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
  const style = built.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Localpost</title><style>${style}</style></head>
<body><div id="root"></div><script>${script.replaceAll('</script', '<\\/script')}</script></body></html>`;
}

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
      authorization.cancel();
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
      authorization.cancel();
      await context.close();
    }
  });

  it('shows the exact https address to register and what the browser will show; the paste form, open from the start, signs in with the address the browser landed on', async () => {
    const { engine, opened, started } = start();
    const authorization = await started;
    const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
    try {
      // The browser the user signs in with: it does not trust Localpost's certificate.
      const browserTab = await context.newPage();
      const failed = browserTab.waitForEvent('requestfailed', (request) => request.url().startsWith(`https://localhost:${port}/`));
      await browserTab.goto(opened[0]!);
      await browserTab.getByRole('button', { name: 'Allow' }).click();
      const landed = (await failed).url();

      const page = await context.newPage();
      const asked: string[] = [];
      await page.exposeBinding('__localpostInvoke', async (_source, method: string, input: unknown) => {
        asked.push(method);
        if (method === 'developerApps.get') {
          return { ok: true, value: { platform: 'x', clientId: null, hasClientSecret: false, redirectPort: port, redirectUri: `https://localhost:${port}/callback`, switches: {} } };
        }
        if (method === 'accounts.completeSignIn') {
          try {
            await engine.completeFromPastedUrl((input as { pastedUrl: string }).pastedUrl);
            return { ok: true, value: null };
          } catch (error) {
            const failure = error instanceof AppError ? error : new AppError('internal', String(error));
            return { ok: false, error: { code: failure.code, message: failure.message } };
          }
        }
        return { ok: false, error: { code: 'internal', message: `not in this page: ${method}` } };
      });
      await page.exposeBinding('__localpostEmit', () => {});
      await page.setContent(await screensPage());

      const settings = page.locator('#settings-screen');
      await settings.getByRole('heading', { name: 'X developer app' }).waitFor();
      // The form fills its fields from the saved app once it has read it.
      await page.waitForFunction(`document.querySelector('#settings-screen input[type=number]')?.value === '${port}'`);
      assert.equal(await settings.getByLabel('Redirect URI').inputValue(), `https://localhost:${port}/callback`);
      await settings.getByRole('button', { name: /Copy/ }).first().waitFor();
      await settings.getByText('your browser will warn that the connection is not private').waitFor();
      await settings.getByLabel('Redirect port').fill('50123');
      assert.equal(await settings.getByLabel('Redirect URI').inputValue(), 'https://localhost:50123/callback');
      await settings.screenshot({ path: '/tmp/https-redirect-settings.png' });

      const connect = page.locator('#connect-screen');
      await connect.getByText('Your browser will warn that the connection to localhost is not private').waitFor();
      const address = connect.getByLabel('Address from the browser');
      assert.equal(await address.isVisible(), true, 'open from the start');
      await address.fill(`${landed}#_`);
      await connect.screenshot({ path: '/tmp/https-redirect-paste.png' });
      await connect.getByRole('button', { name: 'Finish sign-in' }).click();
      const tokens = await authorization.result;
      assert.ok(await server.findAccessToken(tokens.accessToken));
      assert.ok(asked.includes('accounts.completeSignIn'));
      assert.equal(await connect.getByRole('alert').count(), 0);
    } finally {
      authorization.cancel();
      await context.close();
    }
  });
});
