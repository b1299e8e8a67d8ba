// TikTok through the real UI in Chromium, against the real core and TikTok's contract mock
// (test/harness/tiktokServer.ts). What a person does: Add account → TikTok says a developer app is
// needed and leads to Settings; the client key and secret are saved (no port: TikTok takes the
// wildcard http://127.0.0.1:*/callback/, which Settings shows to register) and tested; Connect
// opens TikTok's consent page in the "system browser", answered by playBrowser; the account
// appears. Then a video: the composer reads creator_info and offers only what TikTok returned (an
// unaudited app: "Only me"), with nothing chosen and preflight refusing until the user chooses;
// Publish shows the chunked upload's progress; History has the post.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { playBrowser } from '../harness/oauthServer';
import { startTikTokServer, type TikTokServer } from '../harness/tiktokServer';
import { waitFor } from '../harness/waitFor';

let tiktok: TikTokServer;
let app: LaunchedApp;
before(async () => {
  tiktok = await startTikTokServer();
  app = await launchApp({ env: tiktok.env });
});
after(async () => {
  await app?.close();
  await tiktok?.close();
});

describe('TikTok (Chromium)', () => {
  it('asks for the developer app, saves and tests it in Settings, then connects through the browser', async () => {
    const { page } = app;
    await openConnectForm(page, 'TikTok');
    await page.getByText('TikTok lets an app post only once it has Login Kit').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Set up your TikTok developer app' }).click();
    await page.getByRole('heading', { name: 'TikTok developer app' }).waitFor();

    await page.getByLabel('Client ID').fill(tiktok.client.clientKey);
    await page.getByLabel('Client secret').fill(tiktok.client.clientSecret);
    assert.equal(await page.getByLabel('Redirect port').count(), 0, 'any port: nothing to choose');
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), 'http://127.0.0.1:*/callback/');
    const audited = page.getByRole('checkbox', { name: 'TikTok has audited this app (public posts allowed)' });
    assert.equal(await audited.isChecked(), false);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a TikTok account under Accounts.').waitFor();
    await page.getByRole('button', { name: 'Test these credentials' }).click();
    await page.getByText('TikTok accepted this Client ID and secret.', { exact: false }).waitFor();
    await page.screenshot({ path: '/tmp/tiktok-settings.png', fullPage: true });

    await openConnectForm(page, 'TikTok');
    await page.getByText('Until TikTok audits your app, it posts only privately').waitFor();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(tiktok.env.LOCALPOST_TIKTOK_AUTHORIZE_URL!)), 'the consent page');
    assert.match(new URL(consentUrl).searchParams.get('code_challenge')!, /^[0-9a-f]{64}$/);
    const visit = await playBrowser(consentUrl, { deliver: true });
    assert.equal(visit.delivered?.status, 200);
    await page.getByText(/Connected as Localpost Creator .* on tiktok\.com\./).waitFor();
    await page.screenshot({ path: '/tmp/tiktok-connected.png' });
    assert.ok(!(await page.content()).includes(tiktok.client.clientSecret));
    assert.deepEqual(tiktok.violations, []);
  });

  it('offers the privacy levels creator_info returned with none chosen, refuses until one is, and publishes with progress', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Our first TikTok from Localpost');
    app.answerFileDialog(largeMp4(videoScratchDir(), 35 * 1024 * 1024, 'launch.mp4', videoFixtures.tiktok));
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).waitFor();

    // What creator_info returned, for an app TikTok has not audited: "Only me", not chosen.
    const options = page.locator('fieldset', { has: page.getByText('On TikTok', { exact: true }) });
    const onlyMe = options.getByRole('radio', { name: 'Only me' });
    await onlyMe.waitFor();
    assert.equal(await onlyMe.isChecked(), false, 'no default');
    assert.equal(await options.getByRole('radio').count(), 1, 'only what TikTok allows this app');
    await options.getByTestId('tiktok-unaudited').waitFor();
    await options.getByText('Videos up to 600 seconds.', { exact: false }).waitFor();
    // Comments off until turned on; duets not offered (the creator turned them off).
    assert.equal(await options.getByRole('checkbox', { name: 'Comment' }).isChecked(), false);
    assert.equal(await options.getByRole('checkbox', { name: 'Duet' }).count(), 0);
    await options.getByText('By posting, you agree to TikTok’s Music Usage Confirmation.').waitFor();
    await page.getByText('tiktok.privacy_level').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await options.screenshot({ path: '/tmp/tiktok-options-refused.png' });
    await page.getByText('tiktok.privacy_level').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/tiktok-composer-refused.png' });

    // The disclosure: Branded content changes TikTok's declaration.
    await options.getByRole('checkbox', { name: 'Disclose video content' }).check();
    await page.getByText('tiktok.disclosure').first().waitFor();
    await options.getByRole('checkbox', { name: 'Your brand' }).check();
    await options.getByText('Your video will be labeled as “Promotional content”.').waitFor();

    await onlyMe.check();
    await page.getByText('tiktok.privacy_level').waitFor({ state: 'detached' });
    await page.getByText('Saved', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false);
    await options.screenshot({ path: '/tmp/tiktok-options-chosen.png' });

    tiktok.setChunkDelay(1200);
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByRole('progressbar', { name: 'Upload progress' }).first().waitFor();
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/tiktok-progress.png' });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    tiktok.setChunkDelay(0);
    const init = tiktok.requests.filter((r) => r.path === '/v2/post/publish/video/init/').at(-1)!.body as { post_info: Record<string, unknown> };
    assert.equal(init.post_info.privacy_level, 'SELF_ONLY');
    assert.equal(init.post_info.brand_organic_toggle, true);
    assert.equal(tiktok.posted.length, 1);

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Our first TikTok from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await page.screenshot({ path: '/tmp/tiktok-history.png', fullPage: true });
    assert.deepEqual(tiktok.violations, []);
  });
});
