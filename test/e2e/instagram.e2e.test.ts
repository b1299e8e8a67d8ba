// Instagram through the real UI in Chromium, against the real core, Instagram's contract mock
// (test/harness/instagramServer.ts) and a real S3 bucket (s3rver). What a person does: Add account →
// Instagram says a Meta app is needed and leads to Settings; the Instagram app id and secret and a
// port are saved (the tab shows the https address to register and the Graph API version); Connect
// opens Instagram's consent page in the "system browser", which lands on the https address with
// Meta's `#_`; the user pastes it; the account appears. A photo before media storage is saved is
// refused in the composer, which leads to Settings → Media storage; once the bucket is saved, the
// photo with alt text, a carousel, a Reel and a carousel with a video in it: each published
// through containers whose files Instagram fetched from the bucket, and History links to them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import { launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { startInstagramServer, type InstagramServer } from '../harness/instagramServer';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { waitFor } from '../harness/waitFor';

let ig: InstagramServer;
let s3: S3Server;
let app: LaunchedApp;
let port: number;
before(async () => {
  ig = await startInstagramServer();
  s3 = await startS3Server();
  port = await findFreePort();
  ig.registerRedirect(`https://localhost:${port}/callback`);
  app = await launchApp({ env: ig.env, allowPrivateAddressesFor: [ig.origin, s3.endpoint] });
});
after(async () => {
  await app?.close();
  await ig?.close();
  await s3?.close();
});

