// A video to LinkedIn through the outbox, against the contract mock of the Videos API
// (test/harness/linkedinServer.ts, with the real OAuth server): initializeUpload, each part PUT
// streamed from disk to its own address (the mock keeps what arrives), finalizeUpload with the
// parts' ETags, the status polled until AVAILABLE, then the post naming the video.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fiveSecondMp4, videoFixtures } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { freezableFetch } from '../harness/frozenFetch';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

/** Parts of 32 KiB: the 87,268-byte clip goes in three (LinkedIn's own parts are 4 MB). */
const partBytes = 32 * 1024;
const fileBytes = fs.statSync(fiveSecondMp4).size;

let linkedin: LinkedInServer;
before(async () => {
  linkedin = await startLinkedInServer({ videoPartBytes: partBytes });
});
after(() => linkedin.close());

async function connected(app: CoreClient, server: LinkedInServer = linkedin) {
  await app.call('developerApps.save', {
    platform: 'linkedin',
    clientId: server.client.clientId,
    clientSecret: server.client.clientSecret,
    redirectPort: server.oauth.fixedRedirectPort,
  });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'linkedin' });
  pending.catch(() => {});
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page to open'));
  return (await pending).account;
}

async function draftWithVideo(app: CoreClient, accountId: string, text: string, file = fiveSecondMp4) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: [accountId], langs: ['en'] });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.ok(added.outcome === 'added', JSON.stringify(added));
  return draft.id;
}

