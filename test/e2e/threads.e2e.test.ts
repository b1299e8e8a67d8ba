// Threads through the real UI in Chromium, against the real core and Threads' contract mock
// (test/harness/threadsServer.ts). What a person does: Add account → Threads says a Meta app is
// needed and leads to Settings; the Threads app id and secret and a port are saved, and Settings
// shows the https address to register (and the other two Meta demands); Connect opens Threads'
// consent page in the "system browser", which lands on the https address; the user pastes it into
// the paste form, open from the start for an https redirect; the account appears. Then a text
// post: published through a container, and History links to its permalink.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { startThreadsServer, type ThreadsServer } from '../harness/threadsServer';
import { waitFor } from '../harness/waitFor';

let threads: ThreadsServer;
let app: LaunchedApp;
let port: number;
before(async () => {
  threads = await startThreadsServer();
  port = await findFreePort();
  threads.registerRedirect(`https://localhost:${port}/callback`);
  app = await launchApp({ env: threads.env, allowPrivateAddressesFor: [threads.origin] });
});
after(async () => {
  await app?.close();
  await threads?.close();
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
});
