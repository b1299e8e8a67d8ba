// TikTok end to end in Node, through the core's real dispatch, against the contract mock of Login
// Kit for Desktop and the Content Posting API (test/harness/tiktokServer.ts), reached through the
// LOCALPOST_TIKTOK_* endpoint overrides. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/tiktok.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Post, TikTokOptions } from '../../src-preload/contract';
import { emptyTikTokFields } from '../../src-shared/tiktok';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { publishWatchingProgress } from '../harness/publishWatchingProgress';
import { playBrowser } from '../harness/oauthServer';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';
import { storedCredential } from '../harness/storedCredential';
import { startTikTokServer, type TikTokServer } from '../harness/tiktokServer';
import { waitFor } from '../harness/waitFor';

let tiktok: TikTokServer;
before(async () => {
  tiktok = await startTikTokServer();
});
after(() => tiktok.close());
afterEach(() => {
  assert.deepEqual(tiktok.violations.splice(0), [], 'requests TikTok’s documentation does not allow');
  // Back to the defaults a test may have changed.
  Object.assign(tiktok.creator, { privacyLevels: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'], maxVideoSeconds: 600, accountPrivate: true });
  tiktok.setAudited(false);
  tiktok.setProcessingPolls(2);
  tiktok.setAccessTokenTtl(2 * 60 * 60);
});

const mb = 1024 * 1024;
// The mock serves the creator's picture too: allowed, as a site on the web would be.
const start = (dataDir?: string) => startCore({ env: tiktok.env, allowPrivateAddressesFor: [tiktok.origin], ...(dataDir ? { dataDir } : {}) });

function saveApp(app: CoreClient, options: { audited?: boolean; secret?: string } = {}) {
  return app.call('developerApps.save', {
    platform: 'tiktok',
    clientId: tiktok.client.clientKey,
    clientSecret: options.secret ?? tiktok.client.clientSecret,
    redirectPort: 53682,
    ...(options.audited !== undefined ? { switches: { audited: options.audited } } : {}),
  });
}

async function connect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'tiktok' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver: true });
  return { pending, consentUrl, visit };
}

async function connected(app: CoreClient, options: { audited?: boolean } = {}) {
  await saveApp(app, options);
  return (await (await connect(app)).pending).account;
}

/** A draft with a video, and TikTok's options as the composer leaves them after creator_info. */
async function draft(app: CoreClient, accountId: string, options: { file?: string | null; text?: string; tiktok?: Partial<TikTokOptions>; privacy?: TikTokOptions['privacy'][string] | null } = {}) {
  const created = await app.call('drafts.create', {});
  const creator = await app.call('creatorInfo.get', { accountId });
  const privacy = options.privacy === null ? {} : { [accountId]: options.privacy ?? 'SELF_ONLY' };
  const platformOptions = { tiktok: { ...emptyTikTokFields, creators: { [accountId]: creator }, privacy, ...options.tiktok } };
  await app.call('drafts.save', { id: created.id, text: options.text ?? 'A TikTok from Localpost', targetAccountIds: [accountId], langs: ['en'], platformOptions });
  if (options.file !== null) {
    app.answerFileDialog(options.file ?? videoFixtures.tiktok);
    const added = await app.call('drafts.addVideo', { draftId: created.id });
    assert.equal(added.outcome, 'added');
  }
  return created.id;
}

const inits = () => tiktok.requests.filter((r) => r.path === '/v2/post/publish/video/init/').length;
const isPublished = (post: Post) => post.targets[0]!.status === 'published';

