// YouTube end to end in Node, through the core's real dispatch: a real OAuth server configured like
// Google's for installed apps and a contract mock of the YouTube Data API (test/harness/youtubeServer.ts)
// that checks every request against Google's discovery document, reached through the
// LOCALPOST_YOUTUBE_* endpoint overrides. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/youtube.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Post, YouTubeOptions } from '../../src-preload/contract';
import { emptyYouTubeFields } from '../../src-shared/youtube';
import { nextPacificMidnight } from '../../src-main/core/platforms/youtube/youtubeErrors';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { googleDefaultChunkBytes } from '../../src-main/core/http/googleResumableUpload';
import { uploadQuantum } from '../harness/googleResumableServer';
import { playBrowser } from '../harness/oauthServer';
import { storedCredential } from '../harness/storedCredential';
import { waitFor } from '../harness/waitFor';
import { startYouTubeServer, youTubeScopes, type YouTubeServer } from '../harness/youtubeServer';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

let youtube: YouTubeServer;
const scratch = videoScratchDir();
before(async () => {
  youtube = await startYouTubeServer();
});
after(async () => {
  await youtube.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => assert.deepEqual(youtube.violations.splice(0), [], 'requests Google’s discovery document (or YouTube’s rules) do not allow'));

// The mock serves the channel's picture too: allowed, as a site on the web would be.
const start = (dataDir?: string) => startCore({ env: youtube.env, allowPrivateAddressesFor: [youtube.origin], ...(dataDir ? { dataDir } : {}) });

function saveApp(app: CoreClient, switches?: { testing: boolean }) {
  return app.call('developerApps.save', {
    platform: 'youtube',
    clientId: youtube.client.clientId,
    clientSecret: youtube.client.clientSecret,
    redirectPort: 53682,
    ...(switches ? { switches } : {}),
  });
}

async function connect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'youtube' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver: true });
  return { pending, consentUrl, visit };
}

async function connected(app: CoreClient, switches?: { testing: boolean }) {
  await saveApp(app, switches);
  return (await (await connect(app)).pending).account;
}

const answered: Partial<YouTubeOptions> = { title: 'Our launch', madeForKids: false };

async function draft(app: CoreClient, accountId: string, text: string, video: string | null, options: Partial<YouTubeOptions> = answered) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: [accountId], langs: ['en'], platformOptions: { youtube: { ...emptyYouTubeFields, ...options } } });
  if (video) {
    app.answerFileDialog(video);
    const added = await app.call('drafts.addVideo', { draftId: created.id });
    assert.equal(added.outcome, 'added');
  }
  return created.id;
}

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const fileHash = (file: string) => sha256(fs.readFileSync(file));
const published = (post: Post) => post.targets[0]!.status === 'published';

