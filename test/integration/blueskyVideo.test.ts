// A video published to Bluesky against a real PDS on loopback: the MP4 goes up as a blob of the
// account's repo (com.atproto.repo.uploadBlob, streamed from disk) and the post carries it as an
// app.bsky.embed.video with its aspect ratio; Bluesky's own limit is preflight's, before anything
// is sent, and the PDS's own blob limit (smaller on this harness PDS) is a clear error.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { secretIdFor } from '../../src-main/core/accounts/accountStore';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { forgeExpiredAccessJwt, startPds, type TestPds } from '../harness/pds';
import { testKeyWrapper } from '../harness/testPorts';

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
});
after(() => pds.close());

const sha256 = async (file: string) => {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/** The blob's bytes as the PDS serves them (com.atproto.sync.getBlob), outside the counted requests. */
async function blobHash(did: string, cid: string): Promise<string> {
  const response = await fetch(`${pds.url}/xrpc/com.atproto.sync.getBlob?did=${encodeURIComponent(did)}&cid=${encodeURIComponent(cid)}`, {
    headers: { 'x-localpost-test-harness': '1' },
  });
  assert.equal(response.status, 200);
  return crypto.createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
}

/** Expires the stored access token, as two hours of waiting would. */
async function expireStoredAccessToken(dataDir: string, accountId: string): Promise<void> {
  const db = openDatabase(dataDir);
  const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
  await vault.open();
  const stored = JSON.parse(vault.get(secretIdFor(accountId))!);
  stored.session.accessJwt = forgeExpiredAccessJwt(pds, stored.session.accessJwt);
  vault.put(secretIdFor(accountId), JSON.stringify(stored));
  db.close();
}

async function connectAlice(app: CoreClient) {
  // The PDS runs on this machine: a self-hoster's yes to the private-address question.
  const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] });
  return account;
}

async function draftWithVideo(app: CoreClient, accountId: string, text: string, file: string) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.ok(added.outcome === 'added');
  return draft.id;
}