describe('TikTok: connecting', () => {
  it('signs in with Login Kit for Desktop: client_key, the hex S256 challenge, the secret in the form, an ephemeral loopback port', async () => {
    const app = await start();
    await saveApp(app);
    const tokenRequestsBefore = tiktok.requests.filter((r) => r.path === '/v2/oauth/token/').length;
    const { pending, consentUrl, visit } = await connect(app);
    const { account } = await pending;
    assert.equal(visit.delivered?.status, 200);

    const authorize = new URL(consentUrl);
    assert.equal(authorize.searchParams.get('client_key'), tiktok.client.clientKey);
    assert.equal(authorize.searchParams.get('client_id'), null, 'TikTok calls it client_key');
    assert.match(authorize.searchParams.get('code_challenge')!, /^[0-9a-f]{64}$/, 'hex, not base64url');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('scope'), 'user.info.basic,video.publish');
    assert.match(authorize.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback\/$/);
    assert.notEqual(new URL(authorize.searchParams.get('redirect_uri')!).port, '53682', 'any free port, not the saved one');

    const exchange = tiktok.requests.filter((r) => r.path === '/v2/oauth/token/').slice(tokenRequestsBefore)[0]!;
    const form = exchange.body as Record<string, string>;
    assert.equal(form.grant_type, 'authorization_code');
    assert.equal(form.client_key, tiktok.client.clientKey);
    assert.equal(form.client_secret, tiktok.client.clientSecret);
    assert.equal(crypto.createHash('sha256').update(form.code_verifier!).digest('hex'), authorize.searchParams.get('code_challenge'));
    assert.equal(exchange.headers.authorization, undefined, 'no HTTP Basic: the secret goes in the body');

    // user.info.basic names the account; creator_info gives its username.
    assert.equal(account.platform, 'tiktok');
    assert.equal(account.handle, tiktok.creator.username);
    assert.equal(account.displayName, tiktok.creator.nickname);
    assert.equal(account.status, 'connected');
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the creator’s picture, kept with the account');
    app.close();
    const stored = await storedCredential(app.dataDir, account.id);
    assert.equal(stored.client.clientIdParameter, 'client_key', 'the refresh names the client as the sign-in did');
    assert.equal(stored.client.clientAuthMethod, 'client_secret_post');
    assert.ok(stored.extra?.openId?.startsWith('-000'));
    assert.ok(stored.extra?.unionId);
  });

  it('a user who denies connects nothing and says so', async () => {
    const app = await start();
    await saveApp(app);
    tiktok.nextConsent('deny');
    const { pending } = await connect(app);
    await assert.rejects(pending, (error: { code: string }) => error.code === 'authorization_incomplete' || error.code === 'platform_rejected');
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('Test these credentials: accepted with the right key and secret, rejected with a wrong secret', async () => {
    const app = await start();
    const fields = { platform: 'tiktok' as const, clientId: tiktok.client.clientKey, clientSecret: tiktok.client.clientSecret, redirectPort: 53682 };
    const accepted = await app.call('developerApps.test', fields);
    assert.match(accepted.message, /TikTok accepted/);
    await assert.rejects(app.call('developerApps.test', { ...fields, clientSecret: 'not-the-secret' }), { code: 'developer_app_rejected' });
    app.close();
  });

  it('rotates the refresh token: the new one is stored before use, and the old one is never sent again', async () => {
    const app = await start();
    tiktok.setAccessTokenTtl(20);
    const account = await connected(app);
    const before = (await storedCredential(app.dataDir, account.id)).tokens;
    assert.ok(before.expiresAt! - before.obtainedAt! <= 20_000, 'a 20-second token');
    tiktok.expireAccessTokens();
    const creator = await app.call('creatorInfo.get', { accountId: account.id });
    assert.equal(creator.username, tiktok.creator.username);
    const afterRefresh = (await storedCredential(app.dataDir, account.id)).tokens;
    assert.notEqual(afterRefresh.refreshToken, before.refreshToken, 'rotated and stored');
    tiktok.expireAccessTokens();
    await app.call('creatorInfo.get', { accountId: account.id });
    assert.deepEqual(tiktok.reusedRefreshTokens, [], 'no rotated-away refresh token was sent again');
    assert.equal((await app.call('accounts.list', {}))[0]!.status, 'connected');
    app.close();
  });
});

describe('TikTok: checking and disconnecting', () => {
  it('Check connection reads user info; Disconnect revokes at TikTok with client_key and the secret', async () => {
    const app = await start();
    const account = await connected(app);
    assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');
    const revokesBefore = tiktok.requests.filter((r) => r.path === '/v2/oauth/revoke/').length;
    await app.call('accounts.disconnect', { id: account.id });
    const revokes = tiktok.requests.filter((r) => r.path === '/v2/oauth/revoke/').slice(revokesBefore);
    assert.ok(revokes.length > 0);
    for (const revoke of revokes) {
      const form = revoke.body as Record<string, string>;
      assert.equal(form.client_key, tiktok.client.clientKey);
      assert.equal(form.client_secret, tiktok.client.clientSecret);
      assert.ok(form.token);
    }
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });
});

describe('TikTok: creator_info drives the options, preflight refuses what TikTok would', () => {
  it('an unaudited app is offered only SELF_ONLY; an audited one every level the creator has, and the creator’s switches', async () => {
    const app = await start();
    const account = await connected(app);
    const unaudited = await app.call('creatorInfo.get', { accountId: account.id });
    assert.deepEqual(unaudited.privacyLevels, ['SELF_ONLY']);
    assert.equal(unaudited.onlyPrivate, true);
    assert.equal(unaudited.duetDisabled, true);
    assert.equal(unaudited.maxVideoSeconds, 600);

    await saveApp(app, { audited: true });
    tiktok.creator.privacyLevels = ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'];
    const audited = await app.call('creatorInfo.get', { accountId: account.id });
    assert.deepEqual(audited.privacyLevels, ['FOLLOWER_OF_CREATOR', 'SELF_ONLY']);
    assert.equal(audited.onlyPrivate, false);
    app.close();
  });

  it('preflight: no audience chosen, no video, a title over 2,200, a video longer than the creator may post, a disclosure left half-done', async () => {
    const app = await start();
    const account = await connected(app);
    const ids = async (draftId: string) => (await app.call('drafts.preflight', { id: draftId })).map((issue) => issue.ruleId).sort();

    assert.deepEqual(await ids(await draft(app, account.id, { privacy: null })), ['tiktok.privacy_level']);
    assert.deepEqual(await ids(await draft(app, account.id, { file: null })), ['tiktok.video_required']);
    assert.deepEqual(await ids(await draft(app, account.id, { tiktok: { disclose: true } })), ['tiktok.disclosure']);
    // The text is the video's title: 2,200 UTF-16 units.
    assert.deepEqual(await ids(await draft(app, account.id, { text: '🎬'.repeat(1100) })), []);
    assert.deepEqual(await ids(await draft(app, account.id, { text: `${'🎬'.repeat(1100)}!` })), ['tiktok.title_length']);
    assert.deepEqual(await ids(await draft(app, account.id, { tiktok: { disclose: true, brandedContent: true } })), ['tiktok.branded_private']);
    // A level the unaudited app is not offered.
    assert.deepEqual(await ids(await draft(app, account.id, { privacy: 'PUBLIC_TO_EVERYONE' })), ['tiktok.privacy_level']);
    tiktok.creator.maxVideoSeconds = 2;
    assert.deepEqual(await ids(await draft(app, account.id)), ['tiktok.duration']);
    // And the core refuses to publish it.
    const initsBefore = inits();
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, account.id) }), { code: 'preflight_failed' });
    assert.equal(inits(), initsBefore, 'nothing sent');
    app.close();
  });
});

