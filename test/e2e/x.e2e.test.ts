// X through the real UI in Chromium, against the real core and the X mock (test/harness/xServer.ts:
// a real OAuth server plus X's v2 API). What a person does: Add account → X says a developer app
// is needed and leads to Settings; the Client ID, secret and port are saved and the exact redirect
// URI shown; Connect opens X's consent page in the "system browser" (openedUrls), answered in a
// second Chromium window (and elsewhere by playBrowser); the composer counts X's weighted length and what is left of the
// spending cap; Publish reaches the mock; a refused grant raises the "Account alerts" banner,
// whose Reconnect leads to a new sign-in. And the paste fallback, when the browser cannot reach
// Localpost's fixed-port listener. And a video: attached, its upload's progress shown while the
// segments go, published with its link in History.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import twitterText from 'twitter-text';
import { largeMp4, videoScratchDir } from '../fixtures/videos';
import { launchApp, type LaunchedApp, openConnectForm } from '../harness/app';
import { playBrowser } from '../harness/oauthServer';
import { startXServer, type XServer } from '../harness/xServer';
import { waitFor } from '../harness/waitFor';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

let x: XServer;
// Everything the renderer received in every test, for the secret scan at the end.
const allTraffic: string[] = [];
const pages: string[] = [];

before(async () => {
  x = await startXServer();
});
after(async () => {
  await x.close();
  // No client secret and no token ever reached the page or crossed the bridge.
  const seen = allTraffic.join('\n') + pages.join('\n');
  assert.ok(seen.length > 0);
  assert.ok(!seen.includes(x.oauth.clients.confidentialBasic.clientSecret), 'the client secret reached the renderer');
  assert.doesNotMatch(seen, /"(access|refresh)_token"|accessToken|refreshToken/);
});

async function open(): Promise<LaunchedApp> {
  const app = await launchApp({ env: x.env });
  const close = app.close;
  app.close = async () => {
    allTraffic.push(...app.bridgeTraffic);
    pages.push(await app.page.content().catch(() => ''));
    await close();
  };
  return app;
}


/** The consent page the core opened in the system browser, after `already` earlier ones. */
function consentPage(app: LaunchedApp, already: number): Promise<string> {
  return waitFor(() => app.openedUrls.filter((url) => url.startsWith(x.oauth.endpoints.authorizeUrl))[already], 'the consent page');
}

/** Settings → X developer app: the confidential test client, on the port it is registered for. */
async function saveDeveloperApp(page: Page) {
  const { clientId, clientSecret } = x.oauth.clients.confidentialBasic;
  await page.getByLabel('Client ID').fill(clientId);
  await page.getByLabel('Client secret').fill(clientSecret);
  await page.getByLabel('Redirect port').fill(String(x.oauth.fixedRedirectPort));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved. You can connect an X account under Accounts.').waitFor();
}

