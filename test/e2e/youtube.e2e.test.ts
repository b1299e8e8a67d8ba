// YouTube through the real UI in Chromium, against the real core and YouTube's contract mock
// (test/harness/youtubeServer.ts). What a person does: Settings → Developer apps → YouTube, where
// the audit, Testing and quota caveats are said before anything else; the Desktop app client's id
// and secret are typed, tested and saved (no redirect to register); Add account → YouTube →
// Connect opens Google's consent page in the "system browser", answered by playBrowser; the channel
// appears. Then a video: attached, the YouTube fields filled, preflight refusing until "made for
// kids" is answered, Publish with the upload's progress shown, History linking to the watch page.
// With the consent screen in Testing, the channel's card says when Google ends the sign-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { largeMp4, videoScratchDir } from '../fixtures/videos';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';
import { startYouTubeServer, type YouTubeServer } from '../harness/youtubeServer';

let youtube: YouTubeServer;
let app: LaunchedApp;
const scratch = videoScratchDir();
before(async () => {
  youtube = await startYouTubeServer();
  // The mock serves the channel's picture too: allowed, as a site on the web would be.
  app = await launchApp({ env: youtube.env, allowPrivateAddressesFor: [youtube.origin] });
});
after(async () => {
  await app?.close();
  await youtube?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('YouTube (Chromium)', () => {
  it('saves and tests the Google Cloud OAuth client in Settings, then connects the channel through the browser', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'YouTube' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('heading', { name: 'YouTube developer app' }).waitFor();
    const caveats = panel.getByRole('list', { name: 'Before you use YouTube' });
    await caveats.getByText(/every video it uploads stays private/).waitFor();
    await caveats.getByText(/Google ends their sign-ins after 7 days/).waitFor();
    await caveats.getByText(/midnight Pacific time/).waitFor();
    await panel.getByText(/Nothing to register for the redirect/).waitFor();
    assert.equal(await panel.getByLabel('Redirect port').count(), 0, 'no port to pick: any loopback port is accepted');

    await panel.getByLabel('Client ID').fill(youtube.client.clientId);
    await panel.getByLabel('Client secret').fill(youtube.client.clientSecret);
    await panel.getByRole('button', { name: 'Test these credentials' }).click();
    await panel.getByText('YouTube accepted this Client ID and secret.', { exact: false }).waitFor();
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Saved. You can connect a YouTube channel under Accounts.').waitFor();
    await panel.getByRole('heading', { name: 'YouTube developer app' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/youtube-settings.png' });

    await openConnectForm(page, 'YouTube');
    await page.getByText('Each upload spends your project’s daily quota, which resets at midnight Pacific time.').waitFor();
    await page.screenshot({ path: '/tmp/youtube-connect.png' });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(youtube.env.LOCALPOST_YOUTUBE_AUTHORIZE_URL!)), 'the consent page');
    assert.equal((await playBrowser(consentUrl, { deliver: true })).delivered?.status, 200);
    await page.getByText(/Connected as Alice Makes Things \(@alicemakes\) on youtube\.com\./).waitFor();
    await page.screenshot({ path: '/tmp/youtube-connected.png' });
    assert.ok(!(await page.content()).includes(youtube.client.clientSecret));
    assert.deepEqual(youtube.violations, []);
  });

  it('uploads a video with its YouTube fields, refusing until "made for kids" is answered, with progress, and History links to the watch page', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('How we built it, start to finish');

    // YouTube takes nothing but video: preflight says so until one is attached.
    await page.getByText('youtube.video_required').first().waitFor();
    app.answerFileDialog(largeMp4(scratch, 12 * 1024 * 1024, 'build.mp4'));
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).waitFor();

    const fields = page.getByRole('group', { name: 'On YouTube' });
    await fields.getByLabel('Title', { exact: true }).fill('How we built Localpost');
    await fields.getByText('22 / 100').waitFor();
    await fields.getByLabel('Visibility').selectOption('unlisted');
    await fields.getByLabel('Category').selectOption({ label: 'Science & Technology' });
    await fields.getByLabel('Tags').fill('local first, electron');
    // No answer to "made for kids" yet: YouTube requires one, so Publish waits for it.
    await page.getByText('youtube.made_for_kids').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await page.getByText('youtube.made_for_kids').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/youtube-composer-refused.png' });
    await fields.getByLabel('No, it’s not made for kids').check();
    await page.getByText('youtube.made_for_kids').first().waitFor({ state: 'detached' });
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/youtube-composer.png', fullPage: true });

    // YouTube reads slowly, so the upload lasts a few seconds and its progress can be watched.
    youtube.uploads.throttle(3 * 1024 * 1024);
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByRole('progressbar', { name: 'Upload progress' }).first().waitFor();
    await result.getByText(/^\d+(\.\d)? MB of \d+(\.\d)? MB$/).first().waitFor();
    await page.screenshot({ path: '/tmp/youtube-progress.png', fullPage: true });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    youtube.uploads.throttle(null);

    const video = youtube.videos.at(-1)!;
    const resource = video.resource as { snippet: Record<string, unknown>; status: Record<string, unknown> };
    assert.deepEqual(
      { title: resource.snippet.title, description: resource.snippet.description, categoryId: resource.snippet.categoryId, tags: resource.snippet.tags },
      { title: 'How we built Localpost', description: 'How we built it, start to finish', categoryId: '28', tags: ['local first', 'electron'] },
    );
    assert.deepEqual({ privacy: resource.status.privacyStatus, kids: resource.status.selfDeclaredMadeForKids }, { privacy: 'unlisted', kids: false });

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('How we built it, start to finish').first().waitFor();
    await history.getByRole('link', { name: /View post/ }).first().click();
    await waitFor(() => app.openedUrls.find((url) => url === `https://www.youtube.com/watch?v=${video.id}`), 'the watch page opened in the browser');
    await page.screenshot({ path: '/tmp/youtube-history.png', fullPage: true });
    assert.deepEqual(youtube.violations, []);
  });

  it('hands the time to YouTube’s own publishAt when asked, uploading the video as private', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByRole('button', { name: 'New draft' }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('The premiere');
    app.answerFileDialog(largeMp4(scratch, 1024 * 1024, 'premiere.mp4'));
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).waitFor();
    const fields = page.getByRole('group', { name: 'On YouTube' });
    await fields.getByLabel('Title', { exact: true }).fill('Premiere');
    await fields.getByLabel('Visibility').selectOption('public');
    await fields.getByLabel('Yes, it’s made for kids').check();
    await fields.getByLabel('Upload now as private, and let YouTube make it public at a set time').check();
    // YouTube publishes at a set time only a private video: the choice follows and waits.
    assert.equal(await fields.getByLabel('Visibility').inputValue(), 'private');
    assert.equal(await fields.getByLabel('Visibility').isDisabled(), true);
    await fields.getByLabel('When YouTube makes the video public').fill('2031-05-04T09:30');
    await page.getByText('Saved', { exact: true }).waitFor();
    await fields.screenshot({ path: '/tmp/youtube-publish-at.png' });
    const videosBefore = youtube.videos.length;
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published').first().waitFor({ timeout: 30_000 });
    assert.equal(youtube.videos.length, videosBefore + 1);
    const status = (youtube.videos.at(-1)!.resource as { status: Record<string, unknown> }).status;
    assert.equal(status.privacyStatus, 'private');
    assert.equal(status.selfDeclaredMadeForKids, true);
    // Typed in the computer's time zone, sent as an instant within a day of it.
    assert.ok(Math.abs(Date.parse(String(status.publishAt)) - Date.parse('2031-05-04T09:30:00Z')) <= 24 * 3_600_000, String(status.publishAt));
    assert.deepEqual(youtube.violations, []);
  });

  it('with the consent screen in Testing, the channel’s card says when Google ends the sign-in, and Reconnect keeps the channel', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'YouTube' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.getByRole('checkbox', { name: 'My OAuth consent screen is in “Testing”' }).check();
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Saved. You can connect a YouTube channel under Accounts.').waitFor();

    const accountsBefore = await app.core.handlers['accounts.list']({});
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    const card = page.locator('.account-card', { hasText: '@alicemakes' });
    await card.getByRole('button', { name: 'Reconnect' }).waitFor({ state: 'detached' });
    // A reconnect after the switch: Google's 7 days start now.
    await openConnectForm(page, 'YouTube');
    const opened = app.openedUrls.length;
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.slice(opened).find((url) => url.startsWith(youtube.env.LOCALPOST_YOUTUBE_AUTHORIZE_URL!)), 'the consent page');
    await playBrowser(consentUrl, { deliver: true });
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await card.getByText(/consent screen is in Testing, so Google ends this sign-in on/).waitFor();
    await card.getByRole('button', { name: 'Reconnect' }).waitFor();
    // The channel's picture, kept at connect, stands for the account, its platform's mark on its corner.
    const picture = card.locator('.account-avatar img');
    await picture.waitFor();
    assert.match((await picture.getAttribute('src')) ?? '', /^data:image\/webp;base64,/);
    assert.equal(await picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 96);
    await page.screenshot({ path: '/tmp/youtube-testing-card.png', fullPage: true });
    const accountsAfter = await app.core.handlers['accounts.list']({});
    assert.deepEqual(accountsAfter.map((a) => a.id), accountsBefore.map((a) => a.id), 'the same channel, not a new account');
    assert.deepEqual(youtube.violations, []);
  });
});