describe('TikTok: publishing a video', () => {
  it('reads creator_info, inits FILE_UPLOAD with TikTok’s chunk arithmetic, PUTs the chunks with progress, polls to PUBLISH_COMPLETE', async () => {
    const app = await start();
    const account = await connected(app);
    const scratch = videoScratchDir();
    const file = largeMp4(scratch, 23 * mb, 'tiktok.mp4', videoFixtures.tiktok);
    const draftId = await draft(app, account.id, { file, tiktok: { allowComment: true, allowDuet: true } });
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    const initsBefore = inits();
    const creatorQueriesBefore = tiktok.requests.filter((r) => r.path === '/v2/post/publish/creator_info/query/').length;
    tiktok.setProcessingPolls(3);

    const { post: published, seen } = await publishWatchingProgress(app, draftId);
    const post = await settled(app, published.id, isPublished);
    assert.equal(post.targets[0]!.url, null, 'a SELF_ONLY video has no public link');

    assert.equal(inits() - initsBefore, 1);
    assert.ok(tiktok.requests.filter((r) => r.path === '/v2/post/publish/creator_info/query/').length > creatorQueriesBefore, 'creator_info read before the init');
    const init = tiktok.requests.filter((r) => r.path === '/v2/post/publish/video/init/').at(-1)!.body as { post_info: Record<string, unknown>; source_info: Record<string, unknown> };
    assert.deepEqual(init.source_info, { source: 'FILE_UPLOAD', video_size: 23 * mb, chunk_size: 10 * mb, total_chunk_count: 2 });
    assert.deepEqual(init.post_info, {
      title: 'A TikTok from Localpost',
      privacy_level: 'SELF_ONLY',
      disable_comment: false,
      // The user allowed duets, but the creator turned them off.
      disable_duet: true,
      disable_stitch: true,
      brand_content_toggle: false,
      brand_organic_toggle: false,
    });
    const uploads = tiktok.requests.filter((r) => r.path === '/upload/');
    assert.deepEqual(uploads.slice(-2).map((r) => r.headers['content-range']), [`bytes 0-${10 * mb - 1}/${23 * mb}`, `bytes ${10 * mb}-${23 * mb - 1}/${23 * mb}`]);
    const publish = tiktok.posted.at(-1)!;
    const chunkHashes = [0, 1].map((i) => publish.received.get(i)!);
    const fileBytes = fs.readFileSync(file);
    assert.deepEqual(chunkHashes, [fileBytes.subarray(0, 10 * mb), fileBytes.subarray(10 * mb)].map((b) => crypto.createHash('sha256').update(b).digest('hex')), 'the file arrived byte for byte');
    assert.ok(seen.length > 0 && seen.every((p) => p.totalBytes === 23 * mb), 'progress reported');
    assert.ok(seen.some((p) => p.sentBytes > 0 && p.sentBytes < 23 * mb), 'progress while uploading');
    // No secret in what crossed the bridge or went to the log: the app's secret, the upload token.
    const uploadToken = new URL(`${tiktok.origin}${uploads.at(-1)!.path}${uploads.at(-1)!.query}`).searchParams.get('upload_token')!;
    app.close(); // its last lines written
    const logs = filesUnder(app.dataDir).filter((f) => f.endsWith('.log'));
    assert.ok(logs.length > 0, 'the core logged');
    assert.deepEqual(secretsIn(app.traffic.join('\n'), [tiktok.client.clientSecret, uploadToken]), []);
    for (const log of logs) assert.deepEqual(secretsInFile(log, [tiktok.client.clientSecret, uploadToken]), [], log);
  });

  it('an audited app posting publicly gets the post’s link once TikTok published it', async () => {
    const app = await start();
    const account = await connected(app, { audited: true });
    tiktok.setAudited(true);
    const draftId = await draft(app, account.id, { privacy: 'PUBLIC_TO_EVERYONE' });
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isPublished);
    assert.match(post.targets[0]!.url ?? '', new RegExp(`^https://www\\.tiktok\\.com/@${tiktok.creator.username.replace('.', '\\.')}/video/\\d+$`));
    app.close();
  });

  it('a video TikTok is still moderating when the wait ends is published without a link, posted once', async () => {
    const app = await startCore({ env: { ...tiktok.env, LOCALPOST_TIKTOK_MODERATION_WAIT_MS: '300' } });
    const account = await connected(app);
    tiktok.setProcessingPolls(1000);
    const postedBefore = tiktok.posted.length;
    const draftId = await draft(app, account.id);
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isPublished);
    assert.equal(post.targets[0]!.url, null);
    assert.equal(tiktok.posted.length, postedBefore, 'TikTok has not finished');
    app.close();
  });
});

