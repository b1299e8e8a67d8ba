// LinkedIn through the real UI in Chromium, against the real core and the LinkedIn mock
// (test/harness/linkedinServer.ts: a real OAuth server configured like LinkedIn's standard flow,
// plus the member API). What a person does: Add account → LinkedIn says a developer app is needed
// and leads to Settings; the Client ID, secret and port are saved; Connect opens LinkedIn's
// consent page in the "system browser", answered in a second Chromium window; the composer counts
// to 3,000; Publish reaches the mock with the text exactly as typed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchApp, type LaunchedApp, openConnectForm } from '../harness/app';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { waitFor } from '../harness/waitFor';

describe('LinkedIn (Chromium)', () => {
  let linkedin: LinkedInServer;
  let app: LaunchedApp;
  let page: Page;
  const text = 'Hello LinkedIn (from Localpost) #launch @team [v1] *bold* _under_ ~tilde~ a|b {x} <y> back\\slash';

  before(async () => {
    linkedin = await startLinkedInServer();
    app = await launchApp({ env: linkedin.env });
    page = app.page;
  });
  after(async () => {
    const seen = app.bridgeTraffic.join('\n') + (await page.content().catch(() => ''));
    await app.close();
    await linkedin.close();
    assert.ok(!seen.includes(linkedin.client.clientSecret), 'the client secret reached the renderer');
    assert.doesNotMatch(seen, /"(access|refresh)_token"|accessToken|refreshToken/);
  });

  it('asks for the developer app first, and saves it in Settings', async () => {
    await openConnectForm(page, 'LinkedIn');
    await page.getByText('LinkedIn lets an app post for you only once it has the Share on LinkedIn product').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.screenshot({ path: '/tmp/linkedin-developer-app-needed.png' });

    await page.getByRole('button', { name: 'Set up your LinkedIn developer app' }).click();
    await page.getByRole('heading', { name: 'LinkedIn developer app' }).waitFor();
    await page.getByLabel('Client ID').fill(linkedin.client.clientId);
    await page.getByLabel('Client secret').fill(linkedin.client.clientSecret);
    await page.getByLabel('Redirect port').fill(String(linkedin.oauth.fixedRedirectPort));
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), linkedin.client.redirectUri);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a LinkedIn account under Accounts.').waitFor();
  });

  it('connects through the browser sign-in', async () => {
    await openConnectForm(page, 'LinkedIn');
    await page.getByText(linkedin.client.clientId, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('Finish signing in in your browser…').waitFor();

    const consentUrl = new URL(await waitFor(() => app.openedUrls.find((url) => url.startsWith(linkedin.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!)), 'the consent page'));
    assert.equal(consentUrl.searchParams.get('redirect_uri'), linkedin.client.redirectUri);
    assert.equal(consentUrl.searchParams.get('code_challenge'), null);
    const systemBrowser = await page.context().browser()!.newContext();
    const browserTab = await systemBrowser.newPage();
    await browserTab.goto(consentUrl.href);
    await browserTab.getByRole('heading', { name: 'Authorize Localpost?' }).waitFor();
    await browserTab.getByRole('button', { name: 'Allow' }).click();
    await browserTab.waitForURL((url) => url.origin === `http://127.0.0.1:${linkedin.oauth.fixedRedirectPort}` && url.pathname === '/callback');
    await systemBrowser.close();

    const card = page.locator('.account-card', { hasText: 'Alice Example' });
    await card.getByText('connected', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-connected.png' });
  });

  it('counts to 3,000 and publishes the text exactly as typed', async () => {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.getByRole('checkbox', { name: 'Alice Example' });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill(text);
    const row = page.locator('.target', { hasText: 'Alice Example' });
    await row.getByText(`${text.length} / 3000`).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-composer.png' });

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).waitFor();
    assert.equal(linkedin.posts.length, 1);
    assert.equal(linkedin.posts[0]!.commentary, text);
    assert.equal(linkedin.posts[0]!.truncated, false);
  });
});