describe('YouTube: connecting', () => {
  it('without an OAuth client says where to save one, and opens no browser', async () => {
    const app = await start();
    await assert.rejects(app.call('accounts.connect', { platform: 'youtube' }), (error: { code: string; error: { action?: string } }) => {
      assert.equal(error.code, 'developer_app_missing');
      assert.match(error.error.action ?? '', /Settings → Developer apps → YouTube/);
      return true;
    });
    // Google's installed-app token request carries the secret: an id alone is not saved.
    await assert.rejects(app.call('developerApps.save', { platform: 'youtube', clientId: youtube.client.clientId, redirectPort: 53682 }), { code: 'invalid_input' });
    assert.deepEqual(app.openedUrls, []);
    app.close();
  });

  it('signs in with Google’s installed-app flow (any loopback port, PKCE S256, offline access, the secret in the body) and the channel becomes the account', async () => {
    const app = await start();
    await saveApp(app);
    const { pending, consentUrl, visit } = await connect(app);
    const { account, updatedExisting } = await pending;
    assert.equal(visit.delivered?.status, 200);

    const authorize = new URL(consentUrl);
    assert.equal(authorize.origin + authorize.pathname, youtube.env.LOCALPOST_YOUTUBE_AUTHORIZE_URL);
    const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
    assert.equal(redirect.hostname, '127.0.0.1');
    assert.notEqual(redirect.port, '53682', 'an ephemeral port, not a registered one');
    assert.equal(redirect.pathname, '/');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('code_challenge'));
    assert.equal(authorize.searchParams.get('access_type'), 'offline');
    assert.equal(authorize.searchParams.get('scope'), `${youTubeScopes.upload} ${youTubeScopes.readonly}`);

    assert.equal(updatedExisting, false);
    assert.deepEqual(
      { platform: account.platform, handle: account.handle, displayName: account.displayName, remoteId: account.remoteId, service: account.service, status: account.status },
      { platform: 'youtube', handle: '@alicemakes', displayName: 'Alice Makes Things', remoteId: youtube.channel!.id, service: 'youtube.com', status: 'connected' },
    );
    assert.equal(account.nextAction, null, 'a published consent screen: no end to warn about');
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the channel’s picture, kept with the account');
    app.close();
    const credential = await storedCredential(app.dataDir, account.id);
    assert.ok(credential.tokens.refreshToken, 'offline access brought a refresh token');
    assert.equal(credential.client.clientAuthMethod, 'client_secret_post');
    assert.equal(credential.extra?.channelId, youtube.channel!.id);
  });

  it('with the consent screen in Testing, marks the channel with the day Google ends the sign-in, and Reconnect keeps the account', async () => {
    const app = await start();
    const account = await connected(app, { testing: true });
    assert.equal(account.nextAction, 'reconnect');
    assert.match(account.statusReason ?? '', /consent screen is in Testing.*7 days/);
    const again = await (await connect(app)).pending;
    assert.equal(again.updatedExisting, true);
    assert.equal(again.account.id, account.id);
    assert.equal((await app.call('accounts.list', {})).length, 1);
    app.close();
  });

  it('refuses a Google account without a channel, saying to create one', async () => {
    const app = await start();
    await saveApp(app);
    const channel = youtube.channel;
    youtube.setChannel(null);
    try {
      await assert.rejects((await connect(app)).pending, (error: { code: string; error: { message: string; action?: string } }) => {
        assert.equal(error.code, 'platform_rejected');
        assert.match(error.error.message, /no YouTube channel/);
        assert.match(error.error.action ?? '', /youtube\.com/);
        return true;
      });
      assert.deepEqual(await app.call('accounts.list', {}), []);
    } finally {
      youtube.setChannel(channel);
    }
    app.close();
  });

  it('Check connection asks for the channel; Disconnect revokes the grant at Google and forgets it', async () => {
    const app = await start();
    const account = await connected(app);
    const requestsBefore = youtube.requests.length;
    assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');
    assert.deepEqual(
      youtube.requests.slice(requestsBefore).map((r) => `${r.method} ${r.path}${r.query}`),
      ['GET /youtube/v3/channels?part=id&mine=true'],
    );
    const revocationsBefore = youtube.oauth.revocationRequestCount();
    await app.call('accounts.disconnect', { id: account.id });
    assert.ok(youtube.oauth.revocationRequestCount() > revocationsBefore, 'revoked at the revocation endpoint');
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('Test these credentials: the right secret is accepted, a wrong one refused', async () => {
    const app = await start();
    const ok = await app.call('developerApps.test', { platform: 'youtube', clientId: youtube.client.clientId, clientSecret: youtube.client.clientSecret, redirectPort: 53682 });
    assert.match(ok.message, /YouTube accepted/);
    await assert.rejects(app.call('developerApps.test', { platform: 'youtube', clientId: youtube.client.clientId, clientSecret: 'wrong', redirectPort: 53682 }), {
      code: 'developer_app_rejected',
    });
    app.close();
  });
});

describe('YouTube: preflight', () => {
  it('refuses a post without a video, an unanswered made-for-kids, and fields YouTube would refuse', async () => {
    const app = await start();
    const account = await connected(app);
    const rules = async (text: string, video: string | null, options: Partial<YouTubeOptions>) =>
      (await app.call('drafts.preflight', { id: await draft(app, account.id, text, video, options) })).map((issue) => issue.ruleId).sort();

    assert.deepEqual(await rules('words only', null, answered), ['youtube.video_required']);
    assert.deepEqual(await rules('', videoFixtures.mp4, { title: 'T', madeForKids: null }), ['youtube.made_for_kids']);
    assert.deepEqual(await rules('', videoFixtures.mp4, { title: '', madeForKids: true }), ['youtube.title_required']);
    assert.deepEqual(await rules('', videoFixtures.mp4, { title: 'x'.repeat(101), madeForKids: true }), ['youtube.title_length']);
    assert.deepEqual(await rules('', videoFixtures.mp4, { title: 'a <b>', madeForKids: true }), ['youtube.title_angle_brackets']);
    assert.deepEqual(await rules('see <here>', videoFixtures.mp4, answered), ['youtube.description_angle_brackets']);
    // 1,700 three-byte characters: 5,100 bytes, though only 1,700 characters.
    assert.deepEqual(await rules('€'.repeat(1700), videoFixtures.mp4, answered), ['youtube.description_bytes']);
    // 50 tags of 9 letters with a space: 50 × 11 + 49 commas = 599 as YouTube counts.
    assert.deepEqual(await rules('', videoFixtures.mp4, { ...answered, tags: Array.from({ length: 50 }, (_, i) => `tag ${String(i).padStart(5, '0')}`) }), ['youtube.tags_length']);
    assert.deepEqual(await rules('', videoFixtures.mp4, { ...answered, privacy: 'public', publishAt: '2030-01-01T10:00:00.000Z' }), ['youtube.publish_at']);
    assert.deepEqual(await rules('fine', videoFixtures.mp4, answered), []);

    // The core checks again: publishing an unanswered draft is refused before anything is sent.
    const before = youtube.uploads.requests.length;
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, account.id, '', videoFixtures.mp4, { title: 'T' }) }), { code: 'preflight_failed' });
    assert.equal(youtube.uploads.requests.length, before);
    app.close();
  });
});