describe('TikTok: faults', () => {
  it('a connection dropped mid-chunk is retried from that chunk: one init, one video', async () => {
    const app = await start();
    const account = await connected(app);
    const file = largeMp4(videoScratchDir(), 23 * mb, 'tiktok.mp4', videoFixtures.tiktok);
    const draftId = await draft(app, account.id, { file });
    const [initsBefore, postedBefore] = [inits(), tiktok.posted.length];
    tiktok.dropNextUploadMidway();
    await settled(app, (await app.call('publish.now', { draftId })).id, isPublished);
    assert.equal(inits() - initsBefore, 1);
    assert.equal(tiktok.posted.length - postedBefore, 1);
    app.close();
  });

  it('an upload address that is neither https nor where the API is gets no byte; the next attempt posts once', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id);
    const [putsBefore, postedBefore] = [tiktok.requests.filter((r) => r.method === 'PUT').length, tiktok.posted.length];
    tiktok.answerNextUploadUrl('http://uploads.example.test/upload/?upload_token=hijacked');
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'queued', 'nothing can have been posted: tried again');
    assert.equal(target.error?.code, 'platform_rejected');
    // Refused as unsafe, not tried and failed: no request went to the address at all.
    assert.match(target.error?.message ?? '', /safe upload address/);
    assert.equal(tiktok.requests.filter((r) => r.method === 'PUT').length, putsBefore, 'no chunk went anywhere');
    await settled(app, post.id, isPublished);
    assert.equal(tiktok.posted.length - postedBefore, 1, 'posted once, through the address TikTok gave next');
    app.close();
  });

  it('the final chunk’s answer lost: settled by the stored publish_id, never a second init', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id);
    const [initsBefore, postedBefore] = [inits(), tiktok.posted.length];
    // One chunk (under 5 MB): its answer is lost, then TikTok's upload host fails every retry, so
    // the attempt ends unsure; the next one asks status/fetch, which says the bytes all arrived.
    tiktok.loseNextAnswer('/upload/');
    tiktok.injectFault('/upload/', { status: 503, times: 4 });
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isPublished, 1600);
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(inits() - initsBefore, 1, 'no second init');
    assert.equal(tiktok.posted.length - postedBefore, 1);
    tiktok.clearFaults();
    app.close();
  });

  it('the init’s answer lost: the unanswered init never gets a byte, a second one posts the video once', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id);
    const [publishesBefore, postedBefore] = [tiktok.publishes.length, tiktok.posted.length];
    tiktok.loseNextAnswer('/v2/post/publish/video/init/');
    await settled(app, (await app.call('publish.now', { draftId })).id, isPublished, 1600);
    const made = tiktok.publishes.slice(publishesBefore);
    assert.equal(made.length, 2);
    assert.equal(made[0]!.uploadedBytes, 0, 'the lost init’s upload stays empty: TikTok never posts it');
    assert.equal(tiktok.posted.length - postedBefore, 1);
    app.close();
  });

  it('an upload TikTok forgot (its hour over) before it was complete starts over: nothing of it was posted', async () => {
    const app = await start();
    const account = await connected(app);
    const file = largeMp4(videoScratchDir(), 23 * mb, 'tiktok.mp4', videoFixtures.tiktok);
    const draftId = await draft(app, account.id, { file });
    const [publishesBefore, postedBefore] = [tiktok.publishes.length, tiktok.posted.length];
    // The first chunk fails every try: the attempt ends with the publish_id saved and nothing sent.
    tiktok.injectFault('/upload/', { status: 503, times: 5 });
    const first = await app.call('publish.now', { draftId });
    assert.equal(first.targets[0]!.status, 'queued');
    tiktok.lapseIncompleteUploads();
    await settled(app, first.id, isPublished, 2000);
    const made = tiktok.publishes.slice(publishesBefore);
    assert.equal(made.length, 2, 'a new init only because TikTok forgot the first upload');
    assert.equal(made[0]!.uploadedBytes, 0);
    assert.equal(tiktok.posted.length - postedBefore, 1);
    tiktok.clearFaults();
    app.close();
  });

  it('a 5xx at init is tried again; a 429 rate_limit_exceeded holds the target with rate_limited', async () => {
    const app = await start();
    const account = await connected(app);
    tiktok.injectFault('/v2/post/publish/video/init/', { status: 500 });
    await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id) })).id, isPublished, 1600);

    tiktok.injectFault('/v2/post/publish/video/init/', {
      status: 429,
      body: { data: {}, error: { code: 'rate_limit_exceeded', message: 'The API rate limit was exceeded.', log_id: 'x' } },
      headers: { 'retry-after': '3600' },
    });
    const held = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id) })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(held.targets[0]!.status, 'queued');
    assert.equal(held.targets[0]!.error?.code, 'rate_limited');
    app.close();
  });

  it('an unaudited app posting for a public account says the ACCOUNT must be private', async () => {
    const app = await start();
    const account = await connected(app);
    tiktok.creator.accountPrivate = false;
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id) })).id, (p) => p.targets[0]!.status.startsWith('failed'));
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    assert.match(post.targets[0]!.error!.message, /unaudited_client_can_only_post_to_private_accounts/);
    assert.match(post.targets[0]!.error!.action ?? '', /make the ACCOUNT private/);
    app.close();
  });

  it('a grant revoked at TikTok: the account needs reconnecting and the post waits for it', async () => {
    const app = await start();
    const account = await connected(app);
    const draftId = await draft(app, account.id);
    tiktok.revokeGrant();
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.equal((await app.call('accounts.list', {}))[0]!.status, 'needs_reauth');
    app.close();
  });
});