async function settled(app: CoreClient, postId: string, until: (status: string) => boolean) {
  let target;
  for (let i = 0; i < 400; i++) {
    target = (await app.call('history.list', {})).find((p) => p.id === postId)?.targets[0];
    if (target && until(target.status)) return target;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the target stayed ${target?.status}`);
}

const partPuts = (video: string, index: number) =>
  linkedin.requests.filter((r) => r.method === 'PUT' && r.path === `/dms-uploads/videos/${video.slice('urn:li:video:'.length)}/parts/${index}`).length;
const videoCalls = (action: string) => linkedin.requests.filter((r) => r.path === '/rest/videos' && r.query === `?action=${action}`);

describe('a video published to LinkedIn', () => {
  it('is uploaded in its parts, finalized with their ETags, waited for until AVAILABLE, and posted', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Our launch clip\nWith a second line');
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    linkedin.setVideoProcessing({ reads: 2 });
    const [videosBefore, postsBefore, from] = [linkedin.videos.length, linkedin.posts.length, linkedin.requests.length];

    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));

    assert.equal(linkedin.videos.length, videosBefore + 1, 'one video');
    const video = linkedin.videos.at(-1)!;
    assert.equal(video.owner, `urn:li:person:${linkedin.member.sub}`);
    assert.equal(video.parts.length, 3);
    assert.ok(video.bytes!.equals(fs.readFileSync(fiveSecondMp4)), 'LinkedIn got exactly the file');
    assert.equal(video.status, 'AVAILABLE');

    const initialize = videoCalls('initializeUpload').at(-1)!;
    assert.deepEqual(initialize.body, {
      initializeUploadRequest: { owner: video.owner, fileSizeBytes: fileBytes, uploadCaptions: false, uploadThumbnail: false },
    });
    const puts = linkedin.requests.slice(from).filter((r) => r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => ({ contentType: r.headers.contentType, bytes: (r.body as { bytes: number }).bytes, authorized: r.headers.authorized })),
      video.parts.map((part) => ({ contentType: 'application/octet-stream', bytes: part.lastByte - part.firstByte + 1, authorized: false })),
      'each part once, as octet-stream, without the member’s token',
    );
    assert.deepEqual((videoCalls('finalizeUpload').at(-1)!.body as { finalizeUploadRequest: unknown }).finalizeUploadRequest, {
      video: video.id,
      uploadToken: video.uploadToken,
      uploadedPartIds: video.parts.map((part) => part.etag),
    });

    // Polled (PROCESSING twice) before the post, and the post names the video with a title.
    const made = linkedin.requests.slice(from).map((r) => `${r.method} ${r.path}`);
    const reads = made.filter((r) => r.startsWith('GET /rest/videos/'));
    assert.equal(reads.length, 3, made.join(', '));
    assert.ok(made.lastIndexOf(reads[0]!) < made.indexOf('POST /rest/posts'));
    assert.equal(linkedin.posts.length, postsBefore + 1);
    const created = linkedin.posts.at(-1)!;
    assert.deepEqual(created.media, { id: video.id, title: 'Our launch clip' });
    assert.equal(created.commentary, 'Our launch clip\nWith a second line');
    assert.equal(post.targets[0]!.uri, created.id);
    assert.equal(post.targets[0]!.progress, null, 'reset on completion');
    app.close();
  });

  it('sends a part again when its connection drops mid-upload, within the same attempt', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Through a dropped part');
    linkedin.setVideoProcessing({ reads: 0 });
    linkedin.dropVideoPart(1);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(post.targets[0]!.attempts, 1);
    const video = linkedin.videos.at(-1)!;
    assert.deepEqual([0, 1, 2].map((index) => partPuts(video.id, index)), [1, 2, 1], 'only the dropped part went twice');
    assert.ok(video.bytes!.equals(fs.readFileSync(fiveSecondMp4)));
    assert.equal(linkedin.posts.at(-1)!.media?.id, video.id);
    app.close();
  });

  it('a video LinkedIn could not process (PROCESSING_FAILED) fails the target with media_unsupported and LinkedIn’s reason; no post', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'A broken video');
    linkedin.setVideoProcessing({ reads: 1, fails: true, failureReason: 'Video format is not supported' });
    try {
      const postsBefore = linkedin.posts.length;
      const target = (await app.call('publish.now', { draftId })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'media_unsupported');
      assert.equal(target.error!.message, 'LinkedIn could not process the video (PROCESSING_FAILED: Video format is not supported).');
      assert.match(target.error!.action ?? '', /nothing was posted/);
      assert.equal(linkedin.posts.length, postsBefore);
    } finally {
      linkedin.setVideoProcessing({ reads: 1 });
    }
    app.close();
  });

  it('a 5xx from the Videos API is passing trouble: nothing posted, the outbox tries again by itself, one video and one post', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Through the outage');
    linkedin.setVideoProcessing({ reads: 0 });
    const [videosBefore, postsBefore] = [linkedin.videos.length, linkedin.posts.length];
    linkedin.injectFault('/rest/videos', { status: 503, body: { status: 503, message: 'Service Unavailable' } });
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    const target = await settled(app, post.id, (status) => status === 'published');
    assert.equal(target.attempts, 2);
    assert.equal(linkedin.videos.length, videosBefore + 1);
    assert.equal(linkedin.posts.length, postsBefore + 1);
    app.close();
  });

  it('a spent daily limit on the Videos API (429) is rate_limited: the target waits, nothing is lost', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Over the video limit');
    linkedin.setDailyLimit('POST /rest/videos', { member: 0 });
    try {
      const target = (await app.call('publish.now', { draftId })).targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'rate_limited');
    } finally {
      linkedin.setDailyLimit('POST /rest/videos', { member: 500 });
    }
    app.close();
  });

  it('after a restart mid-upload, the outbox goes on by itself with the parts LinkedIn has not acknowledged: one video, one post', async () => {
    const first = freezableFetch();
    const app = await startCore({ env: linkedin.env, fetch: first.fetch });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Across a restart');
    linkedin.setVideoProcessing({ reads: 0 });
    const [videosBefore, postsBefore, initializedBefore] = [linkedin.videos.length, linkedin.posts.length, videoCalls('initializeUpload').length];
    linkedin.holdVideoPart(2);
    const publishing = app.call('publish.now', { draftId });
    publishing.catch(() => {});
    const video = await waitFor(() => (linkedin.videos.length > videosBefore && partPuts(linkedin.videos.at(-1)!.id, 2) > 0 ? linkedin.videos.at(-1) : undefined), 'the third part to be sent');
    // While the third part is under way, the queue shows at least the two acknowledged parts sent.
    let progress: { sentBytes: number; totalBytes: number } | null | undefined;
    for (let i = 0; i < 100 && !(progress && progress.sentBytes >= 2 * partBytes); i++) {
      progress = (await app.call('outbox.list', {}))[0]?.targets[0]?.progress;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(progress);
    assert.equal(progress.totalBytes, fileBytes);
    assert.ok(progress.sentBytes >= 2 * partBytes, `sent ${progress.sentBytes}`);
    // Localpost stops here, the third part unanswered.
    first.freeze();
    app.close();

    const again = await startCore({ env: linkedin.env, dataDir: app.dataDir });
    try {
      // Cut off during the upload, before the post request: nothing can have been posted, so the
      // target is sent on without asking the user.
      const [interrupted] = await again.call('outbox.list', {});
      assert.notEqual(interrupted!.targets[0]!.status, 'unknown');
      const target = await settled(again, interrupted!.id, (status) => status === 'published' || status.startsWith('failed'));
      assert.equal(target.status, 'published', JSON.stringify(target.error));

      assert.equal(linkedin.videos.length, videosBefore + 1, 'the same video, not a second one');
      assert.equal(videoCalls('initializeUpload').length, initializedBefore + 1);
      assert.deepEqual([partPuts(video.id, 0), partPuts(video.id, 1)], [1, 1], 'the acknowledged parts were not sent again');
      assert.ok(video.bytes!.equals(fs.readFileSync(fiveSecondMp4)), 'LinkedIn got exactly the file');
      assert.equal(linkedin.posts.length, postsBefore + 1);
      assert.equal(linkedin.posts.at(-1)!.media?.id, video.id);
    } finally {
      linkedin.releaseHeldParts();
      again.close();
    }
  });

  it('cut off during the post request itself, the target is left to the user: LinkedIn may have the post', async () => {
    // The post request reaches LinkedIn, and Localpost stops before its answer.
    let postSent = false;
    const first: typeof globalThis.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const response = await globalThis.fetch(input, init);
      if (init?.method === 'POST' && new URL(url).pathname === '/rest/posts') {
        postSent = true;
        return new Promise<never>(() => {});
      }
      return response;
    };
    const app = await startCore({ env: linkedin.env, fetch: first });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Stopped at the post');
    linkedin.setVideoProcessing({ reads: 0 });
    const postsBefore = linkedin.posts.length;
    void app.call('publish.now', { draftId }).catch(() => {});
    await waitFor(() => postSent || undefined, 'the post request to be sent');
    app.close();

    const again = await startCore({ env: linkedin.env, dataDir: app.dataDir });
    try {
      const [interrupted] = await again.call('outbox.list', {});
      assert.equal(interrupted!.targets[0]!.status, 'unknown');
      await again.core.outbox.idle();
      assert.equal(linkedin.posts.length, postsBefore + 1, 'the one post LinkedIn made, and no second by itself');
    } finally {
      again.close();
    }
  });

  it('a finalize whose answer was lost: the retry finds the video finalized and posts it, one video and one post', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const draftId = await draftWithVideo(app, account.id, 'Finalized in the dark');
    linkedin.setVideoProcessing({ reads: 0 });
    const [videosBefore, postsBefore] = [linkedin.videos.length, linkedin.posts.length];
    linkedin.loseNextFinalizeResponse();
    const post = await app.call('publish.now', { draftId });
    // Nothing can be posted before the post request: the outbox tries again by itself.
    assert.notEqual(post.targets[0]!.status, 'unknown');
    const target = await settled(app, post.id, (status) => status === 'published' || status.startsWith('failed'));
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.equal(target.attempts, 2);
    assert.equal(linkedin.videos.length, videosBefore + 1);
    const video = linkedin.videos.at(-1)!;
    assert.deepEqual([0, 1, 2].map((index) => partPuts(video.id, index)), [1, 1, 1], 'no part sent again');
    assert.equal(videoCalls('finalizeUpload').filter((r) => (r.body as { finalizeUploadRequest?: { video?: string } }).finalizeUploadRequest?.video === video.id).length, 2);
    assert.equal(linkedin.posts.length, postsBefore + 1);
    assert.equal(linkedin.posts.at(-1)!.media?.id, video.id);
    app.close();
  });

  it('where LinkedIn refuses to read a video back (403), the post goes out after a pause', async () => {
    const unreadable = await startLinkedInServer({ videoPartBytes: partBytes, videoReadsRefused: true });
    try {
      const app = await startCore({ env: unreadable.env });
      const account = await connected(app, unreadable);
      // Processed within a second: well inside the pause.
      unreadable.setVideoProcessing({ ms: 1_000 });
      const draft = await app.call('drafts.create', {});
      await app.call('drafts.save', { id: draft.id, text: 'Unreadable status', targetAccountIds: [account.id], langs: ['en'] });
      app.answerFileDialog(fiveSecondMp4);
      assert.equal((await app.call('drafts.addVideo', { draftId: draft.id })).outcome, 'added');
      const started = Date.now();
      const post = await app.call('publish.now', { draftId: draft.id });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.ok(Date.now() - started >= 15_000, 'after the pause');
      assert.equal(unreadable.posts.at(-1)!.media?.id, unreadable.videos.at(-1)!.id);
      app.close();
    } finally {
      await unreadable.close();
    }
  });

  it('refuses part addresses that are neither https nor this computer, sending nothing there', async () => {
    const elsewhere = await startLinkedInServer({ videoPartBytes: partBytes, videoUploadBase: 'http://uploads.example' });
    try {
      const asked: string[] = [];
      const app = await startCore({ env: elsewhere.env, fetch: (input, init) => (asked.push(String(input instanceof Request ? input.url : input)), globalThis.fetch(input, init)) });
      const account = await connected(app, elsewhere);
      const draft = await app.call('drafts.create', {});
      await app.call('drafts.save', { id: draft.id, text: 'Not over plain http', targetAccountIds: [account.id], langs: ['en'] });
      app.answerFileDialog(fiveSecondMp4);
      assert.equal((await app.call('drafts.addVideo', { draftId: draft.id })).outcome, 'added');
      const target = (await app.call('publish.now', { draftId: draft.id })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'platform_rejected');
      assert.match(target.error!.message, /without a safe address/);
      assert.deepEqual(asked.filter((url) => url.includes('uploads.example')), [], 'nothing sent there');
      assert.equal(elsewhere.posts.length, 0);
      app.close();
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses in preflight what LinkedIn does not take: a clip of 1 second and 7 KB', async () => {
    const app = await startCore({ env: linkedin.env });
    const account = await connected(app);
    const short = await draftWithVideo(app, account.id, 'Too short', videoFixtures.mp4);
    const ids = (await app.call('drafts.preflight', { id: short })).map((issue) => issue.ruleId);
    assert.ok(ids.includes('video.duration'), ids.join(', '));
    assert.ok(ids.includes('video.size'), 'under 75 KB');
    await assert.rejects(app.call('publish.now', { draftId: short }), { code: 'preflight_failed' });
    app.close();
  });
});
