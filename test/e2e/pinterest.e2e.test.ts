// Pinterest through the real UI in Chromium, against the real core and Pinterest's contract mock
// (test/harness/pinterestServer.ts). What a person does: Add account → Pinterest says a developer
// app is needed and leads to Settings; the app id, secret key and port are saved; Connect opens
// Pinterest's consent page in the "system browser", answered by playBrowser; the account appears.
// Then a pin: an image with alt text, the board picker (the first board until another is chosen,
// a new board made from the composer), a title with its counter, a link; Publish; History links
// to the pin. Then a video pin: the video attached, its upload's progress shown, History links to it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { targetLabel } from '../../src-shared/compose/preflight';
import { smallPng } from '../fixtures/images';
import { fiveSecondMp4 } from '../fixtures/videos';
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
    await page.getByText('Choose the board for each pin in the composer, or make a new one there.').waitFor();
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

  it('pins an image to a board made in the composer, with title, link and alt text; History links to the pin', async () => {
    const { page } = app;
    pinterest.addBoard('production', 'Weeknight dinners');
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    // The Pinterest account is the only one here.
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Pumpkin soup in twenty minutes');

    // The board picker shows the account's boards, the first chosen until the user picks another.
    const board = page.getByLabel('Board', { exact: true });
    await page.getByRole('option', { name: 'Weeknight dinners' }).waitFor({ state: 'attached' });
    assert.equal(await board.inputValue(), pinterest.boards.find((b) => b.host === 'production')!.id);
    // A pin needs an image: preflight says so until one is added.
    await page.getByText('media.required').first().waitFor();
    const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-pin-')), 'soup.png');
    fs.writeFileSync(png, await smallPng(400, 600));
    await page.getByLabel('Add image').setInputFiles(png);
    await page.getByLabel('Alt text for image 1').fill('A bowl of orange soup');

    // A board made on pinterest.com since the list was kept shows after Refresh.
    pinterest.addBoard('production', 'Made on the website');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByRole('option', { name: 'Made on the website' }).waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'New board', exact: true }).click();
    await page.getByLabel('New board’s name').fill('Autumn soups');
    await page.getByRole('button', { name: 'Create board', exact: true }).click();
    await page.getByRole('option', { name: 'Autumn soups' }).waitFor({ state: 'attached' });
    const made = await waitFor(() => pinterest.boards.find((b) => b.name === 'Autumn soups'), 'the board at Pinterest');
    assert.equal(await board.inputValue(), made.id, 'the new board is chosen');

    const title = page.getByLabel('Title', { exact: true });
    await title.fill('x'.repeat(101));
    await page.getByText('101 / 100').waitFor();
    await page.getByText('pinterest.title_length').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await title.fill('Pumpkin soup');
    await page.getByText('12 / 100').waitFor();
    await page.getByLabel('Link', { exact: true }).fill('example.com/soup');
    await page.getByText('pinterest.link').waitFor();
    await page.getByLabel('Link', { exact: true }).fill('https://example.com/soup');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/pinterest-composer.png', fullPage: true });

    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').first().waitFor();
    const pin = pinterest.pins.at(-1)!;
    assert.deepEqual(
      { board: pin.boardId, title: pin.title, description: pin.description, link: pin.link, alt: pin.altText },
      { board: made.id, title: 'Pumpkin soup', description: 'Pumpkin soup in twenty minutes', link: 'https://example.com/soup', alt: 'A bowl of orange soup' },
    );

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('Pumpkin soup in twenty minutes').first().waitFor();
    await history.getByRole('link', { name: /View post/ }).first().click();
    await waitFor(() => app.openedUrls.find((url) => url === `https://www.pinterest.com/pin/${pin.id}/`), 'the pin opened in the browser');
    await page.screenshot({ path: '/tmp/pinterest-history.png', fullPage: true });
    assert.deepEqual(pinterest.violations, []);
  });

  it('pins a video: attached, its upload’s progress shown, then History links to the pin', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Pumpkin soup, the video');
    app.answerFileDialog(fiveSecondMp4);
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('Soup in motion');
    await page.getByText('Saved', { exact: true }).waitFor();
    // A pin needs an image or a video: with the video, nothing stands in the way.
    assert.equal(await page.getByText('media.required').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false);
    await page.screenshot({ path: '/tmp/pinterest-composer-video.png', fullPage: true });

    // S3 answers the upload after a while, so its progress can be watched.
    pinterest.setUploadDelay(2_000);
    try {
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      const bar = result.getByRole('progressbar', { name: 'Upload progress' });
      await bar.waitFor();
      const sent = Number(await bar.getAttribute('value'));
      const total = Number(await bar.getAttribute('max'));
      assert.ok(sent > 0 && sent <= total && total === fs.statSync(fiveSecondMp4).size, `${sent} of ${total}`);
      await result.getByText(/KB of 85\.2 KB$/).waitFor();
      await page.screenshot({ path: '/tmp/pinterest-video-progress.png', fullPage: true });
      await result.getByText('published').first().waitFor({ timeout: 30_000 });
    } finally {
      pinterest.setUploadDelay(0);
    }
    const pin = pinterest.pins.at(-1)!;
    const media = pinterest.media.find((m) => m.id === pin.mediaSource.mediaId);
    assert.ok(media, 'the pin names the uploaded video');
    assert.equal(media.file?.size, fs.statSync(fiveSecondMp4).size);
    assert.deepEqual({ title: pin.title, description: pin.description, source: pin.mediaSource.sourceType }, { title: 'Soup in motion', description: 'Pumpkin soup, the video', source: 'video_id' });

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const item = page.getByRole('region', { name: 'History' }).locator('.history-post', { hasText: 'Pumpkin soup, the video' });
    await item.getByText('published', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/pinterest-history-video.png', fullPage: true });
    assert.equal(await item.getByRole('link', { name: /View post/ }).getAttribute('href'), `https://www.pinterest.com/pin/${pin.id}/`);
    assert.deepEqual(pinterest.violations, []);
  });

  it('a sign-in Pinterest no longer accepts turns the account needs_reauth; Reconnect keeps the account and its history', async () => {
    const { page } = app;
    const accountsBefore = await app.core.handlers['accounts.list']({});
    const historyBefore = await app.core.handlers['history.list']({});
    // Pinterest answers a bad or revoked token with 401 `{"code":2,"message":"Authentication failed."}`;
    // Localpost refreshes once on a 401 and asks again, which is refused too.
    pinterest.injectFault('/v5/user_account', { status: 401, body: { code: 2, message: 'Authentication failed.' }, times: 2 });
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    const card = page.locator('.account-card', { hasText: 'alice' });
    await card.getByRole('button', { name: 'Check connection' }).click();
    await card.getByText('needs_reauth', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Account alerts' }).getByText('alice needs to be reconnected', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/pinterest-needs-reauth.png', fullPage: true });

    await card.getByRole('button', { name: 'Reconnect' }).click();
    await page.getByRole('heading', { name: 'Reconnect Pinterest' }).waitFor();
    const opened = app.openedUrls.length;
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.slice(opened).find((url) => url.startsWith(pinterest.env.LOCALPOST_PINTEREST_AUTHORIZE_URL!)), 'the consent page');
    await playBrowser(consentUrl, { deliver: true });
    await card.getByText('connected', { exact: true }).waitFor();
    const accountsAfter = await app.core.handlers['accounts.list']({});
    assert.deepEqual(accountsAfter.map((a) => a.id), accountsBefore.map((a) => a.id), 'the same account, not a new one');
    assert.deepEqual((await app.core.handlers['history.list']({})).map((p) => p.id), historyBefore.map((p) => p.id), 'its history kept');
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
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published', { exact: true }).waitFor();
    // Not on pinterest.com: the pin's id, no link that would lead nowhere.
    await result.getByText(trial.pins[0]!.id, { exact: true }).waitFor();
    assert.equal(await result.getByRole('link', { name: /View post/ }).count(), 0);
    await page.screenshot({ path: '/tmp/pinterest-sandbox-published.png' });

    assert.deepEqual(trial.pins.map((pin) => [pin.host, pin.description]), [['sandbox', 'A sandbox pin']]);
    assert.deepEqual(trial.requests.filter((r) => r.host === 'production').map((r) => `${r.method} ${r.path}`), [], 'nothing went to production');
    assert.deepEqual(trial.violations, []);
  });
});
