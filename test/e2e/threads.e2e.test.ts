// Threads through the real UI in Chromium, against the real core and Threads' contract mock
// (test/harness/threadsServer.ts). What a person does: Add account → Threads says a Meta app is
// needed and leads to Settings; the Threads app id and secret and a port are saved, and Settings
// shows the https address to register (and the other two Meta demands); Connect opens Threads'
// consent page in the "system browser", which lands on the https address; the user pastes it into
// the paste form, open from the start for an https redirect; the account appears. Then a text
// post: published through a container, and History links to its permalink; an image and a video,
// each fetched by Threads from the user's bucket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { startThreadsServer, type ThreadsServer } from '../harness/threadsServer';
import { waitFor } from '../harness/waitFor';

let threads: ThreadsServer;
let s3: S3Server;
let app: LaunchedApp;
let port: number;
before(async () => {
  threads = await startThreadsServer();
  s3 = await startS3Server();
  port = await findFreePort();
  threads.registerRedirect(`https://localhost:${port}/callback`);
  app = await launchApp({ env: threads.env, allowPrivateAddressesFor: [threads.origin, s3.endpoint] });
});
after(async () => {
  await app?.close();
  await threads?.close();
  await s3?.close();
});

describe('Threads (Chromium)', () => {
  it('asks for the Meta app, saves it with the https address to register, and connects by pasting the address the browser landed on', async () => {
    const { page } = app;
    await openConnectForm(page, 'Threads');
    await page.getByText('Meta gives the Threads API to each app with the Threads use case').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Set up your Threads developer app' }).click();
    await page.getByRole('heading', { name: 'Threads developer app' }).waitFor();

    await page.getByLabel('Client ID').fill(threads.app.appId);
    await page.getByLabel('Client secret').fill(threads.app.appSecret);
    await page.getByLabel('Redirect port').fill(String(port));
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), `https://localhost:${port}/callback`);
    await page.getByText('your browser will warn that the connection is not private', { exact: false }).waitFor();
    await page.getByText('Uninstall Callback URL', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a Threads account under Accounts.').waitFor();
    await page.screenshot({ path: '/tmp/threads-settings.png', fullPage: true });

    await openConnectForm(page, 'Threads');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(threads.env.LOCALPOST_THREADS_AUTHORIZE_URL!)), 'the consent page');
    const visit = await playBrowser(consentUrl, { deliver: false });
    const address = page.getByLabel('Address from the browser');
    await address.fill(visit.callbackUrl);
    await page.screenshot({ path: '/tmp/threads-paste.png' });
    await page.getByRole('button', { name: 'Finish sign-in' }).click();
    await page.getByText(/Connected as Localpost Tester .* on threads\.com\./).waitFor();
    await page.screenshot({ path: '/tmp/threads-connected.png' });
    assert.ok(!(await page.content()).includes(threads.app.appSecret));
    assert.deepEqual(threads.violations, []);
  });

  it('publishes a text post and History links to it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Our first thread from Localpost 🧵');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    assert.equal(threads.media.length, 1);

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Our first thread from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    const link = history.locator(`a[href="${threads.media[0]!.permalink}"]`);
    await link.first().waitFor();
    await page.screenshot({ path: '/tmp/threads-history.png', fullPage: true });
    assert.deepEqual(threads.violations, []);
  });

  it('refuses an image until media storage is saved, then publishes it through the bucket and deletes it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('A photo on Threads from Localpost');
    await page.getByLabel('Add image').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await smallPng(320, 200) });
    await page.getByLabel('Alt text for image 1').fill('A red rectangle');
    await page.getByText('Saved', { exact: true }).waitFor();
    // The composer says so live, as the core would refuse it.
    await page.getByText('media.storage_missing', { exact: false }).first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await page.getByText('media.storage_missing', { exact: false }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/threads-storage-missing.png' });

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Media storage' }) });
    await section.getByLabel('Endpoint').fill(s3.endpoint);
    await section.getByLabel('Region').fill(s3.region);
    await section.getByLabel('Bucket').fill(s3.bucket);
    await section.getByLabel('Access key ID').fill(s3.accessKeyId);
    await section.getByLabel('Secret access key').fill(s3.secretAccessKey);
    const pathStyle = section.getByRole('checkbox', { name: /path-style/i });
    if ((await pathStyle.count()) > 0 && !(await pathStyle.isChecked())) await pathStyle.check();
    await section.getByRole('button', { name: 'Save bucket' }).click();
    await section.getByText('Saved.', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByText('media.storage_missing', { exact: false }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    assert.equal(threads.fetchedImages.length, 1);
    assert.equal(threads.fetchedImages[0]!.altText, 'A red rectangle');
    assert.deepEqual(await s3.keys(), [], 'deleted from the bucket');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'A photo on Threads from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${threads.media.at(-1)!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/threads-history-image.png', fullPage: true });
    assert.deepEqual(threads.violations, []);
  });

  it('publishes a video with alt text through the bucket, and History links to it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('A clip on Threads from Localpost');
    app.answerFileDialog(videoFixtures.mp4);
    await page.getByRole('button', { name: 'Add video' }).click();
    const video = page.getByRole('figure', { name: 'Video' });
    await video.waitFor();
    // Typed while the page is still making the poster: the poster, once shown, keeps the words.
    const alt = video.getByLabel('Alt text for the video');
    await alt.fill('A test pattern with a tone');
    await video.getByRole('img', { name: 'Video poster frame' }).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    assert.equal(await alt.inputValue(), 'A test pattern with a tone');
    await page.getByText('Ready to publish.').waitFor();
    await video.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/threads-compose-video.png' });
    const before = threads.media.length;
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    // The result shown is this post's, not the one before it: it links to the new permalink.
    const published = await waitFor(() => (threads.media.length > before ? threads.media.at(-1) : undefined), 'the post on Threads', 1200);
    await result.locator(`a[href="${published.permalink}"]`).waitFor();
    await result.getByText('published').first().waitFor();
    assert.equal(threads.media.length, before + 1);
    const container = threads.containers.get(threads.media.at(-1)!.containerId)!;
    assert.equal(container.mediaType, 'VIDEO');
    assert.equal(container.text, 'A clip on Threads from Localpost');
    // Threads fetched the video itself from a presigned address in the user's bucket.
    assert.ok(container.image!.url.startsWith(`${s3.endpoint}/${s3.bucket}/`), container.image!.url);
    assert.equal(container.image!.contentType, 'video/mp4');
    assert.equal(container.image!.altText, 'A test pattern with a tone');
    assert.ok(container.image!.bytes.equals(fs.readFileSync(videoFixtures.mp4)), 'the file as it is on disk');
    assert.deepEqual(await s3.keys(), [], 'deleted from the bucket');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'A clip on Threads from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${threads.media.at(-1)!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/threads-history-video.png', fullPage: true });
    assert.deepEqual(threads.violations, []);
  });
});
