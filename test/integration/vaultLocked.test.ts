// A key store that cannot give the vault key back right now (a locked keyring, a dismissed
// prompt, one launch with another password store) must cost nothing: through the real core, with
// an OAuth account (Mastodon), a webhook (Discord) and the X developer app's secret saved, a
// start with a failing key store keeps every secret, flips no account, holds queued posts, and
// Try again (or the next start) opens it all once the key store is back.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let instance: MastodonServer;
let mocks: WebhookPlatformMocks;
before(async () => {
  instance = await startMastodonServer();
  mocks = await startWebhookPlatformMocks();
});
after(() => {
  instance.close();
  mocks.close();
});

const start = (dataDir: string, keyStoreLocked = false) =>
  startCore({ dataDir, env: { ...instance.env, ...mocks.env, ...(keyStoreLocked ? { LOCALPOST_TEST_KEYRING_LOCKED: '1' } : {}) } });

async function connectMastodon(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page to open'), { decision: 'allow' });
  return (await pending).account;
}

function secretRows(dataDir: string): Array<{ id: string; ciphertext: Buffer }> {
  const db = new Database(path.join(dataDir, 'localpost.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, ciphertext FROM secrets ORDER BY id').all() as Array<{ id: string; ciphertext: Buffer }>;
  } finally {
    db.close();
  }
}

describe('a vault whose key store is locked', () => {
  it('keeps every secret and account, holds posts, and opens everything once the key store is back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-vault-locked-'));
    const first = await start(dataDir);
    const mastodon = await connectMastodon(first);
    const { account: discord } = await first.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    await first.call('developerApps.save', { platform: 'x', clientId: 'x-client-id', clientSecret: 'x-client-secret-value', redirectPort: 38_471 });
    first.close();
    const rowsBefore = secretRows(dataDir);
    assert.ok(rowsBefore.length >= 3, `secrets saved: ${rowsBefore.map((r) => r.id).join(', ')}`);

    // The key store refuses at start.
    const app = await start(dataDir, true);
    const locked = await app.call('vault.status', {});
    assert.equal(locked.locked, true);
    assert.equal(locked.lockedReason?.code, 'key_store_unavailable');
    assert.match(locked.lockedReason!.message, /Try again/);
    const accountsWhileLocked = await app.call('accounts.list', {});
    assert.deepEqual(accountsWhileLocked.map((a) => [a.handle, a.status]).sort(), [
      [discord.handle, 'connected'],
      [mastodon.handle, 'connected'],
    ].sort());
    assert.deepEqual(secretRows(dataDir), rowsBefore);

    // A post published meanwhile waits; it does not fail, and no account turns needs_reauth.
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: 'Sent once the vault opens', targetAccountIds: [mastodon.id, discord.id], langs: ['en'] });
    const queued = await app.call('publish.now', { draftId: draft.id });
    assert.deepEqual(queued.targets.map((t) => t.status), ['queued', 'queued']);
    assert.ok(queued.targets.every((t) => t.error?.code === 'vault_locked'), JSON.stringify(queued.targets));
    // A check while locked says so and leaves the account as it is.
    await assert.rejects(app.call('accounts.check', { id: mastodon.id }), { code: 'vault_locked' });
    assert.ok((await app.call('accounts.list', {})).every((a) => a.status === 'connected'));

    // A connect meanwhile is refused before any account row is written without its credential.
    await assert.rejects(app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl }), { code: 'vault_locked' });
    assert.equal((await app.call('accounts.list', {})).length, 2);

    // Try again while the key store still refuses: still locked, still nothing lost.
    assert.equal((await app.call('vault.retryUnlock', {})).locked, true);
    assert.deepEqual(secretRows(dataDir), rowsBefore);

    // The keyring is unlocked: Try again opens every secret; nothing to reconnect.
    app.keyStore.failing = false;
    const opened = await app.call('vault.retryUnlock', {});
    assert.equal(opened.locked, false);
    assert.equal(opened.lockedReason, null);
    assert.equal((await app.call('developerApps.get', { platform: 'x' })).hasClientSecret, true);
    await app.core.outbox.idle();
    const [post] = await app.call('history.list', {});
    assert.deepEqual(post?.targets.map((t) => t.status), ['published', 'published']);
    assert.ok(instance.statuses.some((s) => s.status === 'Sent once the vault opens'));
    assert.ok((await app.call('accounts.list', {})).every((a) => a.status === 'connected'));
    app.close();

    // The next start with a working key store opens by itself.
    const restarted = await start(dataDir);
    assert.equal((await restarted.call('vault.status', {})).locked, false);
    assert.equal((await restarted.call('accounts.check', { id: mastodon.id })).status, 'connected');
    restarted.close();
  });
});
