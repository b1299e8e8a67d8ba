// A video to X through the outbox, against the X contract mock (test/harness/xServer.ts, with the
// real OAuth server), whose media upload requests and answers are checked against X's own
// description (x-v2.openapi.json): initialize, APPEND per segment streamed from disk, FINALIZE,
// STATUS polled while X processes, then the post with the media id. The mock keeps every segment
// and hashes them joined in order, so a test knows exactly which bytes X would have.
//
// Run: npx tsx --test test/integration/xVideo.test.ts
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { publishWatchingProgress } from '../harness/publishWatchingProgress';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';
import { startXServer, type XServer } from '../harness/xServer';

let x: XServer;
let scratch: string;
before(async () => {
  x = await startXServer();
  scratch = videoScratchDir();
});
after(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await x.close();
});

const MiB = 1024 * 1024;
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function connected(app: CoreClient) {
  const { clients } = x.oauth;
  await app.call('developerApps.save', { platform: 'x', clientId: clients.native.clientId, clientSecret: '', redirectPort: x.oauth.fixedRedirectPort });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'x' });
  pending.catch(() => {});
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page to open'), { deliver: true });
  return (await pending).account;
}

let unique = 0;
async function draftWithVideo(app: CoreClient, accountId: string, text: string, file: string) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: `${text} #${++unique}`, targetAccountIds: [accountId], langs: ['en'] });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.equal(added.outcome, 'added');
  assert.deepEqual(await app.call('drafts.preflight', { id: draft.id }), []);
  return draft.id;
}

const appendRequests = (id: string) => x.requests.filter((r) => r.method === 'POST' && r.path === `/2/media/upload/${id}/append`).length;
const statusRequests = () => x.requests.filter((r) => r.method === 'GET' && r.path === '/2/media/upload').length;
const problem = (status: number, title: string) => ({ title, detail: title, type: 'about:blank', status });