describe('TikTok: a restart mid-upload', () => {
  it('continues from the stored publish_id, not a new init, and posts the video exactly once', async () => {
    const setup = await start();
    const account = await connected(setup);
    const file = largeMp4(videoScratchDir(), 35 * mb, 'tiktok.mp4', videoFixtures.tiktok);
    const draftId = await draft(setup, account.id, { file });
    setup.close();
    const [initsBefore, publishesBefore, postedBefore] = [inits(), tiktok.publishes.length, tiktok.posted.length];

    // The second chunk's PUT is held unanswered while the process is killed.
    const uploadsBefore = tiktok.requests.filter((r) => r.path === '/upload/').length;
    const stalled = tiktok.stallUpload(1);
    let answered = false;
    const firstChunk = waitFor(() => (tiktok.requests.filter((r) => r.path === '/upload/').length > uploadsBefore ? true : undefined), 'the first chunk', 2000);
    const here = path.dirname(fileURLToPath(import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../harness/tiktokPublishChild.ts'), draftId], {
      cwd: path.join(here, '../..'),
      env: { ...process.env, LOCALPOST_TIKTOK_CHILD_DATA_DIR: setup.dataDir, LOCALPOST_TIKTOK_CHILD_ENV: JSON.stringify(tiktok.env) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await firstChunk;
    await stalled;
    answered = true;
    child.kill('SIGKILL');
    await exited;
    assert.ok(answered);
    const publish = tiktok.publishes.slice(publishesBefore);
    assert.equal(publish.length, 1);
    assert.equal(publish[0]!.uploadedBytes, 10 * mb, 'one chunk in when the process died');

    const app = await start(setup.dataDir);
    const post = await settled(app, (await app.call('history.list', {}))[0]!.id, isPublished, 1600);
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(inits() - initsBefore, 1, 'no new init after the restart');
    assert.equal(tiktok.publishes.length - publishesBefore, 1);
    assert.equal(tiktok.posted.length - postedBefore, 1, 'posted exactly once');
    const resumed = tiktok.requests.filter((r) => r.path === '/upload/' && !(r.body as { stalled?: boolean }).stalled).slice(-2);
    assert.deepEqual(resumed.map((r) => r.headers['content-range']), [`bytes ${10 * mb}-${20 * mb - 1}/${35 * mb}`, `bytes ${20 * mb}-${35 * mb - 1}/${35 * mb}`], 'from the second chunk on');
    app.close();
  });
});
