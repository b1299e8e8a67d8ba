// Egress is a tested promise: through the real UI in Chromium, a person connects one account of
// every platform, composes a post with a link and an image, publishes it everywhere, lets a token
// refresh, and disconnects everything, while every connection and HTTP request this process makes
// is recorded below the core (Node's diagnostics channels: whatever made it, fetch, node:http or a
// raw socket) and every request the page makes is recorded by the browser. Each must go to a host
// of a platform the user connected, or to the link the user typed: no fonts, no analytics, no
// update check, nothing else.
//
// The PDS runs in a process of its own (its own requests, to its PLC directory, are a server's,
// not ours); the consent pages are answered in a separate Chromium window, as the system browser
// would show them, so they are not the app's requests either.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { smallPng } from '../fixtures/images';
import { connectAnyway, launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { recordEgress, type EgressRecording } from '../harness/egress';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { startPdsProcess, type PdsProcess } from '../harness/pdsProcess';
import { waitFor } from '../harness/waitFor';
import { discordWebhookUrl, slackWebhookUrl, startWebhookPlatformMocks, telegramBotToken, telegramChat, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { startXServer, type XServer } from '../harness/xServer';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: PdsProcess;
let mastodon: MastodonServer;
let x: XServer;
let hooks: WebhookPlatformMocks;
let linkedSite: { origin: string; hits: string[]; close(): Promise<void> };

before(async () => {
  [pds, mastodon, x, hooks, linkedSite] = await Promise.all([
    startPdsProcess(),
    startMastodonServer(),
    // Tokens that live 12 seconds: a refresh falls inside the test.
    startXServer({ accessTokenTtlSeconds: 12 }),
    startWebhookPlatformMocks(),
    startLinkedSite(),
  ]);
});
after(async () => {
  await Promise.all([pds?.close(), mastodon?.close(), x?.close(), hooks?.close(), linkedSite?.close()]);
});

/** The page a user links to: Open Graph tags and an image, like any article. */
async function startLinkedSite() {
  const hits: string[] = [];
  const image = await smallPng(240, 120);
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url === '/card.png') return void response.writeHead(200, { 'content-type': 'image/png' }).end(image);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<html><head><title>A page</title><meta property="og:title" content="Worth reading"><meta property="og:image" content="/card.png"></head></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Answers a consent page in a window of its own, as the system browser would show it. */
async function allowInSystemBrowser(page: Page, consentUrl: string): Promise<void> {
  const systemBrowser = await page.context().browser()!.newContext();
  try {
    const tab = await systemBrowser.newPage();
    await tab.goto(consentUrl);
    await tab.getByRole('button', { name: 'Allow' }).click();
    await tab.getByText(/you can close this/i).first().waitFor();
  } finally {
    await systemBrowser.close();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function fillAndConnect(page: Page, platform: string, fields: Record<string, string>) {
  await openConnectForm(page, platform);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

describe('egress (Chromium)', () => {
  let app: LaunchedApp;
  let egress: EgressRecording;
  const pageRequests: string[] = [];

  it('connect, compose with a link and an image, publish everywhere, refresh and disconnect: every request goes to a connected platform or the typed link', async (t) => {
    const alice = await pds.createAccount('alice');
    // The linked page is a fixture on this machine: exempt from the address policy, as a public
    // site would need no exemption.
    app = await launchApp({ env: { ...mastodon.env, ...x.env, ...hooks.env }, allowPrivateAddressesFor: [linkedSite.origin] });
    const { page } = app;
    const appOrigin = new URL(page.url()).origin;
    page.on('request', (request) => pageRequests.push(request.url()));
    egress = recordEgress();
    try {
      // Connect one account of every platform.
      // The local servers are on this machine's own address: the app asks first, as it would
      // for a self-hosted server.
      await fillAndConnect(page, 'Bluesky', { Handle: alice.handle, 'App password': alice.appPassword, 'Hosting provider': pds.url });
      await connectAnyway(page);
      await page.getByText(`@${alice.handle}`).first().waitFor();

      await fillAndConnect(page, 'Mastodon', { Instance: '@alice@social.example' });
      await connectAnyway(page);
      await allowInSystemBrowser(page, await waitFor(() => app.openedUrls.find((url) => url.startsWith(mastodon.oauth.endpoints.authorizeUrl)), 'the Mastodon consent page'));
      await page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();

      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByLabel('Client ID').fill(x.oauth.clients.confidentialBasic.clientId);
      await page.getByLabel('Client secret').fill(x.oauth.clients.confidentialBasic.clientSecret);
      await page.getByLabel('Redirect port').fill(String(x.oauth.fixedRedirectPort));
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved. You can connect an X account under Accounts.').waitFor();
      await openConnectForm(page, 'X');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await allowInSystemBrowser(page, await waitFor(() => app.openedUrls.find((url) => url.startsWith(x.oauth.endpoints.authorizeUrl)), 'the X consent page'));
      await page.getByText('Connected as Alice (@alice) on x.com.').waitFor();
      const xTokenRequests = x.oauth.tokenRequestCount();

      await fillAndConnect(page, 'Discord', { 'Webhook URL': discordWebhookUrl });
      await page.getByText('announcements', { exact: true }).first().waitFor();
      await fillAndConnect(page, 'Slack', { 'Webhook URL': slackWebhookUrl, 'Channel name': '#general' });
      await page.getByText('#general', { exact: true }).first().waitFor();
      await fillAndConnect(page, 'Telegram', { 'Bot token': telegramBotToken, 'Chat ID': `@${telegramChat.username}` });
      await page.getByText(telegramChat.title, { exact: true }).first().waitFor();

      // Compose with a link (its card is built from the page itself) and an image, for every
      // account that takes images; then a text post for Slack, whose webhooks take text only.
      const imageTargets = [`@${alice.handle}`, '@alice@social.example', '@alice', 'announcements', telegramChat.title];
      const publish = async (targets: string[], text: string, withImage: boolean) => {
        await page.getByRole('button', { name: 'Compose', exact: true }).click();
        for (const label of [...imageTargets, '#general']) {
          await page.getByRole('checkbox', { name: label, exact: true }).setChecked(targets.includes(label));
        }
        await page.getByLabel('Post text').fill(text);
        if (text.includes(linkedSite.origin)) await page.getByRole('region', { name: 'Link card' }).getByText('Worth reading').waitFor();
        if (withImage) {
          await page.getByLabel('Add image').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await smallPng(320, 200) });
          await page.getByLabel('Alt text for image 1').fill('A small picture');
        }
        await page.getByText('Saved', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Publish' }).click();
        const result = page.getByRole('region', { name: 'Publish result' });
        await until(async () => (await result.getByText('published', { exact: true }).count()) === targets.length, 20_000);
      };
      await publish(imageTargets, `Worth reading ${linkedSite.origin}/article`, true);
      await page.screenshot({ path: path.join(screenshots, 'egress-published.png'), fullPage: true });
      await publish(['#general'], 'And a word for Slack', false);

      // X's 12-second token is refreshed on its schedule.
      await waitFor(() => (x.oauth.tokenRequestCount() > xTokenRequests ? true : undefined), 'the X token refresh', 800);

      // Disconnect everything (revoking where the platform can).
      await page.getByRole('button', { name: 'Accounts', exact: true }).click();
      const cards = page.locator('.account-card');
      for (let left = await cards.count(); left > 0; left--) {
        const card = cards.first();
        await card.getByRole('button', { name: 'Disconnect' }).click();
        await card.getByRole('group').getByRole('button', { name: 'Disconnect' }).click();
        await until(async () => (await cards.count()) === left - 1);
      }
      assert.equal(await cards.count(), 0);
    } finally {
      egress.stop();
      await app.close();
    }

    const allowed = new Map<string, string>([
      [new URL(pds.url).origin, 'Bluesky (the hosting provider typed)'],
      [new URL(pds.plcUrl).origin, "Bluesky (the PLC directory, checking the account's DID)"],
      [mastodon.origin, 'Mastodon (the instance)'],
      [new URL(x.oauth.endpoints.apiBase).origin, 'X (API and OAuth server)'],
      [new URL(hooks.env.LOCALPOST_DISCORD_API_BASE!).origin, 'Discord, Slack and Telegram (their contract mock)'],
      [linkedSite.origin, 'the link the user typed'],
    ]);
    const byOrigin = new Map<string, number>();
    for (const request of egress.requests) byOrigin.set(request.origin, (byOrigin.get(request.origin) ?? 0) + 1);
    t.diagnostic(`egress: ${egress.requests.length} requests, ${egress.connections.length} connections`);
    for (const [origin, count] of byOrigin) t.diagnostic(`  ${count} to ${origin} (${allowed.get(origin) ?? 'NOT ALLOWED'})`);
    const stray = egress.requests.filter((request) => !allowed.has(request.origin));
    assert.deepEqual(stray, [], 'requests to a host of no connected platform');
    // Connections are recorded by address: `localhost` is 127.0.0.1 or ::1.
    const addressesOf = (hostname: string) => (hostname === 'localhost' ? ['127.0.0.1', '::1'] : [hostname]);
    const allowedAddresses = new Set(
      [...allowed.keys()].flatMap((origin) => addressesOf(new URL(origin).hostname).map((address) => `${address}:${new URL(origin).port}`)),
    );
    const strayConnections = egress.connections.filter((connection) => !allowedAddresses.has(connection.replace(/^::ffff:/, '')));
    assert.deepEqual(strayConnections, [], 'connections to a host of no connected platform');
    // Not vacuous: every platform was really reached, and the linked page was read.
    for (const [origin, what] of allowed) assert.ok(byOrigin.has(origin), `nothing went to ${what}`);
    assert.ok(linkedSite.hits.includes('/article') && linkedSite.hits.includes('/card.png'));

    const outside = pageRequests.filter((url) => !url.startsWith(`${appOrigin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    t.diagnostic(`the page made ${pageRequests.length} requests, ${outside.length} outside the app`);
    assert.deepEqual(outside, [], 'the page asked for something outside the app');
  });
});
