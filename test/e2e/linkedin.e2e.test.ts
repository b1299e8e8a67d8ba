// LinkedIn through the real UI in Chromium, against the real core and the LinkedIn mock
// (test/harness/linkedinServer.ts: a real OAuth server configured like LinkedIn's standard flow,
// plus the member API). What a person does: Add account → LinkedIn says a developer app is needed
// and leads to Settings; the Client ID, secret and port are saved; Connect opens LinkedIn's
// consent page in the "system browser", answered in a second Chromium window. The sign-in LinkedIn
// gives here ends in 6 days (its tokens last 60 days, with no refresh), so a banner and an OS
// notification ask for a reconnect. The composer counts to 3,000; Publish reaches the mock with the
// text exactly as typed, then with an image (processed before the post names it) and its alt text,
// then a video, uploaded in parts with its progress shown; History links to each post. Reconnect
// from the banner signs in again and keeps the same account and its history; a sign-in the member
// revokes turns the account needs_reauth with its banner.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { smallPng } from '../fixtures/images';
import { fiveSecondMp4 } from '../fixtures/videos';
import { launchApp, type LaunchedApp, openConnectForm } from '../harness/app';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { waitFor } from '../harness/waitFor';

const days = 24 * 60 * 60;

/** Opens LinkedIn's consent page the app asked the OS to open (the `skip`+1-th) and allows it. */
async function allowInBrowser(page: Page, app: LaunchedApp, linkedin: LinkedInServer, skip: number): Promise<URL> {
  const consentUrl = new URL(
    await waitFor(() => app.openedUrls.filter((url) => url.startsWith(linkedin.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!))[skip], 'the consent page'),
  );
  const systemBrowser = await page.context().browser()!.newContext();
  const browserTab = await systemBrowser.newPage();
  await browserTab.goto(consentUrl.href);
  await browserTab.getByRole('heading', { name: 'Authorize Localpost?' }).waitFor();
  await browserTab.getByRole('button', { name: 'Allow' }).click();
  await browserTab.waitForURL((url) => url.origin === `http://127.0.0.1:${linkedin.oauth.fixedRedirectPort}` && url.pathname === '/callback');
  await systemBrowser.close();
  return consentUrl;
}

