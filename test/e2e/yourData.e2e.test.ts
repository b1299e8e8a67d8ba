// Settings → Your data through the real UI in Chromium, with accounts of several kinds (Bluesky on
// a real PDS, Mastodon on its OAuth server and API mock, Discord and Telegram on their contract
// mocks): the data folder shown in the file manager, an export that holds the user's data and no
// secret, and Delete everything, after which the platforms saw the sessions end, the app starts
// afresh and nothing of the old data is left in the data folder.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectAnyway, launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { startPds, type TestPds } from '../harness/pds';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';
import { waitFor } from '../harness/waitFor';
import {
  discordWebhook,
  discordWebhookUrl,
  startWebhookPlatformMocks,
  telegramBotToken,
  telegramChat,
  type WebhookPlatformMocks,
} from '../harness/webhookPlatformMocks';
import { smallPng } from '../fixtures/images';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: TestPds;
let mocks: WebhookPlatformMocks;
let instance: MastodonServer;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let bob: Awaited<ReturnType<TestPds['createAccount']>>;
before(async () => {
  [pds, mocks, instance] = await Promise.all([startPds(), startWebhookPlatformMocks(), startMastodonServer()]);
  alice = await pds.createAccount('alice');
  bob = await pds.createAccount('bob');
});
after(async () => {
  await Promise.all([pds.close(), mocks.close(), instance.close()]);
});

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `your-data-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

async function open(): Promise<LaunchedApp> {
  const app = await launchApp({ env: { ...mocks.env, ...instance.env } });
  openApps.add(app);
  return app;
}

/** Every secret the platforms handed out in this file, and the app's own wrapped data key. */
function knownSecrets(wrappedKey: string): string[] {
  return [
    alice.appPassword,
    alice.password,
    bob.appPassword,
    bob.password,
    discordWebhook.token,
    discordWebhookUrl,
    telegramBotToken,
    telegramBotToken.split(':')[1]!,
    ...instance.apps.map((registered) => registered.clientSecret),
    wrappedKey,
  ];
}

async function addAccount(page: Page, platform: string, fields: Record<string, string>, shownAs: string) {
  await openConnectForm(page, platform);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(shownAs, { exact: true }).first().waitFor();
}

async function addBluesky(page: Page, who: { handle: string; appPassword: string }) {
  await openConnectForm(page, 'Bluesky');
  for (const [label, value] of Object.entries({ Handle: who.handle, 'App password': who.appPassword, 'Hosting provider': pds.url })) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  // The test PDS is on this machine: the app asks first, as for any self-hosted server.
  await connectAnyway(page);
  await page.getByText(`@${who.handle}`, { exact: true }).first().waitFor();
}

async function addWebhookAndBot(page: Page) {
  await addAccount(page, 'Discord', { 'Webhook URL': discordWebhookUrl }, 'announcements');
  await addAccount(page, 'Telegram', { 'Bot token': telegramBotToken, 'Chat ID': `@${telegramChat.username}` }, telegramChat.title);
}

async function addMastodon(app: LaunchedApp) {
  await openConnectForm(app.page, 'Mastodon');
  await app.page.getByLabel('Instance', { exact: true }).fill('@alice@social.example');
  await app.page.getByRole('button', { name: 'Connect', exact: true }).click();
  await connectAnyway(app.page);
  const consentUrl = await waitFor(() => app.openedUrls.find((url) => url.startsWith(instance.oauth.endpoints.authorizeUrl)), 'the consent page');
  await playBrowser(consentUrl);
  await app.page.getByText('Connected as Alice (@alice@social.example) on social.example.').waitFor();
}

/** Compose → only these targets ticked → text → Publish, until every target is published. */
async function publish(page: Page, text: string, targets: string[]) {
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  for (const box of await page.locator('.targets').getByRole('checkbox').all()) {
    const name = await box.evaluate((input) => (input as unknown as { labels: Array<{ textContent: string | null }> }).labels[0]?.textContent ?? '');
    const wanted = targets.some((target) => name.includes(target));
    if ((await box.isChecked()) !== wanted) await box.setChecked(wanted);
  }
  await page.getByLabel('Post text').fill(text);
  await page.getByRole('button', { name: 'Publish' }).click();
  const result = page.getByRole('region', { name: 'Publish result' });
  await result.getByText('published', { exact: true }).nth(targets.length - 1).waitFor();
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A new draft with text and one image with alt text, saved. */
async function draftWithImage(app: LaunchedApp, text: string) {
  const { page } = app;
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  await page.getByLabel('Post text').fill(text);
  const png = path.join(screenshots, 'your-data-fixture.png');
  fs.writeFileSync(png, await smallPng(120, 80));
  await page.getByLabel('Add image').setInputFiles(png);
  await page.getByLabel('Alt text for image 1').fill('A blue rectangle');
  await until(
    async () => (await app.core.handlers['drafts.list']({})).some((draft) => draft.text === text && draft.images[0]?.alt === 'A blue rectangle'),
    'the draft and its alt text saved',
  );
}

function wrappedKeyOf(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'localpost.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM vault_meta WHERE key = 'wrappedKey'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

describe('Settings → Your data (Chromium)', () => {
  it('Show data folder opens the data folder in the file manager; its path never reaches the page', async () => {
    const app = await open();
    const { page } = app;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Your data' });
    await section.waitFor();
    await section.screenshot({ path: path.join(screenshots, 'settings-your-data.png') });
    await section.getByRole('button', { name: 'Show data folder' }).click();
    await waitFor(() => (app.shownFolders.length > 0 ? true : undefined), 'the file manager');
    assert.deepEqual(app.shownFolders, [app.dataDir]);
    assert.ok(!(app.bridgeTraffic.join('\n') + (await page.content())).includes(app.dataDir), 'the data folder path reached the page');
    await app.close();
    openApps.delete(app);
  });

  it('Export my data writes the drafts, posts with their links, accounts and settings, and no secret', async () => {
    const app = await open();
    const { page } = app;
    await addBluesky(page, alice);
    await addWebhookAndBot(page);
    await publish(page, 'Published from Localpost', [`@${alice.handle}`, telegramChat.title]);
    await draftWithImage(app, 'A draft with a picture');

    const exportRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-export-to-'));
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Your data' });
    // Cancel in the folder dialog: nothing is written.
    app.answerFolderDialog(null);
    await section.getByRole('button', { name: 'Export my data…' }).click();
    await section.getByRole('button', { name: 'Export my data…' }).waitFor();
    assert.deepEqual(fs.readdirSync(exportRoot), []);

    app.answerFolderDialog(exportRoot);
    await section.getByRole('button', { name: 'Export my data…' }).click();
    const saved = section.getByRole('status').filter({ hasText: 'Saved “Localpost export' });
    await saved.waitFor();
    await section.screenshot({ path: path.join(screenshots, 'settings-your-data-exported.png') });

    const [folder, ...others] = fs.readdirSync(exportRoot);
    assert.deepEqual(others, [], 'one folder, no partial one left');
    assert.match(folder!, /^Localpost export \d{4}-\d{2}-\d{2}$/);
    assert.match((await saved.innerText()), new RegExp(`Saved “${folder}”: 1 draft, 1 post, 3 accounts, 1 image`));
    const exportDir = path.join(exportRoot, folder!);
    const document = JSON.parse(fs.readFileSync(path.join(exportDir, 'localpost-export.json'), 'utf8'));
    assert.equal(document.format, 'localpost-export');
    assert.equal(document.version, 1);
    assert.equal(document.settings.missedSchedule, 'ask');
    const profile = document.profiles.find((p: { id: string }) => p.id === document.activeProfileId);

    // Accounts: each one, described by what is not secret.
    assert.deepEqual(profile.accounts.map((a: { platform: string }) => a.platform).sort(), ['bluesky', 'discord', 'telegram']);
    for (const account of profile.accounts) {
      assert.deepEqual(Object.keys(account).sort(), [
        'connectedAt', 'disconnectedAt', 'displayName', 'handle', 'id', 'limits', 'platform', 'postingSlots', 'remoteId', 'service', 'spendingCap', 'status', 'statusReason',
      ]);
    }
    // The draft, with its image beside the document.
    const [draft] = profile.drafts.filter((d: { text: string }) => d.text === 'A draft with a picture');
    assert.equal(draft.images.length, 1);
    assert.equal(draft.images[0].alt, 'A blue rectangle');
    assert.ok(fs.statSync(path.join(exportDir, draft.images[0].file)).size > 0);
    // The post, with each target's state, remote id and link.
    const [post] = profile.posts.filter((p: { text: string }) => p.text === 'Published from Localpost');
    const telegram = post.targets.find((t: { platform: string }) => t.platform === 'telegram');
    assert.equal(telegram.status, 'published');
    assert.match(telegram.url, /^https:\/\/t\.me\/localpostnews\/\d+$/);
    const bluesky = post.targets.find((t: { platform: string }) => t.platform === 'bluesky');
    assert.equal(bluesky.status, 'published');
    assert.match(bluesky.remoteId, /^at:\/\/did:plc:.+\/app\.bsky\.feed\.post\//);

    // No secret in any exported file, nor in anything the page received.
    const secrets = knownSecrets(wrappedKeyOf(app.dataDir));
    const files = filesUnder(exportDir);
    assert.equal(files.length, 2, 'the document and the image');
    for (const file of files) assert.deepEqual(secretsInFile(file, secrets), [], `a secret in ${file}`);
    assert.deepEqual(secretsIn(app.bridgeTraffic.join('\n'), secrets), [], 'a secret crossed the bridge');
    await app.close();
    openApps.delete(app);
    fs.rmSync(exportRoot, { recursive: true, force: true });
  });

  it('Delete everything asks for DELETE, ends the sessions at the platforms, and starts afresh with nothing of the old data left', async () => {
    const app = await open();
    const { page } = app;
    await addBluesky(page, bob);
    await addMastodon(app);
    await addWebhookAndBot(page);
    await publish(page, 'Posted before the big delete', ['announcements', '@alice@social.example']);
    await draftWithImage(app, 'Words that must disappear');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Require alt text').check();

    const dataDir = app.dataDir;
    const oldWrappedKey = wrappedKeyOf(dataDir);
    const oldAccountIds = (await app.core.handlers['accounts.list']({})).map((account) => account.id);
    assert.equal(oldAccountIds.length, 4);
    assert.ok(filesUnder(path.join(dataDir, 'media')).length > 0, 'the draft image is in the data folder');
    assert.match(fs.readFileSync(path.join(dataDir, 'logs', 'localpost.log'), 'utf8'), /Account connected/);
    const sessionsEndedBefore = pds.requestCount('com.atproto.server.deleteSession');
    const revocationsBefore = instance.oauth.revocationRequestCount();

    // Two deliberate steps: the button opens the confirmation, whose button needs DELETE typed.
    const section = page.getByRole('region', { name: 'Your data' });
    await section.getByRole('button', { name: 'Delete everything…' }).click();
    const confirm = section.getByRole('form', { name: 'This cannot be undone' });
    const destroy = confirm.getByRole('button', { name: 'Delete everything', exact: true });
    assert.equal(await destroy.isDisabled(), true);
    assert.equal(await confirm.getByLabel('Sign out at each platform first').isChecked(), true, 'revoking is on by default');
    await confirm.getByLabel('Type DELETE to confirm').fill('delete');
    assert.equal(await destroy.isDisabled(), true, 'the word must be typed exactly');
    await confirm.getByLabel('Type DELETE to confirm').fill('DELETE');
    assert.equal(await destroy.isDisabled(), false);
    await section.screenshot({ path: path.join(screenshots, 'settings-your-data-delete-confirm.png') });
    await destroy.click();
    await app.whenRestarted();

    // A fresh start: no accounts, no drafts, no history, default settings.
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await page.getByText('No accounts yet').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'after-delete-everything.png'), fullPage: true });
    assert.deepEqual(await app.core.handlers['accounts.list']({}), []);
    assert.deepEqual(await app.core.handlers['history.list']({}), []);
    assert.deepEqual((await app.core.handlers['drafts.list']({})).filter((draft) => draft.text !== ''), []);
    assert.equal((await app.core.handlers['settings.get']({})).requireAltText, false);

    // The platforms that can end a session were asked to; a Discord webhook is left alone for the
    // others who post through it (there is nothing of ours to revoke), and only forgotten here.
    assert.equal(pds.requestCount('com.atproto.server.deleteSession'), sessionsEndedBefore + 1);
    assert.equal(instance.oauth.revocationRequestCount(), revocationsBefore + 1);
    assert.equal(mocks.requests.filter((r) => r.method === 'DELETE').length, 0);

    // The data folder: a new empty vault, no old rows, media, log lines or secrets in any file.
    const db = new Database(path.join(dataDir, 'localpost.sqlite'), { readonly: true });
    const rows = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.deepEqual(
      { accounts: rows('accounts'), secrets: rows('secrets'), posts: rows('posts'), post_targets: rows('post_targets'), draft_images: rows('draft_images') },
      { accounts: 0, secrets: 0, posts: 0, post_targets: 0, draft_images: 0 },
    );
    db.close();
    assert.notEqual(wrappedKeyOf(dataDir), oldWrappedKey, 'the old wrapped data key is gone');
    assert.deepEqual(fs.existsSync(path.join(dataDir, 'media')) ? filesUnder(path.join(dataDir, 'media')) : [], []);
    assert.doesNotMatch(fs.readFileSync(path.join(dataDir, 'logs', 'localpost.log'), 'utf8'), /Account connected|Deleting everything/);
    const oldTraces = [
      ...knownSecrets(oldWrappedKey),
      'Words that must disappear',
      'Posted before the big delete',
      'A blue rectangle',
      bob.handle,
      bob.did,
      'social.example',
      telegramChat.title,
      'announcements',
      ...oldAccountIds,
    ];
    const files = filesUnder(dataDir);
    assert.ok(files.some((file) => file.endsWith('localpost.sqlite')), 'the new database was scanned');
    for (const file of files) assert.deepEqual(secretsInFile(file, oldTraces), [], `old data in ${file}`);
    await app.close();
    openApps.delete(app);
  });
});