describe('a video published to X', () => {
  it('goes up in order in 4 MiB segments streamed from disk with progress, is polled while X processes it, and the post carries it', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    const file = largeMp4(scratch, 10 * MiB, 'launch.mp4');
    const draftId = await draftWithVideo(app, account.id, 'Our launch clip', file);
    x.setVideoProcessing({ pollsBeforeDone: 1, checkAfterSecs: 1 });
    const uploadsBefore = x.videoUploads.length;
    const tweetsBefore = x.tweets.length;
    const statusBefore = statusRequests();

    const { post, seen } = await publishWatchingProgress(app, draftId);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(post.targets[0]!.progress, null, 'reset on completion');

    // One upload: the file's bytes exactly, as segments 0, 1, 2 of 4, 4 and 2 MiB, in that order.
    const uploads = x.videoUploads.slice(uploadsBefore);
    assert.equal(uploads.length, 1);
    const [upload] = uploads;
    assert.deepEqual(
      { mediaType: upload!.mediaType, category: upload!.category, totalBytes: upload!.totalBytes, appends: upload!.appends, sha256: upload!.sha256, state: upload!.state },
      {
        mediaType: 'video/mp4',
        category: 'tweet_video',
        totalBytes: 10 * MiB,
        appends: [{ segment: 0, bytes: 4 * MiB }, { segment: 1, bytes: 4 * MiB }, { segment: 2, bytes: 2 * MiB }],
        sha256: sha256(file),
        state: 'succeeded',
      },
    );
    // FINALIZE said pending; STATUS said in_progress once, then succeeded: only then the post.
    assert.equal(statusRequests() - statusBefore, 2);
    assert.equal(x.tweets.length, tweetsBefore + 1);
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [upload!.id]);
    assert.match(x.tweets.at(-1)!.text, /^Our launch clip #\d+$/);
    assert.equal(post.targets[0]!.url, `https://x.com/${account.handle}/status/${x.tweets.at(-1)!.id}`);
    assert.deepEqual(x.violations, []);

    // Progress: of the file, never backwards, to its end.
    assert.ok(seen.length >= 1, `progress seen ${seen.length} times`);
    assert.ok(seen.every((p) => p.totalBytes === 10 * MiB));
    assert.ok(seen.every((p, i) => i === 0 || p.sentBytes >= seen[i - 1]!.sentBytes), 'never backwards');
    assert.equal(seen.at(-1)!.sentBytes, 10 * MiB);
    app.close();
  });

  it('sends a segment again when its connection drops half-way, and a 5xx twice, within the same attempt', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    const file = largeMp4(scratch, 9 * MiB, 'dropped.mp4');
    const draftId = await draftWithVideo(app, account.id, 'Through a bad connection', file);
    x.setVideoProcessing({ pollsBeforeDone: 0, checkAfterSecs: 1 });
    const uploadsBefore = x.videoUploads.length;
    x.dropNextAppend(1 * MiB);
    x.injectMediaFault('append', { status: 503, body: problem(503, 'Service Unavailable'), segment: 2, times: 2 });

    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(post.targets[0]!.attempts, 1, 'retried inside the upload, not by the outbox');
    const [upload] = x.videoUploads.slice(uploadsBefore);
    assert.equal(x.videoUploads.length, uploadsBefore + 1, 'one media upload');
    // Segment 0 was cut off (never acknowledged) and sent again; segment 2 answered 503 twice.
    assert.deepEqual(upload!.appends.map((a) => a.segment), [0, 1, 2]);
    assert.equal(appendRequests(upload!.id), 6);
    assert.equal(upload!.sha256, sha256(file));
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [upload!.id]);
    assert.deepEqual(x.violations, []);
    app.close();
  });

  it('stops with media_unsupported, and posts nothing, when X fails to process the video', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'A clip X cannot read', videoFixtures.mp4);
    x.setVideoProcessing({ pollsBeforeDone: 1, checkAfterSecs: 1, fails: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } });
    const tweetsBefore = x.tweets.length;
    try {
      const post = await app.call('publish.now', { draftId });
      const target = post.targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'media_unsupported');
      assert.equal(target.error?.message, 'X could not process the video: Unsupported video format.');
      assert.match(target.error?.action ?? '', /nothing was posted/);
      assert.equal(x.tweets.length, tweetsBefore);
      assert.equal(x.videoUploads.at(-1)!.state, 'failed');
      assert.deepEqual(x.violations, []);
    } finally {
      x.setVideoProcessing({ fails: undefined });
    }
    app.close();
  });

  it('after a 429 mid-upload waits for X’s reset, and the attempt after a restart continues the same media from the first unacknowledged segment', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    const file = largeMp4(scratch, 12 * MiB, 'resumed.mp4');
    const draftId = await draftWithVideo(app, account.id, 'Continued after a restart', file);
    x.setVideoProcessing({ pollsBeforeDone: 0, checkAfterSecs: 1 });
    const uploadsBefore = x.videoUploads.length;
    const reset = Math.ceil(Date.now() / 1000) + 2;
    x.injectMediaFault('append', {
      status: 429,
      segment: 2,
      headers: { 'x-rate-limit-limit': '300', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) },
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 },
    });

    const first = await app.call('publish.now', { draftId });
    assert.equal(first.targets[0]!.status, 'queued');
    assert.equal(first.targets[0]!.error?.code, 'rate_limited');
    const [upload] = x.videoUploads.slice(uploadsBefore);
    assert.deepEqual(upload!.appends.map((a) => a.segment), [0, 1]);
    app.close();

    // A new run of Localpost on the same data: the target goes at X's reset, from segment 2.
    const again = await startCore({ env: x.env, dataDir: app.dataDir });
    const post = await settled(again, first.id, (p) => p.targets[0]!.status === 'published' || p.targets[0]!.status.startsWith('failed'));
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.ok(Date.now() >= reset * 1000, 'not before the reset');
    assert.equal(x.videoUploads.length, uploadsBefore + 1, 'no second INIT');
    assert.deepEqual(upload!.appends.map((a) => a.segment), [0, 1, 2], 'segments 0 and 1 not sent again');
    assert.equal(upload!.sha256, sha256(file));
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [upload!.id]);
    assert.deepEqual(x.violations, []);
    again.close();
  });

  it('after Localpost stops mid-segment, the next run finds no post, and continues the same media from the segment that was cut off', async () => {
    // A run that dies: from the moment of the crash no request of it is answered or sent.
    let crashed = false;
    const inFlight = new Set<AbortController>();
    const dying = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      if (crashed) return new Promise(() => {});
      const controller = new AbortController();
      inFlight.add(controller);
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      return new Promise<Response>((resolve, reject) => {
        fetch(input, { ...init, signal }).then(
          (response) => void (inFlight.delete(controller), crashed || resolve(response)),
          (error: unknown) => void (inFlight.delete(controller), crashed || reject(error)),
        );
      });
    }) as typeof fetch;
    const app = await startCore({ env: x.env, fetch: dying });
    const account = await connected(app);
    const file = largeMp4(scratch, 10 * MiB, 'crashed.mp4');
    const draftId = await draftWithVideo(app, account.id, 'Cut off by a crash', file);
    x.setVideoProcessing({ pollsBeforeDone: 0, checkAfterSecs: 1 });
    const uploadsBefore = x.videoUploads.length;
    x.throttleAppends(2 * MiB);
    const publishing = app.call('publish.now', { draftId });
    publishing.catch(() => {});
    // Segment 1 has started: segment 0's acknowledgement is saved (it is, before the next goes).
    const upload = await waitFor(() => {
      const started = x.videoUploads[uploadsBefore];
      return started && appendRequests(started.id) === 2 ? started : undefined;
    }, 'segment 1 to start', 800);
    crashed = true;
    for (const controller of inFlight) controller.abort();
    x.throttleAppends(null);
    app.close();

    const again = await startCore({ env: x.env, dataDir: app.dataDir });
    const postId = (await again.call('history.list', {})).find((p) => p.text.startsWith('Cut off by a crash'))!.id;
    const post = await settled(again, postId, (p) => p.targets[0]!.status === 'published' || p.targets[0]!.status.startsWith('failed'));
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    // X's timeline was asked first (nothing there), then the upload went on: no second INIT,
    // segment 0 not sent again, segment 1 whole this time.
    assert.ok(x.requests.some((r) => r.method === 'GET' && r.path === `/2/users/${x.tweets.at(-1)!.userId}/tweets`));
    assert.equal(x.videoUploads.length, uploadsBefore + 1);
    assert.deepEqual(upload.appends.map((a) => a.segment), [0, 1, 2]);
    assert.equal(upload.sha256, sha256(file));
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [upload.id]);
    assert.deepEqual(x.violations, []);
    again.close();
  });

  it('starts a new upload when X no longer has the saved media, or its time is nearly up', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    x.setVideoProcessing({ pollsBeforeDone: 0, checkAfterSecs: 1 });
    const rateLimited = () =>
      x.injectMediaFault('append', {
        status: 429,
        segment: 1,
        headers: { 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 },
      });

    // X forgot it: the APPEND answers 404, and a fresh INIT sends the whole file to a new id.
    const forgotten = largeMp4(scratch, 6 * MiB, 'forgotten.mp4');
    const forgottenDraft = await draftWithVideo(app, account.id, 'X forgot the upload', forgotten);
    let uploadsBefore = x.videoUploads.length;
    rateLimited();
    const first = await app.call('publish.now', { draftId: forgottenDraft });
    assert.equal(first.targets[0]!.status, 'queued');
    const lost = x.videoUploads.at(-1)!;
    x.forgetUpload(lost.id);
    let post = await settled(app, first.id, (p) => p.targets[0]!.status === 'published' || p.targets[0]!.status.startsWith('failed'));
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    let uploads = x.videoUploads.slice(uploadsBefore);
    assert.equal(uploads.length, 2);
    assert.equal(appendRequests(lost.id), 3, 'segment 0, the 429, and the one that found it gone');
    assert.deepEqual(uploads[1]!.appends.map((a) => a.segment), [0, 1]);
    assert.equal(uploads[1]!.sha256, sha256(forgotten));
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [uploads[1]!.id]);

    // Its time nearly up: a fresh INIT without asking X about the old id at all.
    x.setMediaExpiresAfterSecs(61);
    const expiring = largeMp4(scratch, 6 * MiB, 'expiring.mp4');
    const expiringDraft = await draftWithVideo(app, account.id, 'The upload expires soon', expiring);
    uploadsBefore = x.videoUploads.length;
    rateLimited();
    const second = await app.call('publish.now', { draftId: expiringDraft });
    assert.equal(second.targets[0]!.status, 'queued');
    x.setMediaExpiresAfterSecs(86_400);
    const old = x.videoUploads.at(-1)!;
    post = await settled(app, second.id, (p) => p.targets[0]!.status === 'published' || p.targets[0]!.status.startsWith('failed'));
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    uploads = x.videoUploads.slice(uploadsBefore);
    assert.equal(uploads.length, 2);
    assert.equal(appendRequests(old.id), 2, 'never asked again');
    assert.equal(uploads[1]!.sha256, sha256(expiring));
    assert.deepEqual(x.tweets.at(-1)!.mediaIds, [uploads[1]!.id]);
    assert.deepEqual(x.violations, []);
    app.close();
  });

  it('is refused by preflight beside images, as X takes one video and nothing else', async () => {
    const app = await startCore({ env: x.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'A clip and a picture', videoFixtures.mp4);
    const { smallPng } = await import('../fixtures/images');
    await app.call('drafts.addImage', { draftId, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    const issues = await app.call('drafts.preflight', { id: draftId });
    assert.deepEqual(issues.map((issue) => issue.ruleId), ['video.mix']);
    app.close();
  });
});
