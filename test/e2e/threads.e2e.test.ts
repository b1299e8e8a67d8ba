// Threads through the real UI in Chromium, against the real core and Threads' contract mock
// (test/harness/threadsServer.ts). What a person does: Add account → Threads says a Meta app is
// needed and leads to Settings; the Threads app id and secret and a port are saved, and Settings
// shows the https address to register (and the other two Meta demands); Connect opens Threads'
// consent page in the "system browser", which lands on the https address; the user pastes it into
// the paste form, open from the start for an https redirect; the account appears. Then a text
// post: published through a container, and History links to its permalink.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smallPng } from '../fixtures/images';
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
});
