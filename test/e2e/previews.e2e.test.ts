// The composer's previews through the real UI in Chromium: accounts on X, Mastodon, LinkedIn,
// Discord and Telegram connected as a user does (contract mocks, browser sign-ins), a text with a
// link, mentions and a tag, an image with alt text, a link card and a video. Each platform's
// preview shows what that platform would: X's shortened link counted as 23, Mastodon's remote mention and content warning,
// LinkedIn's "…see more" on a long text with its @ and # left plain, Discord's markdown, the ALT
// badge where the platform wears one; and each follows the text as it is typed. Screenshots of
// the panel in both themes, and axe on the composer with every preview.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import twitterText from 'twitter-text';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import { connectAnyway, launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { seriousViolations } from '../harness/axe';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';
import { discordWebhookUrl, startWebhookPlatformMocks, telegramBotToken, telegramChat, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { startXServer, type XServer } from '../harness/xServer';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });
const link = 'https://example.com/a/very/long/path/that/goes/on';
const text = `Launch day, **thanks** @carol and @bob@social.example! #localpost ${link}`;

let x: XServer;
let linkedin: LinkedInServer;
let mastodon: MastodonServer;
let hooks: WebhookPlatformMocks;
let app: LaunchedApp;
let page: Page;
// A page with Open Graph tags, for the link card: this test's fixture on 127.0.0.1, exempt from
// the public-only rule.
const pages = http.createServer((_request, response) =>
  response
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<html><head><meta property="og:title" content="A page worth sharing"><meta property="og:description" content="Its description"></head></html>'),
);
let pageUrl: string;

before(async () => {
  [x, linkedin, mastodon, hooks] = await Promise.all([startXServer(), startLinkedInServer(), startMastodonServer(), startWebhookPlatformMocks()]);
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  pageUrl = `${origin}/post`;
  app = await launchApp({ env: { ...x.env, ...linkedin.env, ...mastodon.env, ...hooks.env }, allowPrivateAddressesFor: [origin] });
  page = app.page;
});
after(async () => {
  await page.screenshot({ path: path.join(screenshots, 'previews-last.png'), fullPage: true }).catch(() => {});
  await app.close();
  pages.close();
  await Promise.all([x.close(), linkedin.close(), mastodon.close(), hooks.close()]);
});

/** Settings' developer app for X or LinkedIn, then Connect and Allow in the "system browser". */
async function connectWithDeveloperApp(platform: 'X' | 'LinkedIn', client: { clientId: string; clientSecret: string }, port: number, authorizeUrl: string) {
  await openConnectForm(page, platform);
  await page.getByRole('button', { name: `Set up your ${platform} developer app` }).click();
  await page.getByLabel('Client ID').fill(client.clientId);
  await page.getByLabel('Client secret').fill(client.clientSecret);
  await page.getByLabel('Redirect port').fill(String(port));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText(`Saved. You can connect ${platform === 'X' ? 'an X' : 'a LinkedIn'} account under Accounts.`).waitFor();
  await openConnectForm(page, platform);
  const opened = app.openedUrls.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await playBrowser(await waitFor(() => app.openedUrls.slice(opened).find((url) => url.startsWith(authorizeUrl)), 'the consent page'));
}

