// Pinterest through the real UI in Chromium, against the real core and Pinterest's contract mock
// (test/harness/pinterestServer.ts). What a person does: Add account → Pinterest says a developer
// app is needed and leads to Settings; the app id, secret key and port are saved; Connect opens
// Pinterest's consent page in the "system browser", answered by playBrowser; the account appears.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { playBrowser } from '../harness/oauthServer';
import { startPinterestServer, type PinterestServer } from '../harness/pinterestServer';
import { waitFor } from '../harness/waitFor';

let pinterest: PinterestServer;
let app: LaunchedApp;
before(async () => {
  pinterest = await startPinterestServer();
  app = await launchApp({ env: pinterest.env });
});
after(async () => {
  await app?.close();
  await pinterest?.close();
});

describe('Pinterest (Chromium)', () => {
  it('asks for the developer app, saves it in Settings, then connects through the browser', async () => {
    const { page } = app;
    await openConnectForm(page, 'Pinterest');
    await page.getByText('Pinterest gives API access to each developer app').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Set up your Pinterest developer app' }).click();
    await page.getByRole('heading', { name: 'Pinterest developer app' }).waitFor();

    await page.getByLabel('Client ID').fill(pinterest.client.clientId);
    await page.getByLabel('Client secret').fill(pinterest.client.clientSecret);
    await page.getByLabel('Redirect port').fill(String(pinterest.oauth.fixedRedirectPort));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a Pinterest account under Accounts.').waitFor();

    await openConnectForm(page, 'Pinterest');
    await page.getByText(pinterest.client.clientId, { exact: true }).waitFor();
    await page.getByText('Pins go to your first board on Pinterest.').waitFor();
    await page.screenshot({ path: '/tmp/pinterest-connect.png' });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(pinterest.env.LOCALPOST_PINTEREST_AUTHORIZE_URL!)), 'the consent page');
    const visit = await playBrowser(consentUrl, { deliver: true });
    assert.equal(visit.delivered?.status, 200);
    await page.getByText(/Connected as Alice .* on pinterest\.com\./).waitFor();
    await page.screenshot({ path: '/tmp/pinterest-connected.png' });
    assert.ok(!(await page.content()).includes(pinterest.client.clientSecret));
    assert.deepEqual(pinterest.violations, []);
  });
});
