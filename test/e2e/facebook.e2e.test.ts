// Facebook Pages through the real UI in Chromium, against the real core and the contract mock of
// Facebook Login and the Pages API (test/harness/facebookServer.ts). What a person does: Add
// account → Facebook says a Meta app is needed and leads to Settings, where the app id, secret and
// port are saved beside the Graph API version, and the https address to register is shown; Connect
// opens Facebook's login dialog in the "system browser", which lands on the https address; the
// user pastes it; every Page appears as an account, and so does the Instagram account linked to
// one of them, all named in one message. Then one post goes to two Pages at once, and History
// links to both; and a sign-in that names no Page says what to do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { startFacebookServer, type FacebookServer } from '../harness/facebookServer';
import { startInstagramServer, type InstagramServer } from '../harness/instagramServer';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

let facebook: FacebookServer;
let instagram: InstagramServer;
let app: LaunchedApp;
let port: number;
before(async () => {
  facebook = await startFacebookServer();
  instagram = await startInstagramServer({ host: 'facebook' });
  facebook.linkInstagram({ '1010000000000001': instagram });
  port = await findFreePort();
  facebook.registerRedirect(`https://localhost:${port}/callback`);
  app = await launchApp({ env: facebook.env, allowPrivateAddressesFor: [facebook.origin] });
});
after(async () => {
  await app?.close();
  await facebook?.close();
  await instagram?.close();
});

describe('Facebook Pages (Chromium)', () => {
  it('saves the Meta app beside the Graph API version, and one sign-in brings every Page', async () => {
    const { page } = app;
    await openConnectForm(page, 'Facebook');
    await page.getByText('Meta lets an app post to Pages only for the people who grant it').waitFor();
    await page.screenshot({ path: '/tmp/facebook-needs-app.png' });
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Set up your Facebook developer app' }).click();
    await page.getByRole('heading', { name: 'Facebook developer app' }).waitFor();

    assert.equal(await page.getByLabel('Graph API version').inputValue(), 'v24.0');
    await page.getByLabel('Client ID').fill(facebook.app.appId);
    await page.getByLabel('Client secret').fill(facebook.app.appSecret);
    await page.getByLabel('Redirect port').fill(String(port));
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), `https://localhost:${port}/callback`);
    await page.getByText('Valid OAuth Redirect URI (Facebook Login → Settings)', { exact: false }).first().waitFor();
    await page.getByText('your browser will warn that the connection is not private', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a Facebook Page under Accounts.').waitFor();
    await page.getByRole('heading', { name: 'Facebook developer app' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: '/tmp/facebook-settings.png' });
    await page.getByLabel('Graph API version').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/facebook-settings-version.png' });

    await openConnectForm(page, 'Facebook');
    await page.getByText('One sign-in connects every Page you may create posts on').waitFor();
    await page.screenshot({ path: '/tmp/facebook-connect.png', fullPage: true });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(`${facebook.origin}/v24.0/dialog/oauth`)), 'the login dialog');
    const visit = await playBrowser(consentUrl, { deliver: false });
    await page.getByLabel('Address from the browser').fill(visit.callbackUrl);
    await page.getByRole('button', { name: 'Finish sign-in' }).click();
    await page.getByText('Connected 3 Pages: Corner Bakery, Book Club, Town Choir. Connected 1 Instagram account: Localpost Gram.').waitFor();
    for (const name of ['Corner Bakery', 'Book Club', 'Town Choir', '@localpost.gram']) await page.locator('.account-list').getByText(name, { exact: true }).first().waitFor();
    await page.screenshot({ path: '/tmp/facebook-connected.png', fullPage: true });
    assert.ok(!(await page.content()).includes(facebook.app.appSecret));
    assert.deepEqual(facebook.violations, []);
  });

  it('publishes one post to two Pages at once, and History links to both', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const targets = page.locator('.target');
    for (const name of ['Corner Bakery', 'Book Club', 'Town Choir', '@localpost.gram']) {
      const box = targets.filter({ hasText: name }).getByRole('checkbox');
      const wanted = name === 'Corner Bakery' || name === 'Book Club';
      if ((await box.isChecked()) !== wanted) await box.setChecked(wanted);
    }
    await page.getByLabel('Post text').fill('Open house on Saturday https://example.com/open-house');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').nth(1).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: '/tmp/facebook-published.png', fullPage: true });
    assert.deepEqual(facebook.posts.map((p) => p.pageId).sort(), ['1010000000000001', '1010000000000002']);
    assert.ok(facebook.posts.every((p) => p.link === 'https://example.com/open-house'));

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Open house on Saturday' });
    for (const made of facebook.posts) await history.locator(`a[href="${made.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/facebook-history.png', fullPage: true });
    assert.deepEqual(facebook.violations, []);
  });

  it('a sign-in that names no Page says so, and what to do', async () => {
    const { page } = app;
    facebook.setPages([]);
    await openConnectForm(page, 'Facebook');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const opened = app.openedUrls.length;
    const consentUrl = await waitFor(() => app.openedUrls.slice(opened - 1).find((url) => url.startsWith(`${facebook.origin}/v24.0/dialog/oauth`)), 'the login dialog');
    const visit = await playBrowser(consentUrl, { deliver: false });
    await page.getByLabel('Address from the browser').fill(visit.callbackUrl);
    await page.getByRole('button', { name: 'Finish sign-in' }).click();
    await page.getByText('Facebook named no Page you can post to', { exact: false }).waitFor();
    await page.getByText('Create a Facebook Page, or connect again', { exact: false }).waitFor();
    await page.screenshot({ path: '/tmp/facebook-no-pages.png', fullPage: true });
    assert.deepEqual(facebook.violations, []);
  });
});
