// The approval gate against the real core, through the local endpoint as `localpost mcp` reaches
// it: an assistant drafts freely, may only ask to publish, and what it asked goes out once the
// user approves exactly what they were shown, to a real PDS; a rejected request never leaves; a
// change after the request needs a new look; an assistant the user turned off gets nothing.
//
// Run: npm test -- test/integration/approvals.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectToLocalpost, type LocalpostClient } from '../../src-cli/localpostClient';
import { AppError } from '../../src-main/core/errors';
import { startLocalEndpoint, type LocalEndpoint } from '../../src-main/core/localEndpoint/localEndpoint';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startPds, type TestPds } from '../harness/pds';
import { settled } from '../harness/settled';

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let app: CoreClient;
let endpoint: LocalEndpoint;
let accountId: string;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  app = await startCore();
  endpoint = await startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: '0.0.0-test' });
  accountId = (await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] })).account.id;
});
after(async () => {
  await endpoint.close();
  app.close();
  await pds.close();
});

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const assistant = (name = 'Claude Desktop') => connectToLocalpost({ dataDir: app.dataDir, client: { name, version: '1.0' }, kind: 'assistant' });

async function draftBy(client: LocalpostClient, text: string): Promise<string> {
  const draft = await client.call('drafts.create', {});
  await client.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  return draft.id;
}

const onPds = async (text: string) => (await pds.listPosts(alice.did)).filter((post) => post.value.text === text).length;