describe('X (Chromium)', () => {
  describe('one user, from an empty app to a refused grant', () => {
    let app: LaunchedApp;
    let page: Page;
    // Written as "Hello X 👋 " then a 75-character URL: twitter-text counts 8 + 2 (emoji) + 1 + 23 (any URL).
    const text = 'Hello X 👋 https://example.com/a/very/long/path/that/still/counts/as/twenty/three';

    before(async () => {
      app = await open();
      page = app.page;
    });
    after(() => app.close());

    it('asks for the developer app first, and saves it in Settings with the exact redirect URI', async () => {
      await openConnectForm(page, 'X');
      await page.getByText('X bills every post to the developer app that makes it').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
      await shoot(page, 'x-developer-app-needed');

      await page.getByRole('button', { name: 'Set up your X developer app' }).click();
      const heading = page.getByRole('heading', { name: 'X developer app' });
      await heading.waitFor();
      // The user lands on the section, with focus on its heading.
      assert.equal(await page.locator(':focus').textContent(), 'X developer app');
      await page.getByText('X bills every post to the developer app that sends it').waitFor();

      const { clientId, clientSecret } = x.oauth.clients.confidentialBasic;
      const port = x.oauth.fixedRedirectPort;
      await page.getByLabel('Client ID').fill(clientId);
      await page.getByLabel('Client secret').fill(clientSecret);
      await page.getByLabel('Redirect port').fill(String(port));
      // The URI follows the port as it is typed: the one to register with X, character for character.
      const redirectUri = page.getByLabel('Redirect URI');
      assert.equal(await redirectUri.inputValue(), `http://127.0.0.1:${port}/callback`);
      assert.equal(await redirectUri.getAttribute('readonly'), '');
      const developerApps = page.getByRole('region', { name: 'Developer apps' });
      await developerApps.getByRole('button', { name: 'Copy', exact: true }).click();
      // Copied, or (a browser that refuses the clipboard) left selected to copy by hand.
      await developerApps.getByText(/^Copied$|could not reach the clipboard/).waitFor();

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved. You can connect an X account under Accounts.').waitFor();
      // The secret is saved, said so, and not shown: the field is empty again.
      await page.getByText('A client secret is saved.').waitFor();
      assert.equal(await page.getByLabel('Client secret').inputValue(), '');
      assert.equal(await page.getByRole('button', { name: 'Remove saved secret' }).count(), 1);
      await shoot(page, 'x-developer-app-saved');
      assert.ok(!(await page.content()).includes(clientSecret));
    });

    it('connects through the browser sign-in and sets the spending cap', async () => {
      await openConnectForm(page, 'X');
      await page.getByText(x.oauth.clients.confidentialBasic.clientId, { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText('Finish signing in in your browser…').waitFor();
      await shoot(page, 'x-waiting-for-browser');

      const consentUrl = new URL(await consentPage(app, 0));
      assert.equal(consentUrl.searchParams.get('client_id'), x.oauth.clients.confidentialBasic.clientId);
      assert.equal(consentUrl.searchParams.get('redirect_uri'), `http://127.0.0.1:${x.oauth.fixedRedirectPort}/callback`);
      // The consent page in a separate browser window, as the system browser would show it: Allow, and
      // the browser itself follows X's redirect to Localpost's loopback listener.
      const systemBrowser = await page.context().browser()!.newContext();
      const browserTab = await systemBrowser.newPage();
      await browserTab.goto(consentUrl.href);
      await browserTab.getByRole('heading', { name: 'Authorize Localpost?' }).waitFor();
      await shoot(browserTab, 'x-consent-in-browser');
      await browserTab.getByRole('button', { name: 'Allow' }).click();
      await browserTab.waitForURL((url) => url.origin === `http://127.0.0.1:${x.oauth.fixedRedirectPort}` && url.pathname === '/callback');
      await browserTab.getByText(/you can close this/i).first().waitFor();
      await systemBrowser.close();

      await page.getByText('Connected as Alice (@alice) on x.com.').waitFor();
      const card = page.locator('.account-card', { hasText: '@alice' });
      await card.getByText('connected', { exact: true }).waitFor();
      await card.getByText('50 of 50 posts left in 30 days').waitFor();

      await card.getByLabel('Posts per 30 days').fill('20');
      await card.getByRole('button', { name: 'Save', exact: true }).click();
      await card.getByText('20 of 20 posts left in 30 days').waitFor();
      await shoot(page, 'x-connected');
    });

    it('counts the weighted length, shows the cap left, and publishes', async () => {
      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const box = page.getByRole('checkbox', { name: '@alice', exact: true });
      if (!(await box.isChecked())) await box.check();
      await page.getByLabel('Post text').fill(text);
      const weighted = twitterText.parseTweet(text).weightedLength;
      assert.equal(weighted, 34);
      const row = page.locator('.target', { hasText: '@alice' });
      await row.getByText(`${weighted} / 280`).waitFor();
      await row.getByText('20 of 20 posts left in 30 days').waitFor();
      // No content warning or visibility for X: those are Mastodon's.
      assert.equal(await page.getByLabel('Content warning').count(), 0);

      // Past 280 weighted characters the counter says so and Publish waits.
      await page.getByLabel('Post text').fill(`${text} ${'界'.repeat(124)}`);
      await row.getByText('283 / 280').waitFor();
      await row.getByText('length.max', { exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
      await page.getByLabel('Post text').fill(text);
      await row.getByText(`${weighted} / 280`).waitFor();
      await page.getByText('Saved', { exact: true }).waitFor();
      await shoot(page, 'x-composer');

      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByText('published', { exact: true }).waitFor();
      await shoot(page, 'x-published');
      assert.equal(x.tweets.length, 1);
      assert.equal(x.tweets[0]!.text, text);
      // The post counts against the cap.
      await page.getByRole('checkbox', { name: '@alice', exact: true }).check();
      await page.locator('.target', { hasText: '@alice' }).getByText('19 of 20 posts left in 30 days').waitFor();
    });

    it('raises the account alert when X refuses the grant, and Reconnect signs in again', async () => {
      // X stops accepting the sign-in: the access token is refused and so is the refresh token.
      const unauthorized = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
      x.injectFault('/2/users/me', { status: 401, body: unauthorized });
      x.oauth.injectFault('token', {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Value passed for the token was invalid.' },
      });

      await page.getByRole('button', { name: 'Accounts', exact: true }).click();
      await page.locator('.account-card', { hasText: '@alice' }).getByRole('button', { name: 'Check connection' }).click();
      const alerts = page.getByRole('region', { name: 'Account alerts' });
      await alerts.getByText('@alice needs to be reconnected').waitFor();
      await alerts.getByText('Value passed for the token was invalid.').waitFor();
      // The account list was refreshed: its card says so too.
      await page.locator('.account-card', { hasText: '@alice' }).getByText('needs_reauth', { exact: true }).waitFor();
      await shoot(page, 'x-account-alert');

      // The banner stays on every screen until it is answered.
      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      await alerts.getByText('@alice needs to be reconnected').waitFor();
      await alerts.getByRole('button', { name: 'Reconnect' }).click();
      await page.getByRole('heading', { name: 'Reconnect X' }).waitFor();

      const before = app.openedUrls.filter((url) => url.startsWith(x.oauth.endpoints.authorizeUrl)).length;
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const visit = await playBrowser(await consentPage(app, before));
      assert.equal(visit.delivered?.status, 200);
      await page.getByText('@alice is reconnected.').waitFor();
      await page.locator('.account-card', { hasText: '@alice' }).getByText('connected', { exact: true }).waitFor();
      assert.equal(await alerts.count(), 0);
    });
  });

  it('finishes the sign-in with the address pasted from the browser; a spent cap holds Publish back', async () => {
    const app = await open();
    const { page } = app;
    try {
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Set up your X developer app' }).click();
      await saveDeveloperApp(page);
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText('Finish signing in in your browser…').waitFor();

      // The user allows access, but the browser never reaches the listener on the fixed port.
      const visit = await playBrowser(await consentPage(app, 0), { deliver: false });
      assert.equal(visit.delivered, undefined);
      assert.ok(visit.callbackUrl.startsWith(`http://127.0.0.1:${x.oauth.fixedRedirectPort}/callback?`));

      await page.getByRole('button', { name: 'Browser did not come back to Localpost?' }).click();
      // With the `#_` Instagram appends to its redirects: the paste form takes it the same way.
      await page.getByLabel('Address from the browser').fill(`${visit.callbackUrl}#_`);
      await shoot(page, 'x-paste-fallback');
      await page.getByRole('button', { name: 'Finish sign-in' }).click();
      await page.getByText('Connected as Alice (@alice) on x.com.').waitFor();
      await page.locator('.account-card', { hasText: '@alice' }).getByText('connected', { exact: true }).waitFor();
      const code = new URL(visit.callbackUrl).searchParams.get('code')!;
      assert.ok(!(app.bridgeTraffic.join('\n') + (await page.content())).includes(code));

      // A cap of 0 stops every post to the account: the composer says why, next to it.
      const card = page.locator('.account-card', { hasText: '@alice' });
      await card.getByLabel('Posts per 30 days').fill('0');
      await card.getByRole('button', { name: 'Save', exact: true }).click();
      await card.getByText('0 of 0 posts left in 30 days').waitFor();
      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const box = page.getByRole('checkbox', { name: '@alice', exact: true });
      if (!(await box.isChecked())) await box.check();
      await page.getByLabel('Post text').fill('Not this month');
      const row = page.locator('.target', { hasText: '@alice' });
      await row.getByText('x.spending_cap', { exact: true }).waitFor();
      await row.getByText('0 of 0 posts left in 30 days').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
      await shoot(page, 'x-spending-cap-spent');
    } finally {
      await app.close();
    }
  });

  it('leads to Settings when the developer app is removed before Connect', async () => {
    const app = await open();
    const { page } = app;
    try {
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Set up your X developer app' }).click();
      await saveDeveloperApp(page);
      await openConnectForm(page, 'X');
      // Meanwhile the Client ID is cleared (another window, say): Connect answers developer_app_missing.
      const { clientId } = x.oauth.clients.confidentialBasic;
      await page.getByText(clientId, { exact: true }).waitFor();
      const cleared = { platform: 'x', clientId: '', redirectPort: x.oauth.fixedRedirectPort };
      const saved = await app.core.dispatch('developerApps.save', cleared, page.url());
      assert.equal((saved as { ok: boolean }).ok, true);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('alert').getByText('developer_app_missing').waitFor();
      await shoot(page, 'x-developer-app-missing');
      await page.getByRole('button', { name: 'Set up your X developer app' }).click();
      await page.getByRole('heading', { name: 'X developer app' }).waitFor();
      assert.equal(await page.getByLabel('Client ID').inputValue(), '');
    } finally {
      await app.close();
    }
  });
  it('publishes a video: the upload\u2019s progress in the publish result, then the post and its link in History', async () => {
    const app = await open();
    const { page } = app;
    const scratch = videoScratchDir();
    try {
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Set up your X developer app' }).click();
      await saveDeveloperApp(page);
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText('Finish signing in in your browser…').waitFor();
      await playBrowser(await consentPage(app, 0));
      await page.getByText('Connected as Alice (@alice) on x.com.').waitFor();

      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const box = page.getByRole('checkbox', { name: '@alice', exact: true });
      if (!(await box.isChecked())) await box.check();
      await page.getByLabel('Post text').fill('Our launch clip, on X');
      const file = largeMp4(scratch, 9 * 1024 * 1024, 'launch.mp4');
      app.answerFileDialog(file);
      await page.getByRole('button', { name: 'Add video' }).click();
      await page.getByRole('figure', { name: 'Video' }).waitFor();
      await page.getByText('Saved', { exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false, 'X takes it');

      // X reads the segments slowly, so the upload lasts a few seconds and can be watched; then
      // processes the video for one STATUS check.
      x.throttleAppends(1024 * 1024);
      x.setVideoProcessing({ pollsBeforeDone: 1, checkAfterSecs: 1 });
      const uploadsBefore = x.videoUploads.length;
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByRole('progressbar', { name: 'Upload progress' }).first().waitFor();
      const words = result.getByText(/^\d+(\.\d)? MB of 9 MB$/).first();
      await words.waitFor();
      const first = await words.innerText();
      for (let i = 0; i < 50 && (await words.innerText().catch(() => first)) === first; i++) await page.waitForTimeout(100);
      assert.notEqual(await words.innerText().catch(() => 'gone'), first, 'progress moves while the segments go');
      await shoot(page, 'x-video-uploading');
      await result.getByText('published', { exact: true }).waitFor({ timeout: 60_000 });
      x.throttleAppends(null);

      const [upload] = x.videoUploads.slice(uploadsBefore);
      assert.deepEqual(upload!.appends.map((a) => a.segment), [0, 1, 2]);
      assert.equal(upload!.sha256, crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
      const tweet = x.tweets.at(-1)!;
      assert.deepEqual({ text: tweet.text, mediaIds: tweet.mediaIds }, { text: 'Our launch clip, on X', mediaIds: [upload!.id] });
      assert.deepEqual(x.violations, []);

      await page.getByRole('button', { name: 'History', exact: true }).click();
      const history = page.locator('.history-post').filter({ hasText: 'Our launch clip, on X' });
      await history.getByText('published', { exact: true }).waitFor();
      const link = history.getByRole('link', { name: /View post/ });
      assert.equal(await link.getAttribute('href'), `https://x.com/alice/status/${tweet.id}`);
      await shoot(page, 'x-video-published');
    } finally {
      x.throttleAppends(null);
      await app.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