describe('YouTube: publishing', () => {
  it('uploads the video resumably with every option, reports progress, and links the watch page', async () => {
    const app = await start();
    const account = await connected(app);
    const size = googleDefaultChunkBytes + 8 * 1024 * 1024;
    const file = largeMp4(scratch, size, 'launch.mp4');
    const options: Partial<YouTubeOptions> = { title: 'Our launch', privacy: 'unlisted', madeForKids: false, categoryId: '28', tags: ['launch', 'local first'] };
    const draftId = await draft(app, account.id, 'What we made this year', file, options);
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    const videosBefore = youtube.videos.length;
    const sessionsBefore = youtube.uploads.sessionIds().length;

    const publishing = app.call('publish.now', { draftId });
    const seen: Array<{ sentBytes: number; totalBytes: number }> = [];
    let done = false;
    void publishing.finally(() => (done = true));
    while (!done) {
      const target = (await app.call('outbox.list', {}))[0]?.targets[0];
      if (target?.progress) seen.push(target.progress);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const post = await publishing;
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.equal(youtube.videos.length, videosBefore + 1);
    const video = youtube.videos.at(-1)!;
    assert.equal(target.uri, video.id);
    assert.equal(target.url, `https://www.youtube.com/watch?v=${video.id}`);
    assert.deepEqual((video.resource as { snippet: unknown }).snippet, {
      title: 'Our launch',
      description: 'What we made this year',
      categoryId: '28',
      tags: ['launch', 'local first'],
      defaultLanguage: 'en',
      channelId: youtube.channel!.id,
      channelTitle: youtube.channel!.title,
      publishedAt: (video.resource as { snippet: { publishedAt: string } }).snippet.publishedAt,
    });
    const status = (video.resource as { status: Record<string, unknown> }).status;
    assert.equal(status.privacyStatus, 'unlisted');
    assert.equal(status.selfDeclaredMadeForKids, false);
    assert.equal(status.publishAt, undefined);

    // One session, two chunks (the uploader's chunk, then the last 8 MiB), the file byte for byte.
    assert.equal(youtube.uploads.sessionIds().length, sessionsBefore + 1);
    const session = youtube.uploads.sessionIds().at(-1)!;
    assert.deepEqual(
      youtube.uploads.requests.filter((r) => r.sessionId === session && r.kind === 'chunk').map((r) => [r.start, r.end]),
      [
        [0, googleDefaultChunkBytes],
        [googleDefaultChunkBytes, size],
      ],
    );
    assert.equal(youtube.uploads.bytesReceived(session), size);
    assert.equal(sha256(youtube.uploads.storedFile(session)), fileHash(file));

    assert.ok(seen.length >= 1, `progress seen ${seen.length} times`);
    assert.ok(seen.every((p) => p.totalBytes === size));
    assert.ok(seen.every((p, i) => i === 0 || p.sentBytes >= seen[i - 1]!.sentBytes), 'never backwards');
    assert.equal(post.targets[0]!.progress, null);
    app.close();
  });

  it('hands a schedule to YouTube’s own publishAt, uploading the video as private', async () => {
    const app = await start();
    const account = await connected(app);
    const publishAt = '2031-05-04T09:30:00.000Z';
    const draftId = await draft(app, account.id, 'Later', videoFixtures.mp4, { title: 'Premiere', madeForKids: true, privacy: 'private', publishAt });
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const status = (youtube.videos.at(-1)!.resource as { status: Record<string, unknown> }).status;
    assert.deepEqual({ privacyStatus: status.privacyStatus, publishAt: status.publishAt, selfDeclaredMadeForKids: status.selfDeclaredMadeForKids }, { privacyStatus: 'private', publishAt, selfDeclaredMadeForKids: true });
    app.close();
  });

  it('a publishAt that has passed by the time the post goes is refused before anything is sent', async () => {
    const app = await start();
    const account = await connected(app);
    const sessionsBefore = youtube.uploads.sessionIds().length;
    const post = await app.call('publish.now', {
      draftId: await draft(app, account.id, '', videoFixtures.mp4, { ...answered, privacy: 'private', publishAt: '2020-01-01T10:00:00.000Z' }),
    });
    assert.equal(post.targets[0]!.status, 'failed_permanent');
    assert.equal(post.targets[0]!.error?.code, 'invalid_input');
    assert.match(post.targets[0]!.error?.message ?? '', /has passed\. Nothing was uploaded\./);
    assert.equal(youtube.uploads.sessionIds().length, sessionsBefore);
    app.close();
  });

  it('a connection dropped mid-chunk resumes from the byte YouTube acknowledged, in the same session', async () => {
    const app = await start();
    const account = await connected(app);
    const file = largeMp4(scratch, 12 * 1024 * 1024, 'dropped.mp4');
    const draftId = await draft(app, account.id, '', file);
    youtube.uploads.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 3 * uploadQuantum + 1000 });
    const sessionsBefore = youtube.uploads.sessionIds().length;
    const videosBefore = youtube.videos.length;
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, published);
    assert.equal(youtube.videos.length, videosBefore + 1);
    assert.equal(youtube.uploads.sessionIds().length, sessionsBefore + 1, 'no second session');
    const session = youtube.uploads.sessionIds().at(-1)!;
    const chunks = youtube.uploads.requests.filter((r) => r.sessionId === session && r.kind === 'chunk');
    assert.equal(chunks[1]!.start, 3 * uploadQuantum, 'the next chunk starts where YouTube’s Range ended');
    assert.equal(sha256(youtube.uploads.storedFile(session)), fileHash(file));
    assert.ok(youtube.uploads.bytesReceived(session) < 12 * 1024 * 1024 + 8 * 1024 * 1024, 'not sent again from zero');
    assert.equal(post.targets[0]!.url, `https://www.youtube.com/watch?v=${youtube.videos.at(-1)!.id}`);
    app.close();
  });

  it('a lost final answer is settled by asking the session: the video it made, not a second one', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id, 'Lost, then found', videoFixtures.mp4);
    youtube.uploads.nextChunk({ kind: 'lose_answer' });
    const videosBefore = youtube.videos.length;
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, published);
    assert.equal(youtube.videos.length, videosBefore + 1, 'exactly one video');
    const session = youtube.uploads.sessionIds().at(-1)!;
    const asked = youtube.uploads.requests.filter((r) => r.sessionId === session && r.kind === 'status');
    assert.equal(asked.at(-1)!.status, 200, 'the status query answered with the video');
    assert.equal(post.targets[0]!.uri, youtube.videos.at(-1)!.id);
    app.close();
  });

  it('a 5xx on a chunk is tried again within the upload', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id, '', videoFixtures.mp4);
    youtube.uploads.nextChunk({ kind: 'status', status: 503 });
    const videosBefore = youtube.videos.length;
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, published);
    assert.equal(youtube.videos.length, videosBefore + 1);
    assert.equal(post.targets[0]!.status, 'published');
    app.close();
  });

  for (const reason of ['quotaExceeded', 'uploadLimitExceeded'] as const) {
    it(`${reason}: says so plainly and holds the channel’s uploads until midnight Pacific time`, async () => {
      const app = await start();
      const account = await connected(app);
      const draftId = await draft(app, account.id, '', videoFixtures.mp4);
      const sessionsBefore = youtube.uploads.sessionIds().length;
      youtube.refuseNextInsert(reason);
      const post = await app.call('publish.now', { draftId });
      const target = post.targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'rate_limited');
      assert.match(target.error?.message ?? '', reason === 'quotaExceeded' ? /daily YouTube API quota/ : /videos YouTube lets it upload in a day/);
      assert.match(target.error?.action ?? '', /midnight Pacific time/);
      const midnight = nextPacificMidnight(Date.now());
      assert.ok(target.nextAttemptAt! >= midnight && target.nextAttemptAt! < midnight + 60 * 60_000, `held until ${new Date(target.nextAttemptAt!).toISOString()}`);
      assert.equal(youtube.uploads.sessionIds().length, sessionsBefore, 'no session was started');
      await app.call('outbox.cancel', { postId: post.id });
      app.close();
    });
  }

  it('refusals of the title or description and a forbidden upload fail with YouTube’s reason, nothing created', async () => {
    const app = await start();
    const account = await connected(app);
    for (const [reason, pattern] of [
      ['invalidTitle', /title/],
      ['invalidDescription', /description/],
      ['forbidden', /did not allow this upload/],
    ] as const) {
      const videosBefore = youtube.videos.length;
      youtube.refuseNextInsert(reason);
      const post = await app.call('publish.now', { draftId: await draft(app, account.id, '', videoFixtures.mp4) });
      assert.equal(post.targets[0]!.status, 'failed_permanent', reason);
      assert.match(post.targets[0]!.error?.message ?? '', pattern);
      assert.equal(youtube.videos.length, videosBefore);
    }
    app.close();
  });

  it('a Google account whose channel is gone is told to make one; its sign-in is not taken for dead', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id, '', videoFixtures.mp4);
    const channel = youtube.channel;
    const tokenRequestsBefore = youtube.oauth.tokenRequestCount();
    youtube.setChannel(null);
    try {
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'failed_permanent');
      assert.match(post.targets[0]!.error?.message ?? '', /no YouTube channel yet/);
      assert.match(post.targets[0]!.error?.action ?? '', /Create a channel at youtube\.com/);
      assert.equal(youtube.oauth.tokenRequestCount(), tokenRequestsBefore, 'no refresh for a 401 about the channel');
      assert.equal((await app.call('accounts.list', {}))[0]!.status, 'connected');
    } finally {
      youtube.setChannel(channel);
    }
    app.close();
  });

  it('a revoked grant holds the post and asks to reconnect the channel', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id, '', videoFixtures.mp4);
    app.close();
    // The user removed Localpost's access in their Google Account: the access token is refused and
    // the refresh token answers invalid_grant ("Token has been expired or revoked.").
    const credential = await storedCredential(app.dataDir, account.id);
    await youtube.oauth.revokeAccessToken(credential.tokens.accessToken);
    youtube.oauth.injectFault('token', { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, times: 1 });
    const again = await start(app.dataDir);
    const post = await again.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    const [after] = await again.call('accounts.list', {});
    assert.equal(after!.status, 'needs_reauth');
    assert.equal(after!.nextAction, 'reconnect');
    again.close();
  });
});

