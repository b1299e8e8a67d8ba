// The https loopback redirect against a real authorization server (oidc-provider) set up with
// Meta's rule: the client's only redirect URI is `https://localhost:<port>/callback`, compared
// exactly. The sign-in completes by the browser reaching the TLS listener (a client that trusts the
// certificate made for the data folder, as a browser does once the user continues past its
// warning), or by pasting the address the browser landed on, Instagram's `#_` included; both go
// through the engine's one completion path, so the state is checked and used once.
// Run: npx tsx --test test/integration/oauthHttpsRedirect.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '../../src-main/core/errors';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { createLogger } from '../../src-main/core/log/logger';
import { loadOrCreateLoopbackCertificate, type LoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import { createOAuthEngine, type StartAuthorizationOptions } from '../../src-main/core/oauth/oauthFlow';
import { findFreePort, playBrowser, startOAuthServer, type TestOAuthServer } from '../harness/oauthServer';

/** Instagram API with Instagram Login's scopes (developers.facebook.com/docs/instagram-platform, business-login). */
const instagramScopes = ['instagram_business_basic', 'instagram_business_content_publish'];
let server: TestOAuthServer;
let port: number;
let dataDir: string;
let certificate: LoopbackCertificate;
const logLines: string[] = [];
const log = createLogger('oauth', [{ write: (line) => logLines.push(line) }]);
const httpFetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 5000 });

before(async () => {
  port = await findFreePort();
  server = await startOAuthServer({ httpsRedirectUri: `https://localhost:${port}/callback`, extraScopes: instagramScopes });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-https-redirect-'));
  certificate = await loadOrCreateLoopbackCertificate(dataDir);
});

after(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function newEngine() {
  const openedUrls: string[] = [];
  let certificateRequests = 0;
  const engine = createOAuthEngine({
    urlOpener: { open: async (url) => void openedUrls.push(url) },
    clock: { now: () => Date.now() },
    fetch: httpFetch,
    log,
    activeProfileId: () => 'profile-a',
    loopbackCertificate: async () => {
      certificateRequests++;
      return loadOrCreateLoopbackCertificate(dataDir);
    },
  });
  return { engine, openedUrls, certificateRequests: () => certificateRequests };
}

function metaOptions(overrides: Partial<StartAuthorizationOptions> = {}): StartAuthorizationOptions {
  return {
    platform: 'meta-test',
    platformName: 'Meta',
    profileId: 'profile-a',
    endpoints: server.endpoints,
    clientId: server.clients.httpsOnly.clientId,
    clientSecret: server.clients.httpsOnly.clientSecret,
    clientAuthMethod: 'client_secret_post',
    scopes: instagramScopes,
    redirect: { httpsPort: port },
    loopbackPath: '/callback',
    ...overrides,
  };
}

/** The browser reaching the callback once the user continued past the warning: it trusts the certificate now. */
function deliverOverTls(callbackUrl: string, ca = certificate.cert): Promise<{ status: number; body: string }> {
  const url = new URL(callbackUrl);
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: Number(url.port), path: url.pathname + url.search, servername: url.hostname, headers: { host: url.host }, ca, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      })
      .on('error', reject);
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  assert.fail('expected a rejection');
}

describe('https loopback redirect (a platform that registers only https addresses)', () => {
  it('sends exactly the registered https://localhost address, and the server refuses any other', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(metaOptions());
    assert.equal(started.redirectUri, `https://localhost:${port}/callback`);
    assert.equal(new URL(openedUrls[0]!).searchParams.get('redirect_uri'), `https://localhost:${port}/callback`);
    started.cancel();
    await assert.rejects(started.result);

    // The same client asking for the http loopback address is refused by the server (Meta's rule).
    const plain = newEngine();
    const refused = await plain.engine.startAuthorization(metaOptions({ redirect: { fixedPort: port } }));
    await assert.rejects(playBrowser(plain.openedUrls[0]!, { deliver: false }), /redirect_uri/);
    refused.cancel();
    await assert.rejects(refused.result);
  });

  it('completes by itself when the browser reaches the TLS listener', async () => {
    const { engine, openedUrls, certificateRequests } = newEngine();
    const started = await engine.startAuthorization(metaOptions());
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });
    assert.ok(visit.callbackUrl.startsWith(`https://localhost:${port}/callback?`), visit.callbackUrl);

    const page = await deliverOverTls(visit.callbackUrl);
    assert.equal(page.status, 200);
    assert.match(page.body, /return to Localpost/);
    const tokens = await started.result;
    assert.equal((await server.findAccessToken(tokens.accessToken))?.clientId, server.clients.httpsOnly.clientId);
    assert.equal(certificateRequests(), 1);

    // One callback: the listener is gone, and the same address pasted now is refused (single use).
    await assert.rejects(deliverOverTls(visit.callbackUrl));
    const replay = await rejection(engine.completeFromPastedUrl(visit.callbackUrl));
    assert.equal(replay.code, 'platform_rejected');
  });

  it('completes when the user pastes the address the browser landed on, with Instagram’s trailing #_', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(metaOptions());
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });

    const tokens = await engine.completeFromPastedUrl(`${visit.callbackUrl}#_`);
    assert.deepEqual(await started.result, tokens);
    assert.ok(await server.findAccessToken(tokens.accessToken));

    // Settled once: the listener closed with it, and the answer cannot be used again either way.
    await assert.rejects(deliverOverTls(visit.callbackUrl));
    assert.equal((await rejection(engine.completeFromPastedUrl(visit.callbackUrl))).code, 'platform_rejected');
  });

  it('completes by pasting without the mark too, and refuses a pasted answer to another sign-in', async () => {
    const { engine, openedUrls } = newEngine();
    const started = await engine.startAuthorization(metaOptions());
    const visit = await playBrowser(openedUrls[0]!, { deliver: false });

    const forged = new URL(visit.callbackUrl);
    forged.searchParams.set('state', 'not-this-sign-in');
    assert.equal((await rejection(engine.completeFromPastedUrl(forged.href))).code, 'platform_rejected');
    const elsewhere = new URL(visit.callbackUrl);
    elsewhere.port = String(port + 1);
    assert.equal((await rejection(engine.completeFromPastedUrl(elsewhere.href))).code, 'platform_rejected');

    const tokens = await engine.completeFromPastedUrl(visit.callbackUrl);
    assert.deepEqual(await started.result, tokens);
  });

  it('never writes the code, the state or the certificate key to the log', () => {
    const joined = logLines.join('\n');
    assert.ok(logLines.length > 0);
    assert.doesNotMatch(joined, /code=|state=|PRIVATE KEY/);
  });
});
