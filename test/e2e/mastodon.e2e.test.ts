// Mastodon through the real UI in Chromium: Add account → Mastodon → Instance → Connect; the
// consent page the core opened in the "system browser" (openedUrls) is answered like a user would
// (playBrowser against the real OAuth server), the loopback callback lands, the account shows
// `connected`; the composer counts against the instance's own limit; publishing reaches the mock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchApp } from '../harness/app';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let instance: MastodonServer;
before(async () => {
  instance = await startMastodonServer();
});
after(() => instance.close());

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('Mastodon (Chromium)', () => {
  it('connects through the browser sign-in, counts against the instance limit and publishes', async () => {
    const app = await launchApp({ env: instance.env });
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'Accounts', exact: true }).click();
      await page.getByRole('button', { name: 'Add account' }).click();
      await page.getByRole('button', { name: 'Mastodon', exact: true }).click();
      await page.getByLabel('Instance', { exact: true }).fill('@alice@social.example');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();

      // While the browser sign-in is open, the form says so.
      await page.getByText('Finish signing in in your browser…').waitFor();
      const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(instance.oauth.endpoints.authorizeUrl)), 'the consent page');
      const visit = await playBrowser(consentUrl);
      assert.equal(visit.delivered?.status, 200);

      await page.getByText('@alice@social.example is connected.').waitFor();
      const card = page.locator('.account-card', { hasText: '@alice@social.example' });
      await card.getByText('connected', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-connected.png'), fullPage: true });

      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const box = page.getByRole('checkbox', { name: '@alice@social.example', exact: true });
      if (!(await box.isChecked())) await box.check();
      // The instance allows 1000 characters; a URL counts 23 whatever its length.
      await page.getByLabel('Post text').fill('Hello from Localpost https://example.com/a/very/long/path/that/counts/as/twenty/three');
      await page.getByText('44 / 1000').waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-composer.png'), fullPage: true });

      const before = instance.statuses.length;
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      await result.getByText('published', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'mastodon-published.png'), fullPage: true });
      assert.equal(instance.statuses.length, before + 1);
      assert.match(instance.statuses.at(-1)!.status, /^Hello from Localpost/);

      // No token or client secret reached the page.
      const seen = app.bridgeTraffic.join('\n') + (await page.content());
      for (const registered of instance.apps) assert.ok(!seen.includes(registered.clientSecret));
    } finally {
      await app.close();
    }
  });
});