/**
 * Publishes a video of two chunks in a child process and kills it (SIGKILL) once YouTube has
 * acknowledged the first chunk and the second is under way: a crash mid-upload, the session's
 * address saved with the target.
 */
async function cutOffMidUpload(name: string) {
  const app = await start();
  const account = await connected(app);
  const file = largeMp4(scratch, googleDefaultChunkBytes + 8 * 1024 * 1024, name);
  const draftId = await draft(app, account.id, 'Cut off', file);
  app.close();
  const videosBefore = youtube.videos.length;
  const sessionsBefore = youtube.uploads.sessionIds().length;
  // The first chunk is acknowledged; the second hangs half-read until the process is killed.
  youtube.uploads.nextChunk({ kind: 'pass' });
  youtube.uploads.nextChunk({ kind: 'hang' });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/harness/publishChild.ts')], {
    cwd: repoRoot,
    env: { ...process.env, LOCALPOST_PUBLISH_CHILD_DATA_DIR: app.dataDir, LOCALPOST_PUBLISH_CHILD_ENV: JSON.stringify(youtube.env), LOCALPOST_PUBLISH_CHILD_DRAFT_ID: draftId },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const session = await waitFor(() => youtube.uploads.sessionIds()[sessionsBefore], 'the upload session', 2400);
  await waitFor(() => (youtube.uploads.requests.filter((r) => r.sessionId === session && r.kind === 'chunk').length === 2 ? true : undefined), 'the second chunk to start', 2400);
  child.kill('SIGKILL');
  await exited;
  assert.equal(youtube.uploads.storedFile(session).length, googleDefaultChunkBytes, 'the first chunk was acknowledged');
  assert.equal(youtube.videos.length, videosBefore);
  return { dataDir: app.dataDir, file, session, videosBefore, sessionsBefore };
}

