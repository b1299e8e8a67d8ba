// Mastodon through the real UI in Chromium: Add account → Mastodon → Instance → Connect; the
// consent page the core opened in the "system browser" (openedUrls) is answered like a user would
// (playBrowser against the real OAuth server), the loopback callback lands, the account shows
// `connected`; the composer counts against the instance's own limit, the content warning included;
// publishing reaches the mock with the warning and visibility chosen. And when the browser cannot
// reach Localpost, pasting the address it landed on finishes the sign-in. The account that came
// back is named with an Undo, which disconnects it and revokes its new token.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectAnyway, launchApp, openConnectForm } from '../harness/app';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let instance: MastodonServer;
before(async () => {
  instance = await startMastodonServer();
});
after(() => instance.close());


describe('Mastodon (Chromium)', () => {
  it('connects through the browser sign-in, counts against the instance limit and publishes', async () => {
    const app = await launchApp({ env: instance.env });
    const { page } = app;
    const appsBefore = instance.apps.length;
    try {
      await openConnectForm(page, 'Mastodon');
      await page.getByLabel('Instance', { exact: true }).fill('@alice@social.example');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();

      // The mock instance runs on 127.0.0.1: before anything is sent there, the form asks.
      const question = page.getByRole('alert').filter({ hasText: 'Connect only if you run this server yourself.' });
      await question.getByText(/^127\.0\.0\.1 is an address on this computer\./).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'connect-anyway.png'), fullPage: true });
      assert.equal(instance.apps.length, appsBefore, 'nothing registered before the yes');
      assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0, 'the question replaces Connect');
      // Cancel goes back to the form, with the instance still typed; Connect asks again.
      await question.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await page.getByLabel('Instance', { exact: true }).inputValue(), '@alice@social.example');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await connectAnyway(page);

      // While the browser sign-in is open, the form says so.
      await page.getByText('Finish signing in in your browser…').waitFor();
      const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(instance.oauth.endpoints.authorizeUrl)), 'the consent page');
      const visit = await playBrowser(consentUrl);
      assert.equal(visit.delivered?.status, 200);

      await page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();
      const card = page.locator('.account-card', { hasText: '@alice@social.example' });
      await card.getByText('connected', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-connected.png'), fullPage: true });

      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const box = page.getByRole('checkbox', { name: '@alice@social.example', exact: true });
      if (!(await box.isChecked())) await box.check();
      // The instance allows 1000 characters; a URL counts 23 whatever its length.
      await page.getByLabel('Post text').fill('Hello from Localpost https://example.com/a/very/long/path/that/counts/as/twenty/three');
      const counter = page.locator('.target', { hasText: '@alice@social.example' }).locator('.counter');
      await page.getByText('44 / 1000').waitFor();
      // The content warning counts against the same limit (13 more), and goes with the draft.
      await page.getByLabel('Content warning').fill('Film spoilers');
      await page.getByText('57 / 1000').waitFor();
      assert.equal(await counter.textContent(), '57 / 1000');
      await page.getByLabel('Visibility').selectOption({ label: 'Unlisted' });
      await page.getByText('Everyone, but not on public timelines.').waitFor();
      await page.getByText('Saved', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-composer.png'), fullPage: true });

      const before = instance.statuses.length;
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByText('published', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-published.png'), fullPage: true });
      assert.equal(instance.statuses.length, before + 1);
      const status = instance.statuses.at(-1)!;
      assert.match(status.status, /^Hello from Localpost/);
      assert.equal(status.spoilerText, 'Film spoilers');
      assert.equal(status.visibility, 'unlisted');

      // The next draft starts without them: they belonged to the post just published.
      await page.getByText('0 / 1000').waitFor();
      assert.equal(await page.getByLabel('Content warning').inputValue(), '');
      assert.equal(await page.getByLabel('Visibility').inputValue(), 'public');

      // No token or client secret reached the page.
      const seen = app.bridgeTraffic.join('\n') + (await page.content());
      for (const registered of instance.apps) assert.ok(!seen.includes(registered.clientSecret));
    } finally {
      await app.close();
    }
  });

  it('names the account a browser sign-in brought back, and Undo disconnects it and revokes its token', async () => {
    const app = await launchApp({ env: instance.env });
    const { page } = app;
    try {
      await openConnectForm(page, 'Mastodon');
      await page.getByLabel('Instance', { exact: true }).fill('social.example');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await connectAnyway(page);
      const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(instance.oauth.endpoints.authorizeUrl)), 'the consent page');
      await playBrowser(consentUrl);

      const notice = page.getByRole('status').filter({ hasText: 'Connected as' });
      await notice.waitFor();
      assert.equal(
        (await notice.textContent())?.replace(/\s+/g, ' ').trim(),
        'Connected as Alice (@alice@social.example) on social.example. Not you?Undo',
      );
      await page.locator('.account-card', { hasText: '@alice@social.example' }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-connected-as.png'), fullPage: true });

      const revocations = instance.oauth.revocationRequestCount();
      await notice.getByRole('button', { name: 'Undo' }).click();
      await page.getByText('@alice@social.example is disconnected, and the sign-in Localpost was just given is revoked on social.example.').waitFor();
      await page.getByText('No accounts yet').waitFor();
      assert.equal(await page.locator('.account-card').count(), 0);
      assert.equal(instance.oauth.revocationRequestCount(), revocations + 1);
      await page.screenshot({ path: path.join(screenshots, 'mastodon-connected-as-undone.png'), fullPage: true });
    } finally {
      await app.close();
    }
  });

  it('finishes the sign-in with the address pasted from the browser when the redirect cannot come back', async () => {
    const app = await launchApp({ env: instance.env });
    const { page } = app;
    try {
      await openConnectForm(page, 'Mastodon');
      await page.getByLabel('Instance', { exact: true }).fill('social.example');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await connectAnyway(page);
      await page.getByText('Finish signing in in your browser…').waitFor();

      // The user allows access, but the browser never reaches Localpost's listener.
      const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(instance.oauth.endpoints.authorizeUrl)), 'the consent page');
      const visit = await playBrowser(consentUrl, { deliver: false });
      assert.equal(visit.delivered, undefined);
      assert.match(visit.callbackUrl, /[?&]code=/);

      await page.getByRole('button', { name: 'Browser did not come back to Localpost?' }).click();
      const address = page.getByLabel('Address from the browser');
      // Something else first: the error says so, and the sign-in keeps waiting.
      await address.fill('https://social.example/some/other/page');
      await page.getByRole('button', { name: 'Finish sign-in' }).click();
      const refused = page.getByRole('alert');
      await refused.waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-paste-fallback.png'), fullPage: true });
      assert.ok((await refused.locator('.alert-code').textContent())?.length);
      await page.getByText('Finish signing in in your browser…').waitFor();

      await address.fill(visit.callbackUrl);
      await page.getByRole('button', { name: 'Finish sign-in' }).click();
      await page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();
      await page.locator('.account-card', { hasText: '@alice@social.example' }).getByText('connected', { exact: true }).waitFor();

      const seen = app.bridgeTraffic.join('\n') + (await page.content());
      for (const registered of instance.apps) assert.ok(!seen.includes(registered.clientSecret));
      // The one-time code went into one call and is not shown or echoed back.
      const code = new URL(visit.callbackUrl).searchParams.get('code')!;
      assert.ok(!seen.includes(code));
    } finally {
      await app.close();
    }
  });
});