describe('Instagram (Chromium)', () => {
  it('asks for the Meta app, saves it with the https address to register, and connects by pasting the address the browser landed on', async () => {
    const { page } = app;
    await openConnectForm(page, 'Instagram');
    await page.getByText('Meta gives the Instagram API to each app with the “Instagram API with Instagram Login” product').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Set up your Instagram developer app' }).click();
    await page.getByRole('heading', { name: 'Instagram developer app' }).waitFor();

    await page.getByLabel('Client ID').fill(ig.app.appId);
    await page.getByLabel('Client secret').fill(ig.app.appSecret);
    await page.getByLabel('Redirect port').fill(String(port));
    assert.equal(await page.getByLabel('Redirect URI').inputValue(), `https://localhost:${port}/callback`);
    await page.getByText('your browser will warn that the connection is not private', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Graph API version').inputValue(), 'v24.0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. You can connect an Instagram professional account under Accounts.').waitFor();
    await page.screenshot({ path: '/tmp/instagram-settings.png', fullPage: true });

    await openConnectForm(page, 'Instagram');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(ig.env.LOCALPOST_INSTAGRAM_AUTHORIZE_URL!)), 'the consent page');
    const visit = await playBrowser(consentUrl, { deliver: false });
    assert.ok(visit.callbackUrl.endsWith('#_'));
    await page.getByLabel('Address from the browser').fill(visit.callbackUrl);
    await page.screenshot({ path: '/tmp/instagram-connect.png' });
    await page.getByRole('button', { name: 'Finish sign-in' }).click();
    await page.getByText(/Connected as Localpost Gram .* on instagram\.com\./).waitFor();
    await page.screenshot({ path: '/tmp/instagram-connected.png' });
    assert.ok(!(await page.content()).includes(ig.app.appSecret));
    assert.deepEqual(ig.violations, []);
  });

  it('refuses a photo until media storage is saved, leads to it, then publishes the photo with alt text through the bucket, and History links to it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Our first Instagram post from Localpost');
    // Text alone is no Instagram post: the composer says so live.
    await page.getByText('instagram.media_required', { exact: false }).first().waitFor();
    await page.getByLabel('Add image').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await smallPng(320, 256) });
    await page.getByLabel('Alt text for image 1').fill('A red rectangle');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByText('instagram.media_required', { exact: false }).waitFor({ state: 'detached' });
    // No bucket yet: Instagram could not fetch the photo, and the composer says so, naming Instagram.
    const warning = page.locator('.preflight-issue').filter({ hasText: 'media.storage_missing' });
    await warning.waitFor();
    assert.match(await warning.innerText(), /Instagram fetches images and videos from a web address, so Localpost needs your media storage for @localpost\.gram/);
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/instagram-storage-missing.png' });

    await warning.getByRole('button', { name: 'Open media storage settings' }).click();
    const heading = page.getByRole('heading', { name: 'Media storage' });
    await heading.waitFor();
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'media-storage-title', 'focus lands on the section it led to');
    // At the top of the window, where it stays once the sections above it have filled in.
    await page.waitForTimeout(1200);
    const top = (await heading.boundingBox())!.y;
    assert.ok(top >= 0 && top < 120, `the Media storage heading is ${top}px from the top`);
    await page.screenshot({ path: '/tmp/instagram-storage-settings.png' });
    const section = page.locator('section', { has: heading });
    await section.getByLabel('Endpoint').fill(s3.endpoint);
    await section.getByLabel('Region').fill(s3.region);
    await section.getByLabel('Bucket').fill(s3.bucket);
    await section.getByLabel('Access key ID').fill(s3.accessKeyId);
    await section.getByLabel('Secret access key').fill(s3.secretAccessKey);
    const pathStyle = section.getByRole('checkbox', { name: /path-style/i });
    if ((await pathStyle.count()) > 0 && !(await pathStyle.isChecked())) await pathStyle.check();
    await section.getByRole('button', { name: 'Save bucket' }).click();
    await section.getByText('Saved.', { exact: true }).waitFor();

    // Back in the composer the draft is as it was, and the warning is gone.
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    assert.equal(await page.getByLabel('Post text').inputValue(), 'Our first Instagram post from Localpost');
    await page.getByText('media.storage_missing', { exact: false }).waitFor({ state: 'detached' });
    await page.getByText('Ready to publish.').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    assert.equal(ig.media.length, 1);
    assert.equal(ig.fetched[0]!.altText, 'A red rectangle');
    assert.equal(ig.fetched[0]!.contentType, 'image/jpeg');
    assert.deepEqual(await s3.keys(), [], 'deleted from the bucket');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Our first Instagram post from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${ig.media[0]!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/instagram-history-photo.png', fullPage: true });
    assert.deepEqual(ig.violations, []);
  });

  it('publishes two photos as one carousel', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('A carousel from Localpost #localfirst');
    await page.getByLabel('Add image').setInputFiles({ name: 'one.png', mimeType: 'image/png', buffer: await smallPng(320, 256) });
    await page.getByLabel('Alt text for image 1').fill('The first picture');
    await page.getByLabel('Add image').setInputFiles({ name: 'two.png', mimeType: 'image/png', buffer: await smallPng(400, 320) });
    await page.getByLabel('Alt text for image 2').fill('The second picture');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/instagram-compose-carousel.png' });
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    await result.getByText('published').first().waitFor({ timeout: 30_000 });
    assert.equal(ig.media.length, 2);
    assert.equal(ig.containers.get(ig.media[1]!.containerId)!.mediaType, 'CAROUSEL');
    assert.deepEqual(ig.fetched.slice(1).map((f) => f.altText), ['The first picture', 'The second picture']);
    assert.deepEqual(await s3.keys(), []);

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'A carousel from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${ig.media[1]!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/instagram-history.png', fullPage: true });
    assert.deepEqual(ig.violations, []);
  });

  it('publishes a Reel: a video alone goes as REELS, fetched from the bucket, and History links to it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Our first Reel from Localpost');
    // 360 × 640, 24 fps, 3 s, H.264: as short and as slow as a Reel may be.
    app.answerFileDialog(videoFixtures.tiktok);
    await page.getByRole('button', { name: 'Add video' }).click();
    const video = page.getByRole('figure', { name: 'Video' });
    await video.waitFor();
    assert.match(await video.locator('.video-facts').innerText(), /Picture\s+360 × 640, 24 fps/);
    await video.getByRole('img', { name: 'Video poster frame' }).waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByText('Ready to publish.').waitFor();
    await video.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/instagram-compose-reel.png' });
    const mediaBefore = ig.media.length;
    const fetchedBefore = ig.fetched.length;
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    // The result shown is this post's, not the one before it: it links to the new permalink.
    const published = await waitFor(() => (ig.media.length > mediaBefore ? ig.media.at(-1) : undefined), 'the post on Instagram', 1200);
    await result.locator(`a[href="${published.permalink}"]`).waitFor();
    await result.getByText('published').first().waitFor();
    assert.equal(ig.media.length, mediaBefore + 1);
    const reel = ig.containers.get(ig.media.at(-1)!.containerId)!;
    assert.equal(reel.mediaType, 'REELS');
    assert.equal(reel.isCarouselItem, false);
    assert.equal(reel.shareToFeed, true);
    assert.equal(reel.caption, 'Our first Reel from Localpost');
    // Instagram fetched the video itself from a presigned address in the user's bucket.
    assert.equal(ig.fetched.length, fetchedBefore + 1);
    assert.ok(reel.media!.url.startsWith(`${s3.endpoint}/${s3.bucket}/`), reel.media!.url);
    assert.match(reel.media!.url, /X-Amz-Signature=/);
    assert.equal(reel.media!.contentType, 'video/mp4');
    assert.ok(reel.media!.bytes.equals(fs.readFileSync(videoFixtures.tiktok)), 'the file as it is on disk');
    assert.equal(reel.media!.altText, null, 'alt text is for photos only');
    assert.deepEqual(await s3.keys(), [], 'deleted from the bucket');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Our first Reel from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${ig.media.at(-1)!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/instagram-history-reel.png', fullPage: true });
    assert.deepEqual(ig.violations, []);
  });

  it('publishes two photos and a video as one carousel', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const box = page.locator('.target').getByRole('checkbox');
    if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill('Photos and a clip from Localpost');
    await page.getByLabel('Add image').setInputFiles({ name: 'one.png', mimeType: 'image/png', buffer: await smallPng(320, 320) });
    await page.getByLabel('Alt text for image 1').fill('A square picture');
    await page.getByLabel('Add image').setInputFiles({ name: 'two.png', mimeType: 'image/png', buffer: await smallPng(400, 320) });
    await page.getByLabel('Alt text for image 2').fill('A wide picture');
    // Instagram takes photos and videos in one carousel, so the composer takes a video beside them.
    app.answerFileDialog(videoFixtures.tiktok);
    await page.getByRole('button', { name: 'Add video' }).click();
    const video = page.getByRole('figure', { name: 'Video' });
    await video.waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByText('Ready to publish.').waitFor();
    await video.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/instagram-compose-mixed-carousel.png' });
    const mediaBefore = ig.media.length;
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.getByRole('region', { name: 'Publish result' });
    // The result shown is this post's, not the one before it: it links to the new permalink.
    const published = await waitFor(() => (ig.media.length > mediaBefore ? ig.media.at(-1) : undefined), 'the post on Instagram', 1200);
    await result.locator(`a[href="${published.permalink}"]`).waitFor();
    await result.getByText('published').first().waitFor();
    assert.equal(ig.media.length, mediaBefore + 1);
    const carousel = ig.containers.get(ig.media.at(-1)!.containerId)!;
    assert.equal(carousel.mediaType, 'CAROUSEL');
    assert.equal(carousel.caption, 'Photos and a clip from Localpost');
    const children = carousel.children!.map((id) => ig.containers.get(id)!);
    assert.deepEqual(
      children.map((child) => [child.mediaType, child.isCarouselItem, child.caption, child.media!.contentType, child.media!.altText]),
      [
        ['IMAGE', true, '', 'image/jpeg', 'A square picture'],
        ['IMAGE', true, '', 'image/jpeg', 'A wide picture'],
        ['VIDEO', true, '', 'video/mp4', null],
      ],
    );
    for (const child of children) assert.ok(child.media!.url.startsWith(`${s3.endpoint}/${s3.bucket}/`), child.media!.url);
    assert.ok(children[2]!.media!.bytes.equals(fs.readFileSync(videoFixtures.tiktok)));
    // Only the carousel became a post; its items never did on their own.
    assert.ok(children.every((child) => child.mediaId === undefined));
    assert.deepEqual(await s3.keys(), [], 'deleted from the bucket');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.locator('.history-post').filter({ hasText: 'Photos and a clip from Localpost' });
    await history.getByText('published', { exact: true }).first().waitFor();
    await history.locator(`a[href="${ig.media.at(-1)!.permalink}"]`).first().waitFor();
    await page.screenshot({ path: '/tmp/instagram-history-mixed-carousel.png', fullPage: true });
    assert.deepEqual(ig.violations, []);
  });
});