describe('YouTube: an upload cut off by a crash', () => {
  it('resumes after a restart from the last byte YouTube acknowledged, not from zero, and the video exists once', { timeout: 120_000 }, async () => {
    const { dataDir, file, session, videosBefore, sessionsBefore } = await cutOffMidUpload('crash.mp4');
    const acknowledged = youtube.uploads.storedFile(session).length;

    const restarted = await start(dataDir);
    const postId = (await restarted.call('history.list', {}))[0]!.id;
    const post = await settled(restarted, postId, published, 2400);
    assert.equal(youtube.videos.length, videosBefore + 1, 'one video');
    assert.equal(youtube.uploads.sessionIds().length, sessionsBefore + 1, 'the saved session, not a new one');
    const after = youtube.uploads.requests.filter((r) => r.sessionId === session);
    const firstChunkAfterRestart = after.filter((r) => r.kind === 'chunk')[2]!;
    assert.equal(firstChunkAfterRestart.start, acknowledged, 'resumed from the acknowledged byte, not from zero');
    assert.ok(after.some((r) => r.kind === 'status'), 'asked the session where it stood');
    assert.equal(sha256(youtube.uploads.storedFile(session)), fileHash(file));
    assert.equal(post.targets[0]!.url, `https://www.youtube.com/watch?v=${youtube.videos.at(-1)!.id}`);
    restarted.close();
  });

  it('a session that expired meanwhile (404) starts a new one, and the video exists once', { timeout: 120_000 }, async () => {
    const { dataDir, file, session, videosBefore, sessionsBefore } = await cutOffMidUpload('expired.mp4');
    youtube.uploads.expire(404);

    const restarted = await start(dataDir);
    const postId = (await restarted.call('history.list', {}))[0]!.id;
    await settled(restarted, postId, published, 2400);
    assert.equal(youtube.videos.length, videosBefore + 1, 'one video');
    assert.equal(youtube.uploads.sessionIds().length, sessionsBefore + 2, 'a new session after the expired one');
    assert.equal(youtube.uploads.requests.filter((r) => r.sessionId === session && r.kind === 'status').at(-1)!.status, 404);
    const fresh = youtube.uploads.sessionIds().at(-1)!;
    assert.equal(sha256(youtube.uploads.storedFile(fresh)), fileHash(file));
    restarted.close();
  });
});