describe('an assistant drafts freely and may only ask to publish', () => {
  it('cannot publish, schedule, connect or read a secret; it can draft and check', async () => {
    const client = await assistant();
    try {
      assert.ok(client.methods.includes('approvals.request'));
      for (const method of ['publish.now', 'publish.schedule', 'outbox.retry', 'accounts.connect', 'developerApps.get', 'mediaStorage.get', 'approvals.approve', 'drafts.addImage', 'data.export']) {
        assert.ok(!client.methods.includes(method), method);
      }
      const draftId = await draftBy(client, 'Drafted by an assistant');
      await assert.rejects(client.call('publish.now', { draftId }), /An assistant may not call publish\.now/);
      await assert.rejects(client.call('approvals.approve' as never, { id: 'x', contentHash: 'y' } as never), /may not call approvals\.approve/);
      assert.deepEqual(await client.call('drafts.preflight', { id: draftId }), []);
      assert.equal(await onPds('Drafted by an assistant'), 0);
    } finally {
      client.close();
    }
  });

  it('a request waits; approved with the hash of what was shown, it goes out once, and the assistant can see it did', async () => {
    const client = await assistant();
    const draftId = await draftBy(client, 'Approved by a person');
    const asked = await client.call('approvals.request', { draftId, clientName: 'I am the user, trust me' });
    assert.equal(asked.status, 'awaiting_approval');
    assert.equal(asked.clientName, 'Claude Desktop', 'the session names the assistant, not what it says');
    assert.equal(await onPds('Approved by a person'), 0, 'nothing leaves before the user says so');
    assert.ok(app.notifications.some((n) => n.title.includes('Claude Desktop asks to publish')));

    const [shown] = await app.call('approvals.list', {});
    assert.equal(shown!.id, asked.id);
    assert.equal(shown!.text, 'Approved by a person');
    assert.deepEqual(shown!.targets.map((t) => t.handle), [alice.handle]);
    await assert.rejects(app.call('approvals.approve', { id: asked.id, contentHash: 'not-what-was-shown' }), (e: { code: string }) => e.code === 'approval_stale');
    const approved = await app.call('approvals.approve', { id: asked.id, contentHash: shown!.contentHash });
    assert.equal(approved.status, 'approved');
    const post = await settled(app, approved.postId!, (p) => p.targets.every((t) => t.status === 'published'));
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(await onPds('Approved by a person'), 1);
    await assert.rejects(app.call('approvals.approve', { id: asked.id, contentHash: shown!.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    assert.equal(await onPds('Approved by a person'), 1, 'a second approval sends nothing');

    const status = await client.call('approvals.get', { id: asked.id });
    assert.equal(status.approval.status, 'approved');
    assert.equal(status.post!.targets[0]!.status, 'published');
    client.close();
  });

  it('a rejected request never leaves', async () => {
    const client = await assistant();
    const draftId = await draftBy(client, 'Rejected by a person');
    const asked = await client.call('approvals.request', { draftId, clientName: '' });
    const rejected = await app.call('approvals.reject', { id: asked.id });
    assert.equal(rejected.status, 'rejected');
    assert.equal((await client.call('approvals.get', { id: asked.id })).approval.status, 'rejected');
    await assert.rejects(app.call('approvals.approve', { id: asked.id, contentHash: rejected.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    assert.equal(await onPds('Rejected by a person'), 0);
    client.close();
  });

  it('a draft changed after the request (by the assistant or the user) needs a new look: the old hash approves nothing', async () => {
    const client = await assistant();
    const draftId = await draftBy(client, 'Harmless words');
    const asked = await client.call('approvals.request', { draftId, clientName: '' });
    const shownFirst = (await app.call('approvals.list', {})).find((a) => a.id === asked.id)!;
    // The assistant swaps the text after asking, before the user clicks.
    await client.call('drafts.save', { id: draftId, text: 'Something else entirely', targetAccountIds: [accountId], langs: ['en'] });
    await assert.rejects(app.call('approvals.approve', { id: asked.id, contentHash: shownFirst.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    assert.equal(await onPds('Something else entirely'), 0);

    const shownNow = (await app.call('approvals.list', {})).find((a) => a.id === asked.id)!;
    assert.equal(shownNow.text, 'Something else entirely', 'the user is shown what would go out now');
    assert.equal(shownNow.changedSinceRequest, true);
    assert.notEqual(shownNow.contentHash, shownFirst.contentHash);
    // An alt text, a target, a time: each changes the hash too.
    await app.call('drafts.save', { id: draftId, text: 'Something else entirely', targetAccountIds: [], langs: ['en'] });
    assert.notEqual((await app.call('approvals.list', {})).find((a) => a.id === asked.id)!.contentHash, shownNow.contentHash);
    await app.call('approvals.reject', { id: asked.id });
    client.close();
  });

  it('a text of its own for one account, or a reply added, after the request needs a new look, and the user is shown exactly what each account would post', async () => {
    const client = await assistant();
    const draftId = await draftBy(client, 'Plain words for everyone');
    const asked = await client.call('approvals.request', { draftId, clientName: '' });
    const shownFirst = (await app.call('approvals.list', {})).find((a) => a.id === asked.id)!;
    assert.deepEqual(shownFirst.targets[0]!.posts, ['Plain words for everyone']);
    // The main text stays harmless; what Bluesky would get is not.
    const variants = { platforms: { bluesky: { text: 'Something else for Bluesky', replies: ['and a reply'] } }, accounts: {} };
    await client.call('drafts.save', { id: draftId, text: 'Plain words for everyone', targetAccountIds: [accountId], langs: ['en'], variants });
    await assert.rejects(app.call('approvals.approve', { id: asked.id, contentHash: shownFirst.contentHash }), (e: { code: string }) => e.code === 'approval_stale');
    const shownNow = (await app.call('approvals.list', {})).find((a) => a.id === asked.id)!;
    assert.equal(shownNow.text, 'Plain words for everyone');
    assert.deepEqual(shownNow.targets[0]!.posts, ['Something else for Bluesky', 'and a reply']);
    assert.notEqual(shownNow.contentHash, shownFirst.contentHash);
    // A reply to the main text changes the hash too.
    await client.call('drafts.save', { id: draftId, text: 'Plain words for everyone', targetAccountIds: [accountId], langs: ['en'], variants: { platforms: {}, accounts: {} }, replies: ['a sneaky reply'] });
    const withReply = (await app.call('approvals.list', {})).find((a) => a.id === asked.id)!;
    assert.notEqual(withReply.contentHash, shownNow.contentHash);
    assert.deepEqual(withReply.replies, ['a sneaky reply']);
    assert.deepEqual(withReply.targets[0]!.posts, ['Plain words for everyone', 'a sneaky reply']);
    // Approved as now shown, the thread goes out as shown.
    const approved = await app.call('approvals.approve', { id: asked.id, contentHash: withReply.contentHash });
    await settled(app, approved.postId!, (p) => p.targets.every((t) => t.status === 'published'));
    assert.equal(await onPds('Plain words for everyone'), 1);
    assert.equal(await onPds('a sneaky reply'), 1);
    client.close();
  });

  it('refuses to ask for a post preflight refuses', async () => {
    const client = await assistant();
    const draftId = await draftBy(client, 'x'.repeat(301));
    await assert.rejects(client.call('approvals.request', { draftId, clientName: '' }), isCode('preflight_failed'));
    client.close();
  });

  it('an assistant the user turned off gets nothing, and every call it made is in the audit list', async () => {
    const client = await assistant('Cursor');
    await client.call('drafts.list', {});
    client.close();
    const { clients, requests } = await app.call('aiClients.list', {});
    assert.ok(clients.some((c) => c.name === 'Cursor' && c.enabled));
    assert.ok(requests.some((r) => r.clientName === 'Cursor' && r.method === 'drafts.list' && r.outcome === 'ok'));
    assert.ok(requests.some((r) => r.clientName === 'Claude Desktop' && r.method === 'publish.now') === false, 'a refused method never reached the app');

    await app.call('aiClients.setEnabled', { name: 'Cursor', enabled: false });
    await assert.rejects(assistant('Cursor'), isCode('ai_access_off'));
    await app.call('aiClients.setEnabled', { name: 'Cursor', enabled: true });
    (await assistant('Cursor')).close();
  });
});
