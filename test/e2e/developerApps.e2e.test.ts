// Settings → Developer apps through the real UI in Chromium, against the real core: one tab per
// platform that needs the user's own app, each the same form drawn from its spec.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { developerAppSpecs } from '../../src-shared/developerApps';
import { launchApp, type LaunchedApp } from '../harness/app';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';

describe('Developer apps (Chromium)', () => {
  let app: LaunchedApp;
  let page: Page;
  before(async () => {
    app = await launchApp();
    page = app.page;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Developer apps' }).waitFor();
  });
  after(() => app.close());
  const shoot = (name: string) => page.locator('section', { has: page.getByRole('heading', { name: 'Developer apps' }) }).screenshot({ path: `/tmp/${name}.png` });

  it('shows one tab per platform, X first, and the arrow keys move between them', async () => {
    const tabs = page.getByRole('tab');
    assert.deepEqual(await tabs.allTextContents(), ['X', 'LinkedIn', 'Pinterest', 'TikTok', 'YouTube', 'Threads', 'Facebook', 'Instagram']);
    assert.equal(await page.getByRole('tab', { name: 'X' }).getAttribute('aria-selected'), 'true');
    await page.getByRole('heading', { name: 'X developer app' }).waitFor();
    await shoot('devapps-x');

    await page.getByRole('tab', { name: 'X' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'LinkedIn developer app' }).waitFor();
    assert.equal(await page.locator(':focus').textContent(), 'LinkedIn');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('heading', { name: 'Instagram developer app' }).waitFor();
  });

  it("draws LinkedIn's form from its spec, and saves its app ready to connect", async () => {
    const spec = developerAppSpecs.linkedin;
    await page.getByRole('tab', { name: 'LinkedIn' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'LinkedIn developer app' }).waitFor();
    assert.equal(await panel.getByRole('link', { name: spec.portal.name }).getAttribute('href'), spec.portal.url);
    for (const product of spec.products) await panel.locator('strong', { hasText: product }).waitFor();
    assert.deepEqual(await panel.locator('.panel-intro code').allTextContents(), [...spec.scopes]);
    await panel.getByText('Required: LinkedIn asks for it with every sign-in.').waitFor();

    // The URI follows the port as typed.
    await panel.getByLabel('Redirect port').fill('50123');
    assert.equal(await panel.getByLabel('Redirect URI').inputValue(), 'http://127.0.0.1:50123/callback');
    await panel.getByText('Register this address as the Authorized redirect URL of your LinkedIn app. Save to use the new port.').waitFor();

    // A Client ID without its secret is refused, with what to do.
    await panel.getByLabel('Client ID').fill('li-client-id');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByRole('alert').getByText("LinkedIn needs your app's Client secret as well as its Client ID.").waitFor();

    const secret = 'linkedin-secret-in-the-page-0123456789';
    await panel.getByLabel('Client secret').fill(secret);
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Saved. You can connect a LinkedIn account under Accounts.').waitFor();
    await panel.getByText('A client secret is saved.').waitFor();
    assert.equal(await panel.getByLabel('Client secret').inputValue(), '');
    await shoot('devapps-linkedin');

    // X's app is a separate one: untouched.
    await page.getByRole('tab', { name: 'X' }).click();
    await page.getByRole('heading', { name: 'X developer app' }).waitFor();
    await page.getByLabel('Client ID').waitFor();
    assert.equal(await page.getByLabel('Client ID').inputValue(), '');
    assert.equal(await page.getByRole('button', { name: 'Remove saved secret' }).count(), 0);

    assert.ok(!(app.bridgeTraffic.join('\n') + (await page.content())).includes(secret), 'the secret reached the renderer');
  });
});

describe('Developer apps: Test these credentials (Chromium)', () => {
  let linkedin: LinkedInServer;
  let app: LaunchedApp;
  before(async () => {
    linkedin = await startLinkedInServer();
    app = await launchApp({ env: linkedin.env });
  });
  after(async () => {
    await app?.close();
    await linkedin?.close();
  });

  it('asks LinkedIn about the Client ID and secret as typed: a wrong secret is refused with what to do, the right one accepted', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'LinkedIn' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'LinkedIn developer app' }).waitFor();
    const test = panel.getByRole('button', { name: 'Test these credentials' });
    assert.equal(await test.isDisabled(), true, 'nothing to test before an id and a secret are typed');

    await panel.getByLabel('Client ID').fill(linkedin.client.clientId);
    await panel.getByLabel('Client secret').fill('a-wrong-secret-0123456789');
    await panel.getByLabel('Redirect port').fill(String(linkedin.oauth.fixedRedirectPort));
    const requests = linkedin.oauth.tokenRequestCount();
    await test.click();
    const alert = panel.getByRole('alert');
    await alert.getByText('LinkedIn did not accept this Client ID and secret.', { exact: false }).waitFor();
    await alert.getByText('developer_app_rejected').waitFor();
    await alert.getByText(/Copy both again from your app's Auth tab in the LinkedIn Developer Portal/).waitFor();
    await page.locator('section', { has: page.getByRole('heading', { name: 'Developer apps' }) }).screenshot({ path: '/tmp/devapps-test-rejected.png' });

    // Typing again clears the answer, which spoke of the old secret.
    await panel.getByLabel('Client secret').fill(linkedin.client.clientSecret);
    assert.equal(await panel.getByRole('alert').count(), 0);
    await test.click();
    await panel.getByRole('status').getByText('LinkedIn accepted this Client ID and secret. The redirect URI is checked when you connect.').waitFor();
    await page.locator('section', { has: page.getByRole('heading', { name: 'Developer apps' }) }).screenshot({ path: '/tmp/devapps-test-accepted.png' });
    assert.equal(linkedin.oauth.tokenRequestCount(), requests + 2, 'one request to the token endpoint per click');

    // Testing saved nothing.
    assert.equal((await app.core.handlers['developerApps.get']({ platform: 'linkedin' })).clientId, null);
    assert.ok(!app.bridgeTraffic.join('\n').includes(linkedin.client.clientSecret), 'the secret came back over the bridge');
  });

  it("does not offer the test for X's Native App, a public client: its Client ID alone proves nothing until it connects", async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'X' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'X developer app' }).waitFor();
    await panel.getByLabel('Client ID').fill('x-native-client-id');
    await panel.getByText('An app without a Client secret is checked when you connect.').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Test these credentials' }).isDisabled(), true);
    await panel.getByLabel('Client secret').fill('x-web-app-secret-0123456789');
    assert.equal(await panel.getByRole('button', { name: 'Test these credentials' }).isDisabled(), false);
    await page.locator('section', { has: page.getByRole('heading', { name: 'Developer apps' }) }).screenshot({ path: '/tmp/devapps-test-x.png' });
  });
});