const panel = () => page.getByRole('region', { name: 'Preview' });
const preview = (platform: string) => panel().getByRole('article', { name: new RegExp(`^Preview on ${platform} as `) });
async function showTab(name: string): Promise<Locator> {
  await panel().getByRole('tab', { name }).click();
  return panel().getByRole('tabpanel');
}
const runs = (scope: Locator, kind: string) => scope.locator(`.preview-link[data-kind="${kind}"]`).allTextContents();

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('post previews (Chromium)', () => {
  it('connects an account on each of five platforms', async () => {
    await openConnectForm(page, 'Discord');
    await page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('announcements', { exact: true }).first().waitFor();

    await openConnectForm(page, 'Telegram');
    await page.getByLabel('Bot token', { exact: true }).fill(telegramBotToken);
    await page.getByLabel('Chat ID', { exact: true }).fill(`@${telegramChat.username}`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(telegramChat.title, { exact: true }).first().waitFor();

    await openConnectForm(page, 'Mastodon');
    await page.getByLabel('Instance', { exact: true }).fill('social.example');
    const opened = app.openedUrls.length;
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await connectAnyway(page);
    await playBrowser(await waitFor(() => app.openedUrls[opened], 'the Mastodon consent page'));
    await page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();

    await connectWithDeveloperApp('X', x.oauth.clients.confidentialBasic, x.oauth.fixedRedirectPort, x.oauth.endpoints.authorizeUrl);
    await page.locator('.account-card', { hasText: '@alice' }).filter({ hasText: 'X' }).first().waitFor();
    await connectWithDeveloperApp('LinkedIn', linkedin.client, linkedin.oauth.fixedRedirectPort, linkedin.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!);
    await page.locator('.account-card', { hasText: 'Alice Example' }).getByText('connected', { exact: true }).waitFor();
    assert.equal((await app.core.handlers['accounts.list']({})).length, 5);
  });

  it('shows each platform’s preview of the text and the image', async () => {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const boxes = page.locator('.targets').getByRole('checkbox');
    for (const box of await boxes.all()) if (!(await box.isChecked())) await box.check();
    await page.getByLabel('Post text').fill(text);
    await page.getByLabel('Add image').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await smallPng(320, 200) });
    await page.getByLabel('Alt text for image 1').fill('A blue rectangle');
    assert.deepEqual(await panel().getByRole('tab').allTextContents(), [
      'announcements on Discord',
      'Localpost news on Telegram',
      '@alice@social.example on Mastodon',
      '@alice on X',
      'Alice Example on LinkedIn',
    ]);

    // X: the link as X writes it, mentions of usernames, the tag; the count takes the link as 23.
    const onX = await showTab('@alice on X');
    await preview('X').waitFor();
    assert.deepEqual(await runs(onX, 'link'), ['example.com/a/very/long/…']);
    assert.equal(await onX.locator('.preview-link[data-kind="link"]').getAttribute('title'), link);
    assert.deepEqual(await runs(onX, 'mention'), ['@carol', '@bob']);
    assert.deepEqual(await runs(onX, 'hashtag'), ['#localpost']);
    const weighted = twitterText.parseTweet(text).weightedLength;
    assert.equal(weighted, text.length - link.length + 23);
    assert.equal(await onX.locator('.preview-length-count').textContent(), String(weighted));
    await onX.getByText(`of 280 characters · each link counts as 23 (t.co)`).waitFor();
    await onX.getByText('ALT', { exact: true }).waitFor();
    assert.equal(await onX.getByRole('img', { name: 'A blue rectangle' }).count(), 1);
    // Markdown means nothing on X.
    assert.match((await onX.locator('.preview-text').textContent()) ?? '', /\*\*thanks\*\*/);

    // Mastodon: the remote mention whole, the full address (only links with a scheme), ALT.
    const onMastodon = await showTab('@alice@social.example on Mastodon');
    assert.deepEqual(await runs(onMastodon, 'mention'), ['@carol', '@bob@social.example']);
    assert.deepEqual(await runs(onMastodon, 'link'), [link]);
    await onMastodon.getByText('ALT', { exact: true }).waitFor();

    // Discord: its markdown, the link, no mentions or tags from plain text, no ALT badge.
    const onDiscord = await showTab('announcements on Discord');
    assert.equal(await onDiscord.locator('strong', { hasText: 'thanks' }).count(), 1);
    assert.deepEqual(await runs(onDiscord, 'link'), [link]);
    assert.deepEqual(await runs(onDiscord, 'mention'), []);
    assert.equal(await onDiscord.getByText('ALT', { exact: true }).count(), 0);
    await onDiscord.getByText('APP', { exact: true }).waitFor();

    // Telegram: the photo first, then the caption, with its @usernames and #tags linked.
    const onTelegram = await showTab('Localpost news on Telegram');
    assert.deepEqual(await runs(onTelegram, 'hashtag'), ['#localpost']);
    const [imageTop, textTop] = await Promise.all([onTelegram.locator('.preview-image').boundingBox(), onTelegram.locator('.preview-text').boundingBox()]);
    assert.ok(imageTop!.y < textTop!.y, 'Telegram puts the photo above its caption');

    // LinkedIn: @ and # stay as typed (Localpost escapes them); a short text is not cut.
    const onLinkedIn = await showTab('Alice Example on LinkedIn');
    assert.deepEqual(await runs(onLinkedIn, 'hashtag'), []);
    assert.deepEqual(await runs(onLinkedIn, 'mention'), []);
    assert.equal(await onLinkedIn.getByRole('button', { name: '…see more' }).count(), 0);
  });

  it('follows the text as it is typed, and cuts a long LinkedIn post with “…see more”', async () => {
    const field = page.getByLabel('Post text');
    await field.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' and #more');
    const onLinkedIn = panel().getByRole('tabpanel');
    await onLinkedIn.getByText(/and #more$/).waitFor();

    const long = `${'A long story about the launch, told slowly. '.repeat(6)}The end is here.`;
    await field.fill(long);
    const more = onLinkedIn.getByRole('button', { name: '…see more' });
    await more.waitFor();
    const shown = (await onLinkedIn.locator('.preview-text').textContent())!;
    assert.ok(!shown.includes('The end is here.'), 'the cut text is hidden');
    assert.equal([...shown.replace('…see more', '')].length, 210);
    await panel().screenshot({ path: path.join(screenshots, 'previews-linkedin-cut.png') });
    await more.click();
    await onLinkedIn.getByText(/The end is here\.$/).waitFor();
    assert.equal(await more.count(), 0);

    // X follows too: its count after typing a second link.
    const onX = await showTab('@alice on X');
    await field.fill(text);
    await field.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' https://example.org/x');
    const typed = `${text} https://example.org/x`;
    // Any address counts 23, so "https://example.org/" already counts what the whole one does:
    // wait for the last letter, then read the count.
    await until(async () => (await runs(onX, 'link')).at(-1) === 'example.org/x', 'the second link typed');
    assert.equal(await onX.locator('.preview-length-count').textContent(), String(twitterText.parseTweet(typed).weightedLength));
    assert.equal(twitterText.parseTweet(typed).weightedLength, twitterText.parseTweet(text).weightedLength + 1 + 23);
    assert.deepEqual(await runs(onX, 'link'), ['example.com/a/very/long/…', 'example.org/x']);
  });

  it('shows what each account posts: a reply chain as a thread where the platform has one, one post elsewhere, a platform’s own text', async () => {
    await page.getByLabel('Post text', { exact: true }).fill('First post');
    await page.getByRole('button', { name: 'Add a post to the thread' }).first().click();
    await page.getByLabel('Post text, post 2 of 2', { exact: true }).fill('Second post #two');
    const onX = await showTab('@alice on X');
    await until(async () => (await onX.locator('.preview-text').allTextContents()).join('|') === 'First post|Second post #two', 'the X thread');
    assert.equal(await onX.locator('.preview-post').count(), 2);
    assert.equal(await onX.locator('.preview-thread').getAttribute('data-thread'), 'true');
    // LinkedIn takes no replies: the chain is one post, its parts a blank line apart.
    const onLinkedIn = await showTab('Alice Example on LinkedIn');
    assert.deepEqual(await onLinkedIn.locator('.preview-text').allTextContents(), ['First post\n\nSecond post #two']);
    await panel().screenshot({ path: path.join(screenshots, 'previews-chain-linkedin.png') });

    await page.getByRole('button', { name: 'Write a version for LinkedIn' }).click();
    await page.getByLabel('Text for LinkedIn, post 1 of 2', { exact: true }).fill('Only on LinkedIn');
    await until(async () => (await onLinkedIn.locator('.preview-text').textContent()) === 'Only on LinkedIn\n\nSecond post #two', 'LinkedIn’s own text');
    await showTab('@alice on X');
    assert.deepEqual(await onX.locator('.preview-text').allTextContents(), ['First post', 'Second post #two']);

    await page.getByRole('button', { name: 'Use the main text again' }).click();
    await page.getByRole('button', { name: 'Remove post 2' }).click();
    await page.getByLabel('Post text', { exact: true }).fill(text);
    await until(async () => (await onX.locator('.preview-post').count()) === 1, 'a single post again');
  });

  it('hides a Mastodon post behind its content warning until opened', async () => {
    await page.getByLabel('Content warning').fill('Launch spoilers');
    const onMastodon = await showTab('@alice@social.example on Mastodon');
    await onMastodon.getByText('Launch spoilers', { exact: true }).waitFor();
    const toggle = onMastodon.getByRole('button', { name: 'Show more' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await onMastodon.locator('.preview-text').count(), 0);
    assert.equal(await onMastodon.getByRole('img', { name: 'A blue rectangle' }).count(), 0);
    await toggle.click();
    await onMastodon.locator('.preview-text').waitFor();
    assert.equal(await onMastodon.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded'), 'true');
  });

  it('shows the draft’s link card under a text without media, where the platform shows one', async () => {
    await page.getByRole('button', { name: 'Remove image' }).click();
    await page.getByLabel('Post text').fill(`Read this ${pageUrl}`);
    await page.getByRole('region', { name: 'Link card' }).getByText('A page worth sharing').waitFor();
    const onX = await showTab('@alice on X');
    await onX.locator('.preview-card').getByText('A page worth sharing').waitFor();
    await onX.locator('.preview-card').getByText('127.0.0.1', { exact: false }).waitFor();
    const onDiscord = await showTab('announcements on Discord');
    await onDiscord.locator('.preview-card').getByText('Its description').waitFor();
    assert.deepEqual(await runs(onDiscord, 'link'), [pageUrl]);
    await panel().screenshot({ path: path.join(screenshots, 'previews-discord-card.png') });
    // LinkedIn makes no card for a post made through its API.
    const onLinkedIn = await showTab('Alice Example on LinkedIn');
    await onLinkedIn.getByText(/^Read this /).waitFor();
    assert.equal(await onLinkedIn.locator('.preview-card').count(), 0);
    await page.getByLabel('Post text').fill(text);
  });

  it('shows the video’s poster and length where the image was', async () => {
    app.answerFileDialog(videoFixtures.webm);
    await page.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('figure', { name: 'Video' }).getByRole('img', { name: 'Video poster frame' }).waitFor();
    const onX = await showTab('@alice on X');
    const poster = onX.locator('.preview-video');
    await poster.getByRole('img', { name: 'Video, 0:01' }).waitFor();
    assert.equal(await poster.locator('.preview-duration').textContent(), '0:01');
    // A video takes the card's place.
    assert.equal(await onX.locator('.preview-card').count(), 0);
    await page.getByRole('figure', { name: 'Video' }).getByLabel('Alt text for the video').fill('A kite loops over a beach.');
    await poster.getByRole('img', { name: 'A kite loops over a beach.' }).waitFor();
  });

  it('moves between previews with the arrow keys', async () => {
    await panel().getByRole('tab', { name: '@alice@social.example on Mastodon' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await panel().getByRole('tab', { name: '@alice on X' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), '@alice on X');
    await page.keyboard.press('Home');
    assert.equal(await panel().getByRole('tab', { name: 'announcements on Discord' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await panel().getByRole('tab', { name: 'Alice Example on LinkedIn' }).getAttribute('aria-selected'), 'true');
  });

  it('passes axe with every preview, in both themes, and is photographed', async () => {
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      // Reduced motion: no colour is caught mid-transition when the theme changes.
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      for (const [tab, name] of [
        ['@alice on X', 'x'],
        ['@alice@social.example on Mastodon', 'mastodon'],
        ['Alice Example on LinkedIn', 'linkedin'],
        ['announcements on Discord', 'discord'],
        ['Localpost news on Telegram', 'telegram'],
      ] as const) {
        await showTab(tab);
        found.push(...(await seriousViolations(page, `${name} (${theme})`)));
        await panel().screenshot({ path: path.join(screenshots, `previews-${name}-${theme}.png`) });
      }
    }
    assert.deepEqual(found, [], `axe found serious or critical violations:\n${found.join('\n')}`);
  });
});