describe('LinkedIn (Chromium)', () => {
  let linkedin: LinkedInServer;
  let app: LaunchedApp;
  let page: Page;
  const text = 'Hello LinkedIn (from Localpost) #launch @team [v1] *bold* _under_ ~tilde~ a|b {x} <y> back\\slash';

  before(async () => {
    // The sign-in ends in 6 days: within the week LinkedIn's 60-day tokens are announced ahead.
    // Video parts of 32 KiB (LinkedIn's are 4 MB), so the 85 KB clip goes in three.
    linkedin = await startLinkedInServer({ accessTokenTtlSeconds: 6 * days, videoPartBytes: 32 * 1024 });
    app = await launchApp({ env: linkedin.env });
    page = app.page;
  });
  after(async () => {
    const seen = app.bridgeTraffic.join('\n') + (await page.content().catch(() => ''));
    await app.close();
    await linkedin.close();
    assert.ok(!seen.includes(linkedin.client.clientSecret), 'the client secret reached the renderer');
    assert.doesNotMatch(seen, /"(access|refresh)_token"|accessToken|refreshToken/);
  });

  it('asks for the developer app first, and saves it in Settings', async () => {
    await openConnectForm(page, 'LinkedIn');
    await page.getByText('LinkedIn lets an app post for you only once it has the Share on LinkedIn product').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.screenshot({ path: '/tmp/linkedin-developer-app-needed.png' });

    await page.getByRole('button', { name: 'Set up your LinkedIn developer app' }).click();
    await page.getByRole('heading', { name: 'LinkedIn developer app' }).waitFor();
    await page.getByLabel('Client ID').fill(linkedin.client.clientId);
    await page.getByLabel('Client secret').fill(linkedin.client.clientSecret);
    await page.getByLabel('Redirect port').fill(String(linkedin.oauth.fixedRedirectPort));
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), linkedin.client.redirectUri);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect a LinkedIn account under Accounts.').waitFor();
  });

  it('connects through the browser sign-in', async () => {
    await openConnectForm(page, 'LinkedIn');
    await page.getByText(linkedin.client.clientId, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('Finish signing in in your browser…').waitFor();

    const consentUrl = await allowInBrowser(page, app, linkedin, 0);
    assert.equal(consentUrl.searchParams.get('redirect_uri'), linkedin.client.redirectUri);
    assert.equal(consentUrl.searchParams.get('code_challenge'), null);

    const card = page.locator('.account-card', { hasText: 'Alice Example' });
    await card.getByText('connected', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-connected.png' });
  });

  it('a sign-in that ends within a week shows a banner and an OS notification', async () => {
    const alerts = page.getByRole('region', { name: 'Account alerts' });
    const banner = alerts.getByRole('alert').filter({ hasText: 'Alice Example' });
    await banner.getByText(/^Alice Example needs to be reconnected before /).waitFor();
    // The title says when; the line under it says why, without the date again in another format.
    await banner.getByText('linkedin.com does not renew this sign-in by itself: reconnect before it ends to keep posting.', { exact: true }).waitFor();
    const notice = await waitFor(() => app.notifications.find((n) => n.title === 'Alice Example: sign-in ends soon'), 'the OS notification');
    const endsOn = new Date(Date.now() + 6 * days * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' });
    assert.equal(notice.body, `It ends on ${endsOn}. linkedin.com does not renew this sign-in by itself: reconnect before it ends to keep posting.`);
    // The card says so too, with a Reconnect that outlives the banner; a check does not make it go away.
    const card = page.locator('.account-card', { hasText: 'Alice Example' });
    await card.getByText(`The sign-in ends on ${endsOn}: reconnect before then to keep posting.`).waitFor();
    await card.getByRole('button', { name: 'Check connection' }).click();
    await card.getByText('connected', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Check connection', disabled: false }).waitFor();
    await card.getByText(`The sign-in ends on ${endsOn}: reconnect before then to keep posting.`).waitFor();
    await card.getByRole('button', { name: 'Reconnect' }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-expiring-banner.png' });
  });

  it('counts to 3,000 and publishes the text exactly as typed', async () => {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.getByRole('checkbox', { name: 'Alice Example' });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill(text);
    const row = page.locator('.target', { hasText: 'Alice Example' });
    await row.getByText(`${text.length} / 3000`).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-composer.png' });

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).waitFor();
    assert.equal(linkedin.posts.length, 1);
    assert.equal(linkedin.posts[0]!.commentary, text);
    assert.equal(linkedin.posts[0]!.truncated, false);
  });

  it('publishes an image with its alt text, once LinkedIn has processed it', async () => {
    // LinkedIn takes a while over this one: the post must wait for it.
    linkedin.setImageProcessing({ reads: 2, ms: 300 });
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.getByRole('checkbox', { name: 'Alice Example' });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('A picture from Localpost');
    await page.getByLabel('Add image').setInputFiles({ name: 'square.png', mimeType: 'image/png', buffer: await smallPng(320, 200) });
    await page.getByLabel('Alt text for image 1').fill('A red rectangle (320 by 200)');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-composer-image.png', fullPage: true });

    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-published-image.png', fullPage: true });
    const post = linkedin.posts.at(-1)!;
    assert.equal(post.commentary, 'A picture from Localpost');
    assert.equal(post.media?.altText, 'A red rectangle (320 by 200)');
    const image = linkedin.images.find((i) => i.id === post.media?.id);
    assert.equal(image?.status, 'AVAILABLE');
    assert.ok(image.bytes && image.bytes.length > 0, 'the image bytes reached LinkedIn');
    assert.ok(image.statusReads >= 2, 'the post waited for the processing');
  });

  it('History shows both posts, each with a working link to it on LinkedIn', async () => {
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    const item = history.locator('.history-post', { hasText: 'A picture from Localpost' });
    await item.getByText('Alice Example').waitFor();
    await item.getByText('published', { exact: true }).waitFor();
    await history.locator('.history-post', { hasText: 'Hello LinkedIn' }).getByText('published', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-history.png', fullPage: true });

    const link = item.getByRole('link', { name: 'View post' });
    const urn = linkedin.posts.at(-1)!.id;
    const expected = `https://www.linkedin.com/feed/update/${encodeURIComponent(urn)}/`;
    assert.equal(await link.getAttribute('href'), expected);
    const opened = app.openedUrls.length;
    await link.click();
    assert.equal(await waitFor(() => app.openedUrls[opened], 'the post to open in the browser'), expected);
  });

  it('publishes a video through the Videos API, its upload’s progress shown, and History links to the post', async () => {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.getByRole('checkbox', { name: 'Alice Example' });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Our launch clip on LinkedIn');
    app.answerFileDialog(fiveSecondMp4);
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false, 'LinkedIn takes it');
    await page.screenshot({ path: '/tmp/linkedin-composer-video.png', fullPage: true });

    // LinkedIn answers each part after a while, so the upload can be watched.
    linkedin.setVideoPartDelay(1_500);
    try {
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      const bar = result.getByRole('progressbar', { name: 'Upload progress' });
      await bar.waitFor();
      const sent = Number(await bar.getAttribute('value'));
      const total = Number(await bar.getAttribute('max'));
      assert.ok(sent > 0 && sent < total, `${sent} of ${total}`);
      await page.screenshot({ path: '/tmp/linkedin-video-progress.png', fullPage: true });
      await result.getByText('published', { exact: true }).waitFor({ timeout: 30_000 });
    } finally {
      linkedin.setVideoPartDelay(0);
    }
    const post = linkedin.posts.at(-1)!;
    assert.equal(post.commentary, 'Our launch clip on LinkedIn');
    const video = linkedin.videos.find((v) => v.id === post.media?.id);
    assert.ok(video, 'the post names the uploaded video');
    assert.ok(video.bytes!.equals(fs.readFileSync(fiveSecondMp4)), 'LinkedIn got exactly the file');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const item = page.getByRole('region', { name: 'History' }).locator('.history-post', { hasText: 'Our launch clip on LinkedIn' });
    await item.getByText('published', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-history-video.png', fullPage: true });
    assert.equal(await item.getByRole('link', { name: 'View post' }).getAttribute('href'), `https://www.linkedin.com/feed/update/${encodeURIComponent(post.id)}/`);
  });

  it('Reconnect from the banner signs in again and keeps the same account and its history', async () => {
    const [before] = await app.core.dispatch('accounts.list', {}, page.url()).then((r) => (r.ok ? (r.value as Array<{ id: string }>) : []));
    assert.ok(before);
    // This time LinkedIn gives its usual 60 days.
    linkedin.setAccessTokenTtl(60 * days);
    const alerts = page.getByRole('region', { name: 'Account alerts' });
    await alerts.getByRole('button', { name: 'Reconnect' }).click();
    await page.getByRole('heading', { name: 'Reconnect LinkedIn' }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-reconnect-form.png', fullPage: true });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await allowInBrowser(page, app, linkedin, 1);

    await page.getByText('Alice Example is reconnected.').waitFor();
    const cards = page.locator('.account-card', { hasText: 'Alice Example' });
    await cards.getByText('connected', { exact: true }).waitFor();
    assert.equal(await cards.count(), 1, 'still one account');
    assert.equal(await alerts.count(), 0, 'the banner went away');
    assert.equal(await cards.getByRole('button', { name: 'Reconnect' }).count(), 0, 'and so did the card\'s Reconnect');
    assert.equal(await cards.getByText('The sign-in ends on').count(), 0);
    await page.screenshot({ path: '/tmp/linkedin-reconnected.png', fullPage: true });
    const after = await app.core.dispatch('accounts.list', {}, page.url());
    assert.ok(after.ok);
    assert.deepEqual((after.value as Array<{ id: string }>).map((a) => a.id), [before.id]);

    await page.getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('region', { name: 'History' }).locator('.history-post', { hasText: 'A picture from Localpost' }).getByText('Alice Example').waitFor();
    // The new sign-in posts.
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.getByRole('checkbox', { name: 'Alice Example' });
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('After the reconnect');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).waitFor();
    assert.equal(linkedin.posts.at(-1)!.commentary, 'After the reconnect');
  });

  it('a sign-in the member revoked (401, serviceErrorCode 65601) turns the account needs_reauth with its banner', async () => {
    await linkedin.revokeSeenTokens();
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    const card = page.locator('.account-card', { hasText: 'Alice Example' });
    await card.getByRole('button', { name: 'Check connection' }).click();
    const alerts = page.getByRole('region', { name: 'Account alerts' });
    await alerts.getByText('Alice Example needs to be reconnected', { exact: true }).waitFor();
    await card.getByText('needs_reauth', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/linkedin-revoked-banner.png', fullPage: true });

    await card.getByRole('button', { name: 'Reconnect' }).click();
    await page.getByRole('heading', { name: 'Reconnect LinkedIn' }).waitFor();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await allowInBrowser(page, app, linkedin, 2);
    await page.getByText('Alice Example is reconnected.').waitFor();
    await card.getByText('connected', { exact: true }).waitFor();
    assert.equal(await alerts.count(), 0);
  });
});