describe('a video published to Bluesky', () => {
  it('lands on the PDS as an app.bsky.embed.video whose blob is the file byte for byte, with its aspect ratio', async () => {
    const app = await startCore();
    const account = await connectAlice(app);
    const draftId = await draftWithVideo(app, account.id, 'Our launch clip', videoFixtures.mp4);
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    const uploads = pds.requestCount('com.atproto.repo.uploadBlob');
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.equal(pds.requestCount('com.atproto.repo.uploadBlob'), uploads + 1);

    const record = await pds.getRecord(target.uri!);
    assert.equal(record.text, 'Our launch clip');
    const size = fs.statSync(videoFixtures.mp4).size;
    assert.deepEqual(record.embed, {
      $type: 'app.bsky.embed.video',
      video: { $type: 'blob', ref: record.embed.video.ref, mimeType: 'video/mp4', size },
      aspectRatio: { width: 160, height: 90 },
    });
    assert.equal(await blobHash(alice.did, record.embed.video.ref.$link), await sha256(videoFixtures.mp4));
    app.close();
  });

  it('carries the alt text typed for it, which stays with the draft across a restart of the core', async () => {
    const app = await startCore();
    const account = await connectAlice(app);
    const draftId = await draftWithVideo(app, account.id, 'A clip with a description', videoFixtures.mp4);
    const videoId = (await app.call('drafts.get', { id: draftId })).video!.id;
    await app.call('drafts.setVideoAlt', { draftId, videoId, alt: 'A paper boat drifts across a puddle.' });
    app.close();
    const reopened = await startCore({ dataDir: app.dataDir });
    assert.equal((await reopened.call('drafts.get', { id: draftId })).video!.alt, 'A paper boat drifts across a puddle.');
    const post = await reopened.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const record = await pds.getRecord(post.targets[0]!.uri!);
    assert.equal(record.embed.alt, 'A paper boat drifts across a puddle.');
    reopened.close();
  });

  it('tries a 5xx and a rate limit on the upload again when their time comes, and the post exists once', async () => {
    // The PDS answers for real; the first two uploads get a hosting provider's trouble instead.
    const troubles = [
      () => Response.json({ error: 'InternalServerError', message: 'Internal Server Error' }, { status: 502 }),
      () =>
        Response.json(
          { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
          { status: 429, headers: { 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) } },
        ),
    ];
    const fetchWithTrouble: typeof globalThis.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const trouble = url.includes('com.atproto.repo.uploadBlob') ? troubles.shift() : undefined;
      if (!trouble) return globalThis.fetch(input, init);
      await new Response(init?.body ?? null).arrayBuffer();
      return trouble();
    };
    const app = await startCore({ fetch: fetchWithTrouble });
    const account = await connectAlice(app);
    const text = `Through trouble ${Date.now()}`;
    const draftId = await draftWithVideo(app, account.id, text, videoFixtures.mp4);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    const target = async () => (await app.call('history.list', {})).find((p) => p.id === post.id)!.targets[0]!;
    for (let i = 0; i < 400 && (await target()).status !== 'published'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const done = await target();
    assert.equal(done.status, 'published', JSON.stringify(done.error));
    assert.equal(done.attempts, 3);
    assert.equal(troubles.length, 0, 'both troubles were met');
    assert.equal((await pds.listPosts(alice.did)).filter((record) => record.value.text === text).length, 1);
    app.close();
  });

  it('with an expired access token, refreshes the session once and sends the file again from disk', async () => {
    const app = await startCore();
    const account = await connectAlice(app);
    app.close();
    await expireStoredAccessToken(app.dataDir, account.id);
    const again = await startCore({ dataDir: app.dataDir });
    const draftId = await draftWithVideo(again, account.id, 'After expiry', videoFixtures.mp4);
    const uploads = pds.requestCount('com.atproto.repo.uploadBlob');
    const refreshes = pds.requestCount('com.atproto.server.refreshSession');
    const logins = pds.requestCount('com.atproto.server.createSession');
    const post = await again.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    // The stream of the refused attempt is spent: the second upload is a new read of the file.
    assert.equal(pds.requestCount('com.atproto.repo.uploadBlob'), uploads + 2);
    assert.equal(pds.requestCount('com.atproto.server.refreshSession'), refreshes + 1, 'exactly one refresh');
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins, 'no new login');
    const record = await pds.getRecord(target.uri!);
    assert.equal(await blobHash(alice.did, record.embed.video.ref.$link), await sha256(videoFixtures.mp4));
    again.close();
  });

  it('over Bluesky\'s 100 MB is refused by preflight, and nothing reaches the PDS', async () => {
    const app = await startCore();
    const account = await connectAlice(app);
    const file = largeMp4(videoScratchDir(), 100_000_001);
    const draftId = await draftWithVideo(app, account.id, 'Too big', file);
    const issues = await app.call('drafts.preflight', { id: draftId });
    assert.deepEqual(
      issues.map((issue) => [issue.ruleId, issue.accountId]),
      [['video.size', account.id]],
    );
    const uploads = pds.requestCount('com.atproto.repo.uploadBlob');
    const writes = pds.requestCount('com.atproto.repo.createRecord');
    await assert.rejects(app.call('publish.now', { draftId }), { code: 'preflight_failed' });
    assert.equal(pds.requestCount('com.atproto.repo.uploadBlob'), uploads);
    assert.equal(pds.requestCount('com.atproto.repo.createRecord'), writes);
    app.close();
  });

  it('over the PDS\'s own blob limit fails with media_too_large and writes no post', async () => {
    // The harness PDS keeps the PDS's default limit of 5 MiB (its `blobUploadLimit`, set by a
    // hosting provider with PDS_BLOB_UPLOAD_LIMIT): a file under Bluesky's 100 MB can still be
    // over what the user's own PDS takes, and only its answer says so.
    const app = await startCore();
    const account = await connectAlice(app);
    const file = largeMp4(videoScratchDir(), 6 * 1024 * 1024);
    const draftId = await draftWithVideo(app, account.id, 'Over my PDS limit', file);
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    const postsBefore = (await pds.listPosts(alice.did)).length;
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'failed_permanent', JSON.stringify(target.error));
    assert.equal(target.error?.code, 'media_too_large');
    assert.match(target.error!.message, /Bluesky refused the upload as too large/);
    assert.match(target.error!.action ?? '', /hosting provider takes smaller files/);
    assert.equal((await pds.listPosts(alice.did)).length, postsBefore);
    app.close();
  });
});
