// Pinterest through the real UI in Chromium, against the real core and Pinterest's contract mock
// (test/harness/pinterestServer.ts). What a person does: Add account → Pinterest says a developer
// app is needed and leads to Settings; the app id, secret key and port are saved; Connect opens
// Pinterest's consent page in the "system browser", answered by playBrowser; the account appears.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { targetLabel } from '../../src-shared/compose/preflight';
import { smallPng } from '../fixtures/images';
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

describe('Pinterest sandbox (Chromium)', () => {
  let trial: PinterestServer;
  let trialApp: LaunchedApp;
  before(async () => {
    // A new app: Trial access, which production refuses pins from.
    trial = await startPinterestServer({ access: 'trial' });
    trialApp = await launchApp({ env: trial.env });
  });
  after(async () => {
    await trialApp?.close();
    await trial?.close();
  });

  it('with "Use Pinterest’s sandbox" ticked, the account connects and pins on the sandbox', async () => {
    const { page } = trialApp;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Pinterest' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'Pinterest developer app' }).waitFor();
    await panel.getByLabel('Client ID').fill(trial.client.clientId);
    await panel.getByLabel('Client secret').fill(trial.client.clientSecret);
    await panel.getByLabel('Redirect port').fill(String(trial.oauth.fixedRedirectPort));
    const sandbox = panel.getByRole('checkbox', { name: 'Use Pinterest’s sandbox (Trial access)' });
    assert.equal(await sandbox.isChecked(), false);
    await panel.getByText('New Pinterest apps have Trial access and may create pins only in Pinterest’s sandbox').waitFor();
    await sandbox.check();
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Saved. You can connect a Pinterest account under Accounts.').waitFor();
    await page.locator('section', { has: page.getByRole('heading', { name: 'Developer apps' }) }).screenshot({ path: '/tmp/pinterest-sandbox-switch.png' });

    await openConnectForm(page, 'Pinterest');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => trialApp.openedUrls.find((url) => url.startsWith(trial.env.LOCALPOST_PINTEREST_AUTHORIZE_URL!)), 'the consent page');
    assert.equal((await playBrowser(consentUrl, { deliver: true })).delivered?.status, 200);
    await page.getByText(/Connected as Alice .* on pinterest\.com\./).waitFor();

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const [account] = (await trialApp.core.handlers['accounts.list']({})) as Array<{ handle: string; platform: 'pinterest' }>;
    const box = page.getByRole('checkbox', { name: targetLabel(account!), exact: true });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('A sandbox pin');
    await page.getByLabel('Add image').setInputFiles({ name: 'pin.png', mimeType: 'image/png', buffer: await smallPng(120, 80) });
    await page.getByLabel('Alt text for image 1').fill('A small rectangle');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/pinterest-sandbox-published.png' });

    assert.deepEqual(trial.pins.map((pin) => [pin.host, pin.description]), [['sandbox', 'A sandbox pin']]);
    assert.deepEqual(trial.requests.filter((r) => r.host === 'production').map((r) => `${r.method} ${r.path}`), [], 'nothing went to production');
    assert.deepEqual(trial.violations, []);
  });
});
