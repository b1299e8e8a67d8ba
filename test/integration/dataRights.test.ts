// The `data.*` bridge group against the real core (SQLite, vault, outbox) and the webhook
// contract mocks: what is refused and why, and what a failed export leaves behind (nothing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCore, type CoreClient } from '../harness/coreClient';
import { waitFor } from '../harness/waitFor';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

/** A fetch that holds every POST while `held` is set, as a slow platform would. */
function holdingFetch() {
  let release = () => {};
  const gate = { held: false, waiting: 0, release: () => release() };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (gate.held && init?.method === 'POST') {
      gate.waiting += 1;
      await new Promise<void>((resolve) => (release = resolve));
    }
    return globalThis.fetch(input, init);
  };
  return { fetch, gate };
}

async function draftFor(app: CoreClient, accountId: string, text: string): Promise<string> {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  return draft.id;
}

describe('Delete everything', () => {
  it('is refused without the typed DELETE, and nothing is deleted', async () => {
    const app = await startCore({ env: mocks.env });
    await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    for (const confirmation of ['', 'delete', 'DELETE ', 'Personal']) {
      await assert.rejects(app.call('data.eraseEverything', { revokeAtPlatforms: false, confirmation }), { code: 'invalid_input' });
    }
    assert.equal((await app.call('accounts.list', {})).length, 1);
    assert.equal(app.restarts(), 0);
    app.close();
  });

  it('is refused with publish_in_flight while a post is going out, and goes ahead once it has landed', async () => {
    const { fetch, gate } = holdingFetch();
    const app = await startCore({ env: mocks.env, fetch });
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    const draftId = await draftFor(app, account.id, 'Going out while the user deletes');
    gate.held = true;
    const publishing = app.call('publish.now', { draftId });
    await waitFor(() => (gate.waiting > 0 ? true : undefined), 'the post to be on its way');

    await assert.rejects(app.call('data.eraseEverything', { revokeAtPlatforms: false, confirmation: 'DELETE' }), { code: 'publish_in_flight' });
    assert.ok(fs.existsSync(path.join(app.dataDir, 'localpost.sqlite')));

    gate.held = false;
    gate.release();
    const post = await publishing;
    assert.equal(post.targets[0]!.status, 'published', 'the refused erase did not disturb the post');
    await app.call('data.eraseEverything', { revokeAtPlatforms: false, confirmation: 'DELETE' });
    await waitFor(() => (app.restarts() === 1 ? true : undefined), 'the fresh start');
    assert.deepEqual(fs.readdirSync(app.dataDir), []);
    app.close();
  });

  it('waiting posts do not hold it up: they are erased and never go out', async () => {
    const app = await startCore({ env: mocks.env });
    const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
    const draftId = await draftFor(app, account.id, 'Scheduled, then everything deleted');
    await app.call('publish.schedule', { draftId, schedule: { local: '2099-01-01T09:00', zone: 'Europe/Berlin' } });
    await app.call('data.eraseEverything', { revokeAtPlatforms: true, confirmation: 'DELETE' });
    await waitFor(() => (app.restarts() === 1 ? true : undefined), 'the fresh start');
    assert.ok(!mocks.requests.some((r) => JSON.stringify(r.body).includes('Scheduled, then everything deleted')));
    app.close();
  });
});

describe('Export my data', () => {
  it('Cancel in the folder dialog writes nothing', async () => {
    const app = await startCore({ env: mocks.env });
    assert.deepEqual(await app.call('data.export', {}), { outcome: 'cancelled' });
    assert.equal(app.folderDialogs(), 1);
    app.close();
  });

  it('a folder that cannot be written to gives export_failed and leaves nothing behind', async () => {
    const app = await startCore({ env: mocks.env });
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-export-fail-'));
    // A file where a folder was expected: refused even for root, unlike a read-only mode.
    const notAFolder = path.join(parent, 'a file');
    fs.writeFileSync(notAFolder, '');
    app.answerFolderDialog(notAFolder);
    await assert.rejects(app.call('data.export', {}), { code: 'export_failed' });
    assert.deepEqual(fs.readdirSync(parent), ['a file']);
    fs.rmSync(parent, { recursive: true, force: true });
    app.close();
  });

  it('a second export the same day gets its own folder, and the first one stays', async () => {
    const app = await startCore({ env: mocks.env });
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-export-twice-'));
    app.answerFolderDialog(parent);
    app.answerFolderDialog(parent);
    const first = await app.call('data.export', {});
    const second = await app.call('data.export', {});
    assert.ok(first.outcome === 'saved' && second.outcome === 'saved');
    assert.equal(second.folderName, `${first.folderName} (2)`);
    assert.deepEqual(fs.readdirSync(parent).sort(), [first.folderName, second.folderName].sort());
    fs.rmSync(parent, { recursive: true, force: true });
    app.close();
  });
});
