// A video to Mastodon through the outbox, against the instance mock (test/harness/mastodonServer.ts,
// with the real OAuth server): `POST /api/v2/media` streamed from disk (the mock hashes what
// arrives), a 202 polled until the instance has processed it, then the status with its media id.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { platformRules } from '../../src-shared/platforms';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { publishWatchingProgress } from '../harness/publishWatchingProgress';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

let instance: MastodonServer;
before(async () => {
  instance = await startMastodonServer();
});
after(() => instance.close());

const sha256 = async (file: string) => {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

async function connect(app: CoreClient) {
  // The mock instance runs on this machine: a self-hoster's yes to the private-address question.
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  pending.catch(() => {});
  await playBrowser(await waitFor(() => app.openedUrls[0], 'the consent page to open'), { decision: 'allow' });
  return (await pending).account;
}

async function draftWithVideo(app: CoreClient, accountId: string, text: string, file: string) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.ok(added.outcome === 'added');
  return draft.id;
}

const mediaPolls = (id: string) => instance.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/media/${id}`).length;

describe('a video published to Mastodon', () => {
  it('is uploaded streamed with progress, polled until processed, and the status carries it', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const scratch = videoScratchDir();
    const file = largeMp4(scratch, 16 * 1024 * 1024, 'clip.mp4');
    const draftId = await draftWithVideo(app, account.id, 'Our launch clip', file);
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    instance.setVideoPollsBeforeReady(2);
    const mediaBefore = instance.media.length;
    const statusesBefore = instance.statuses.length;

    const { post, seen } = await publishWatchingProgress(app, draftId, 25);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(post.targets[0]!.progress, null, 'reset on completion');

    // The file arrived byte for byte as the multipart `file`, with no description (no alt text).
    const uploaded = instance.media.slice(mediaBefore);
    assert.equal(uploaded.length, 1);
    assert.deepEqual(
      { type: uploaded[0]!.type, size: uploaded[0]!.size, sha256: uploaded[0]!.sha256, description: uploaded[0]!.description },
      { type: 'video/mp4', size: 16 * 1024 * 1024, sha256: await sha256(file), description: null },
    );
    const upload = instance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/media').at(-1)!;
    assert.match(upload.headers['content-type']!, /^multipart\/form-data; boundary=/);
    const declared = Number(upload.headers['content-length']);
    assert.ok(declared > 16 * 1024 * 1024, 'sent with its exact length, not chunked');

    // Two answers of 206 (processing), then 200 with a url; only then the status.
    assert.equal(mediaPolls(uploaded[0]!.id), 3);
    assert.equal(instance.statuses.length, statusesBefore + 1);
    assert.deepEqual(instance.statuses.at(-1)!.mediaIds, [uploaded[0]!.id]);
    assert.equal(instance.statuses.at(-1)!.status, 'Our launch clip');

    // Progress is of the whole request as sent, and reaches it while the instance processes.
    assert.ok(seen.length >= 1, `progress seen ${seen.length} times`);
    assert.ok(seen.every((p) => p.totalBytes === declared), 'of the whole request');
    assert.ok(seen.every((p, i) => i === 0 || p.sentBytes >= seen[i - 1]!.sentBytes), 'never backwards');
    assert.equal(seen.at(-1)!.sentBytes, declared);
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });

  it('sends the alt text typed for it as the media description', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Described clip', videoFixtures.mp4);
    const videoId = (await app.call('drafts.get', { id: draftId })).video!.id;
    await app.call('drafts.setVideoAlt', { draftId, videoId, alt: 'Rain on a window, then a rainbow.' });
    const mediaBefore = instance.media.length;
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const uploaded = instance.media.slice(mediaBefore);
    assert.deepEqual(
      uploaded.map((media) => ({ description: media.description, sha256: media.sha256 })),
      [{ description: 'Rain on a window, then a rainbow.', sha256: await sha256(videoFixtures.mp4) }],
    );
    app.close();
  });

  it('tries a 5xx and a 429 on the upload again when their time comes, and posts once', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const target = async (postId: string) => (await app.call('history.list', {})).find((p) => p.id === postId)!.targets[0]!;
    const faults = [
      { status: 503, body: { error: 'Service Unavailable' } },
      { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } },
    ];
    for (const fault of faults) {
      const draftId = await draftWithVideo(app, account.id, `Upload through a ${fault.status}`, videoFixtures.mp4);
      instance.injectFault('/api/v2/media', { ...fault, times: 1 });
      const mediaBefore = instance.media.length;
      const statusesBefore = instance.statuses.length;
      const started = Date.now();
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'queued');
      if (fault.status === 429) assert.ok(post.targets[0]!.nextAttemptAt! >= started + 1000, 'not before the instance said');
      for (let i = 0; i < 400 && (await target(post.id)).status !== 'published'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      const done = await target(post.id);
      assert.equal(done.status, 'published', JSON.stringify(done.error));
      assert.equal(done.attempts, 2);
      assert.equal(instance.media.length - mediaBefore, 1, 'one upload taken');
      assert.equal(instance.statuses.length - statusesBefore, 1, 'one status');
    }
    app.close();
  });

  it('holds the post when the sign-in was revoked at the instance, and asks for a reconnect', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'After the revoke', videoFixtures.mp4);
    await instance.revokeSeenTokens();
    const mediaBefore = instance.media.length;
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.equal((await app.call('accounts.list', {})).find((a) => a.id === account.id)!.status, 'needs_reauth');
    assert.equal(instance.media.length, mediaBefore, 'nothing taken');
    app.close();
  });

  it('keeps the lost-answer behaviour: the retry repeats the Idempotency-Key and the instance returns the first status', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Lost, then found', videoFixtures.mp4);
    instance.setVideoPollsBeforeReady(0);
    const statusesBefore = instance.statuses.length;
    instance.loseNextStatusResponse();
    const first = await app.call('publish.now', { draftId });
    assert.equal(first.targets[0]!.status, 'queued');
    let target = first.targets[0]!;
    for (let i = 0; i < 400 && target.status !== 'published'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      target = (await app.call('history.list', {})).find((p) => p.id === first.id)!.targets[0]!;
    }
    assert.equal(target.status, 'published');
    assert.equal(target.attempts, 2);
    // One status, with the video of the first attempt; the retry got that status back.
    assert.equal(instance.statuses.length, statusesBefore + 1);
    const created = instance.statuses.at(-1)!;
    assert.equal(target.uri, created.id);
    assert.equal(created.mediaIds.length, 1);
    assert.equal(instance.media.find((m) => m.id === created.mediaIds[0])!.sha256, await sha256(videoFixtures.mp4));
    const keys = instance.requests.filter((r) => r.path === '/api/v1/statuses').slice(-2).map((r) => r.headers['idempotency-key']);
    assert.ok(keys[0]);
    assert.equal(keys[0], keys[1]);
    app.close();
  });

  it('uploads again by itself when an upload’s answer was lost, never leaving the target unknown, and posts once', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Upload lost', videoFixtures.mp4);
    instance.setVideoPollsBeforeReady(0);
    const statusesBefore = instance.statuses.length;
    const mediaBefore = instance.media.length;
    instance.loseNextMediaResponse();
    const first = await app.call('publish.now', { draftId });
    assert.notEqual(first.targets[0]!.status, 'unknown');
    let target = first.targets[0]!;
    for (let i = 0; i < 400 && target.status !== 'published'; i++) {
      assert.notEqual(target.status, 'unknown');
      await new Promise((resolve) => setTimeout(resolve, 50));
      target = (await app.call('history.list', {})).find((p) => p.id === first.id)!.targets[0]!;
    }
    assert.equal(target.status, 'published');
    assert.equal(target.attempts, 2);
    // Two uploads reached the instance; one status, with the second.
    assert.equal(instance.media.length, mediaBefore + 2);
    assert.equal(instance.statuses.length, statusesBefore + 1);
    assert.deepEqual(instance.statuses.at(-1)!.mediaIds, [instance.media.at(-1)!.id]);
    app.close();
  });

  it('refuses a video over Mastodon’s 99 MiB in preflight, before anything is sent', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const scratch = videoScratchDir();
    const limit = platformRules.mastodon.video!.maxBytes;
    assert.equal(limit, 103_809_024);
    const draftId = await draftWithVideo(app, account.id, 'Too big', largeMp4(scratch, limit + 1, 'big.mp4'));
    const issues = await app.call('drafts.preflight', { id: draftId });
    assert.deepEqual(issues.map((i) => [i.ruleId, i.accountId]), [['video.size', account.id]]);
    const before = instance.requests.length;
    await assert.rejects(app.call('publish.now', { draftId }), { code: 'preflight_failed' });
    assert.equal(instance.requests.length, before, 'nothing was sent');
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });

  it('uses the instance’s own video_size_limit, read at connect, in preflight', async () => {
    const app = await startCore({ env: instance.env });
    instance.setVideoSizeLimit(2000);
    try {
      const account = await connect(app);
      assert.equal(account.limits?.videoMaxBytes, 2000);
      const draftId = await draftWithVideo(app, account.id, 'Small instance', videoFixtures.mp4);
      const issues = await app.call('drafts.preflight', { id: draftId });
      assert.deepEqual(issues.map((i) => [i.ruleId, i.accountId]), [['video.size', account.id]]);
      assert.match(issues[0]!.message, /over the 2 KB Mastodon for /);
      const before = instance.requests.length;
      await assert.rejects(app.call('publish.now', { draftId }), { code: 'preflight_failed' });
      assert.equal(instance.requests.length, before, 'nothing was sent');
    } finally {
      instance.setVideoSizeLimit(103_809_024);
    }
    app.close();
  });

  it('takes the instance’s 422 for a video over its own limit as a refusal with its words, and posts nothing', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Too big for this instance', videoFixtures.mp4);
    instance.setVideoSizeLimit(1000);
    const statusesBefore = instance.statuses.length;
    try {
      const target = (await app.call('publish.now', { draftId })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'platform_rejected');
      assert.match(target.error!.message, /File file size must be less than/);
    } finally {
      instance.setVideoSizeLimit(103_809_024);
    }
    assert.equal(instance.statuses.length, statusesBefore);
    app.close();
  });

  it('gives up on a video still processing after 5 minutes before any status; the outbox tries again later', async () => {
    let offsetMs = 0;
    const app = await startCore({ env: instance.env, clock: { now: () => Date.now() + offsetMs } });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Forever processing', videoFixtures.mp4);
    instance.setVideoPollsBeforeReady(Infinity);
    const statusesBefore = instance.statuses.length;
    const polls = () => instance.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/media/')).length;
    const pollsBefore = polls();
    try {
      const pending = app.call('publish.now', { draftId });
      await waitFor(() => polls() > pollsBefore || undefined, 'the first poll');
      // Five minutes pass on the clock while the instance keeps answering 206.
      offsetMs += 5 * 60_000 + 1000;
      const target = (await pending).targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'platform_rejected');
      assert.match(target.error!.message, /still processing the video after 5 minutes/);
      assert.match(target.error!.action ?? '', /nothing was posted/);
      assert.equal(instance.statuses.length, statusesBefore);
    } finally {
      instance.setVideoPollsBeforeReady(2);
    }
    app.close();
  });

  it('takes a failed processing (the poll’s 422) as media_unsupported with the instance’s words, and posts nothing', async () => {
    const app = await startCore({ env: instance.env });
    const account = await connect(app);
    const draftId = await draftWithVideo(app, account.id, 'Will not process', videoFixtures.mp4);
    instance.setVideoPollsBeforeReady(1);
    instance.failNextVideoProcessing();
    const statusesBefore = instance.statuses.length;
    const target = (await app.call('publish.now', { draftId })).targets[0]!;
    assert.equal(target.status, 'failed_permanent');
    assert.equal(target.error?.code, 'media_unsupported');
    assert.match(target.error!.message, /could not process the video: .*Error processing thumbnail for uploaded media/);
    assert.equal(instance.statuses.length, statusesBefore);
    app.close();
  });
});
