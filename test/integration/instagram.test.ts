// Instagram end to end in Node, through the core's real dispatch, against the contract mock of
// Meta's Instagram API with Instagram Login (test/harness/instagramServer.ts), reached through the
// LOCALPOST_INSTAGRAM_* endpoint overrides, and a real S3 bucket (s3rver) the mock fetches media
// from as Instagram's crawler does. The core's clock and the mock's are one movable clock, so a
// token's days pass in a test. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/instagram.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Post } from '../../src-preload/contract';
import { secretIdFor } from '../../src-main/core/accounts/accountStore';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import { loadOrCreateLoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import type { OAuthAccountCredential } from '../../src-main/core/oauth/oauthAccounts';
import { facebookLoginInstagramExtra } from '../../src-main/core/platforms/meta/linkedInstagram';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startInstagramServer, type InstagramServer } from '../harness/instagramServer';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';
import { settled } from '../harness/settled';
import { storedCredential } from '../harness/storedCredential';
import { testKeyWrapper } from '../harness/testPorts';
import { waitFor } from '../harness/waitFor';

const hour = 3_600_000;
const day = 24 * hour;
let offset = 0;
const clock = { now: () => Date.now() + offset };
let ig: InstagramServer;
let s3: S3Server;
let port: number;

before(async () => {
  ig = await startInstagramServer({ now: clock.now });
  s3 = await startS3Server();
  port = await findFreePort();
  ig.registerRedirect(`https://localhost:${port}/callback`);
});
after(async () => {
  await ig.close();
  await s3.close();
});
afterEach(() => {
  assert.deepEqual(ig.violations.splice(0), [], 'requests Meta’s documentation does not allow');
  ig.setProcessingMs(30);
  offset = 0;
});

const start = (server = ig, env: Record<string, string> = {}, dataDir?: string) =>
  startCore({ env: { ...server.env, ...env }, clock, allowPrivateAddressesFor: [server.origin, s3.endpoint], ...(dataDir ? { dataDir } : {}) });

function saveApp(app: CoreClient, server = ig) {
  return app.call('developerApps.save', { platform: 'instagram', clientId: server.app.appId, clientSecret: server.app.appSecret, redirectPort: port });
}

const saveBucket = (app: CoreClient) =>
  app.call('mediaStorage.save', { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });

/** Starts a connect and plays the browser up to the https address it lands on (not delivered). */
async function startConnect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'instagram' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver: false });
  return { pending, consentUrl, landedOn: visit.callbackUrl };
}

async function connectByPaste(app: CoreClient, server = ig) {
  await saveApp(app, server);
  const { pending, landedOn } = await startConnect(app);
  await app.call('accounts.completeSignIn', { pastedUrl: landedOn });
  return (await pending).account;
}

/** Connected, with the bucket saved: ready to publish media. */
async function ready(server = ig) {
  const app = await start(server);
  const account = await connectByPaste(app, server);
  await saveBucket(app);
  return { app, account };
}

/** The browser reaching the TLS listener once the user continued past its warning. */
async function deliverOverTls(app: CoreClient, callbackUrl: string): Promise<number> {
  const { cert } = await loadOrCreateLoopbackCertificate(app.dataDir);
  const url = new URL(callbackUrl);
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: Number(url.port), path: url.pathname + url.search, servername: url.hostname, headers: { host: url.host }, ca: cert, agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      })
      .on('error', reject);
  });
}

async function draft(app: CoreClient, accountId: string, text: string) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: [accountId], langs: ['en'] });
  return created.id;
}

async function addImage(app: CoreClient, draftId: string, alt: string, size: [number, number] = [320, 256]) {
  const added = await app.call('drafts.addImage', { draftId, fileName: 'photo.png', bytes: new Uint8Array(await smallPng(size[0], size[1])) });
  if (alt) await app.call('drafts.setImageAlt', { draftId, imageId: added.id, alt });
}

async function addVideo(app: CoreClient, draftId: string, file: string = videoFixtures.tiktok) {
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId });
  assert.equal(added.outcome, 'added');
}

const isSettled = (post: Post) => ['published', 'failed_permanent', 'unknown'].includes(post.targets[0]!.status);
const creates = (server = ig) => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${server.user.id}/media`));
const publishes = (server = ig) => server.requests.filter((r) => r.path.endsWith(`/${server.user.id}/media_publish`));
const publishNow = async (app: CoreClient, draftId: string, done = isSettled) => settled(app, (await app.call('publish.now', { draftId })).id, done);

describe('Instagram: connecting', () => {
  it('signs in by pasting the address the browser landed on (#_ and all), and keeps the 60-day token', async () => {
    const app = await start();
    await saveApp(app);
    const before = ig.requests.length;
    const { pending, consentUrl, landedOn } = await startConnect(app);
    const authorize = new URL(consentUrl);
    assert.equal(authorize.origin + authorize.pathname, `${ig.origin}/oauth/authorize`);
    assert.equal(authorize.searchParams.get('client_id'), ig.app.appId);
    assert.equal(authorize.searchParams.get('redirect_uri'), `https://localhost:${port}/callback`);
    assert.equal(authorize.searchParams.get('scope'), 'instagram_business_basic,instagram_business_content_publish');
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('code_challenge'), null, 'Instagram documents no PKCE');
    assert.ok(landedOn.endsWith('#_'), 'Meta adds #_ to the redirect');

    await app.call('accounts.completeSignIn', { pastedUrl: landedOn });
    const { account } = await pending;
    assert.equal(account.platform, 'instagram');
    assert.equal(account.handle, ig.user.username);
    assert.equal(account.displayName, ig.user.name);
    assert.equal(account.status, 'connected');
    assert.match(account.avatar ?? '', /^data:image\//, 'profile_picture_url, kept with the account');

    const calls = ig.requests.slice(before).map((r) => r.path);
    assert.deepEqual(
      calls.filter((p) => p !== '/avatars/instagram.png'),
      ['/oauth/authorize', '/oauth/access_token', '/access_token', '/v24.0/me'],
      'code → short-lived token → ig_exchange_token → /me (at the default Graph API version) with the long-lived one',
    );
    const exchange = ig.requests.filter((r) => r.path === '/oauth/access_token').at(-1)!;
    assert.equal(exchange.form.client_secret, ig.app.appSecret);
    assert.equal(exchange.form.grant_type, 'authorization_code');
    assert.equal(exchange.form.redirect_uri, `https://localhost:${port}/callback`);
    const longLived = ig.requests.filter((r) => r.path === '/access_token').at(-1)!;
    assert.equal(longLived.query.grant_type, 'ig_exchange_token');
    const me = ig.requests.filter((r) => r.path === '/v24.0/me').at(-1)!;
    assert.equal(me.query.fields, 'user_id,username,name,profile_picture_url,account_type');
    app.close();
    const stored = await storedCredential(app.dataDir, account.id);
    assert.equal(ig.tokenKinds().find((t) => t.token === stored.tokens.accessToken)?.kind, 'long', 'the vault keeps the long-lived token');
    assert.ok(Math.abs(stored.tokens.expiresAt! - stored.tokens.obtainedAt! - 60 * day) < 1000, '60 days');
    assert.equal(stored.tokens.refreshToken, undefined);
    assert.deepEqual(stored.extra, { login: 'instagram', userId: ig.user.id }, 'the professional account id (user_id), not the app-scoped id');
  });

  it('signs in by itself when the browser reaches the TLS listener (the #_ stays in the browser)', async () => {
    const app = await start();
    await saveApp(app);
    const { pending, landedOn } = await startConnect(app);
    assert.equal(await deliverOverTls(app, landedOn), 200);
    const { account } = await pending;
    assert.equal(account.handle, ig.user.username);
    app.close();
  });

  it('renews the long-lived token only once it is a day old, and ahead of its end', async () => {
    // Tokens of 30 hours: the renewal is due 7.5 hours before the end (a quarter of the lifetime),
    // at 22.5 hours, when Meta would still refuse it as younger than a day.
    const short = await startInstagramServer({ now: clock.now, longLivedTtlSeconds: 30 * 3600 });
    short.registerRedirect(`https://localhost:${port}/callback`);
    try {
      const app = await start(short);
      const account = await connectByPaste(app, short);
      const first = (await storedCredential(app.dataDir, account.id)).tokens.accessToken;

      offset = 23 * hour;
      app.setOnline(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(short.requests.filter((r) => r.path === '/refresh_access_token').length, 0, 'not asked before 24 hours');

      offset = 25 * hour;
      app.setOnline(true);
      const renewal = await waitFor(() => short.requests.find((r) => r.path === '/refresh_access_token'), 'the renewal');
      assert.equal(renewal.query.grant_type, 'ig_refresh_token');
      assert.equal(renewal.query.access_token, first);
      let renewed = first;
      for (let i = 0; i < 100 && renewed === first; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        renewed = (await storedCredential(app.dataDir, account.id)).tokens.accessToken;
      }
      assert.notEqual(renewed, first, 'the renewed token is stored');
      const check = await app.call('accounts.check', { id: account.id });
      assert.equal(check.status, 'connected');
      assert.equal(short.requests.at(-1)!.authorization, `Bearer ${renewed}`, 'the API gets the renewed token');
      app.close();
      assert.deepEqual(short.violations, []);
    } finally {
      await short.close();
    }
  });
});

describe('Instagram: publishing through media storage', () => {
  it('a photo: converted to JPEG, put in the bucket, fetched by its presigned address with its alt text, deleted, published at the version Settings name', async () => {
    const { app, account } = await ready();
    await app.call('settings.update', { metaGraphApiVersion: 'v25.0' });
    ig.setProcessingMs(120);
    const draftId = await draft(app, account.id, 'A photo from Localpost #localfirst');
    await addImage(app, draftId, 'A test pattern');
    const post = await publishNow(app, draftId);
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));

    const fetched = ig.fetched.at(-1)!;
    assert.equal(fetched.contentType, 'image/jpeg');
    assert.deepEqual([...fetched.bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG, converted from the PNG');
    assert.equal(fetched.altText, 'A test pattern');
    const presigned = new URL(fetched.url);
    assert.equal(presigned.origin, s3.endpoint);
    assert.ok(presigned.searchParams.get('X-Amz-Signature'), 'a presigned GET');
    const create = creates().at(-1)!;
    assert.equal(create.path, `/v25.0/${ig.user.id}/media`, 'the Graph API version from Settings');
    assert.equal(create.form.media_type, undefined, 'a photo container names no media_type');
    assert.equal(create.form.caption, 'A photo from Localpost #localfirst');
    const published = ig.media.at(-1)!;
    assert.equal(target.uri, published.id);
    assert.equal(target.url, published.permalink);
    const statusReads = ig.requests.filter((r) => r.path === `/v25.0/${published.containerId}`);
    assert.ok(statusReads.length >= 2, 'polled while IN_PROGRESS, then FINISHED');
    assert.equal(statusReads[0]!.query.fields, 'status_code,status');
    assert.deepEqual(await s3.keys(), [], 'the object is gone from the bucket');
    const limit = ig.requests.findIndex((r) => r.path.endsWith('/content_publishing_limit'));
    assert.ok(limit >= 0 && limit < ig.requests.indexOf(create), 'the publishing limit read before any container');
    app.close();
  });

  it('a carousel of photos and a video: item containers, each FINISHED, then the CAROUSEL, published once, every object deleted', async () => {
    const { app, account } = await ready();
    const draftId = await draft(app, account.id, 'Three things');
    await addImage(app, draftId, 'First picture', [320, 256]);
    await addImage(app, draftId, 'Second picture', [400, 320]);
    await addVideo(app, draftId);
    const fetchedBefore = ig.fetched.length;
    const publishesBefore = publishes().length;
    const post = await publishNow(app, draftId);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.deepEqual(ig.fetched.slice(fetchedBefore).map((f) => [f.contentType, f.altText]), [
      ['image/jpeg', 'First picture'],
      ['image/jpeg', 'Second picture'],
      ['video/mp4', null],
    ]);
    assert.ok(ig.fetched.at(-1)!.bytes.equals(fs.readFileSync(videoFixtures.tiktok)), 'the very video, byte for byte');
    const made = creates().slice(-4).map((r) => r.form);
    assert.deepEqual(made.map((f) => [f.media_type ?? 'IMAGE', f.is_carousel_item ?? null]), [
      ['IMAGE', 'true'],
      ['IMAGE', 'true'],
      ['VIDEO', 'true'],
      ['CAROUSEL', null],
    ]);
    assert.equal(made[3]!.caption, 'Three things');
    assert.equal(made[3]!.children!.split(',').length, 3);
    assert.equal(publishes().length - publishesBefore, 1, 'only the carousel is published');
    assert.equal(ig.containers.get(ig.media.at(-1)!.containerId)!.mediaType, 'CAROUSEL');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('a carousel of ten: nine photos and a video, the most Instagram takes; an eleventh item is refused before anything is created', async () => {
    const { app, account } = await ready();
    const draftId = await draft(app, account.id, 'Ten of them');
    for (let n = 1; n <= 9; n++) await addImage(app, draftId, `Picture ${n}`, [200 + n * 10, 200]);
    await addVideo(app, draftId);
    const post = await publishNow(app, draftId);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const carousel = creates().at(-1)!.form;
    assert.equal(carousel.media_type, 'CAROUSEL');
    assert.equal(carousel.children!.split(',').length, 10);
    assert.deepEqual(await s3.keys(), []);

    const tooMany = await draft(app, account.id, 'Eleven');
    for (let n = 1; n <= 10; n++) await addImage(app, tooMany, `Picture ${n}`);
    await addVideo(app, tooMany);
    const createsBefore = creates().length;
    await assert.rejects(app.call('publish.now', { draftId: tooMany }), (error: { code: string; message: string }) => error.code === 'preflight_failed' && error.message.includes('instagram.carousel_size'));
    assert.equal(creates().length, createsBefore, 'nothing created');
    // A draft holds ten images, as many as the most generous platform takes; the next is refused.
    await assert.rejects(addImage(app, tooMany, 'Picture 11'), (error: { code: string }) => error.code === 'preflight_failed');
    app.close();
  });

  it('a video alone is a Reel shared to the feed, without alt text', async () => {
    const { app, account } = await ready();
    ig.setProcessingMs(200);
    const draftId = await draft(app, account.id, 'A Reel from Localpost');
    await addVideo(app, draftId);
    const post = await publishNow(app, draftId);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const create = creates().at(-1)!.form;
    assert.equal(create.media_type, 'REELS');
    assert.equal(create.share_to_feed, 'true');
    assert.equal(create.alt_text, undefined);
    assert.ok(new URL(create.video_url!).searchParams.get('X-Amz-Signature'));
    assert.equal(ig.fetched.at(-1)!.contentType, 'video/mp4');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('a container in ERROR ends the target with Meta’s subcode in Localpost’s words; nothing published, the object deleted', async () => {
    const { app, account } = await ready();
    const before = ig.media.length;
    ig.failNextContainer(2207009);
    const draftId = await draft(app, account.id, 'Too wide');
    await addImage(app, draftId, 'x');
    const post = await publishNow(app, draftId);
    const target = post.targets[0]!;
    assert.equal(target.status, 'failed_permanent');
    assert.equal(target.error?.code, 'media_unsupported');
    assert.match(target.error!.message, /aspect ratio.*2207009/);
    assert.equal(ig.media.length, before);
    assert.deepEqual(await s3.keys(), []);

    // And the mock fetches as Instagram does: the address of a deleted object (as of a lapsed one) fails.
    const token = (await storedCredential(app.dataDir, account.id)).tokens.accessToken;
    const refused = await fetch(`${ig.origin}/v24.0/${ig.user.id}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ image_url: ig.fetched.at(-1)!.url, caption: 'again' }).toString(),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { error_subcode: number } }).error.error_subcode, 2207052);
    app.close();
  });

  it('a lost publish answer is settled by the container’s status: posted once', async () => {
    const { app, account } = await ready();
    const before = ig.media.length;
    const publishesBefore = publishes().length;
    ig.loseNextPublishAnswer();
    const text = `Exactly once ${Date.now()}`;
    const draftId = await draft(app, account.id, text);
    await addImage(app, draftId, 'once');
    const post = await publishNow(app, draftId);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]));
    assert.equal(ig.media.length - before, 1, 'one post on Instagram');
    assert.equal(publishes().length - publishesBefore, 1, 'no second publish');
    assert.equal(post.targets[0]!.url, ig.media.at(-1)!.permalink, 'found among the account’s posts');
    assert.deepEqual(await s3.keys(), []);
    app.close();
    // The app secret and every token travelled in query strings (Meta's token exchanges): none is logged.
    const secrets = [ig.app.appSecret, ...ig.tokenKinds().map((t) => t.token)];
    assert.deepEqual(secretsIn(app.traffic.join('\n'), secrets), []);
    const logs = filesUnder(app.dataDir).filter((f) => f.endsWith('.log'));
    assert.ok(logs.length > 0);
    for (const log of logs) assert.deepEqual(secretsInFile(log, secrets), [], log);
  });

  it('with the day’s publishing quota used up, the post waits until the window frees one, nothing created', async () => {
    const { app, account } = await ready();
    const containersBefore = ig.containers.size;
    const now = clock.now();
    // 50 posts from the Instagram app: the oldest 20 hours ago, the rest an hour ago.
    ig.setPublishedElsewhere([now - 20 * hour, ...Array.from({ length: 49 }, () => now - hour)]);
    try {
      const draftId = await draft(app, account.id, 'Over the daily cap');
      await addImage(app, draftId, 'x');
      const post = await publishNow(app, draftId, (p) => p.targets[0]!.error !== null);
      const target = post.targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'rate_limited');
      assert.match(target.error!.message, /50 posts/);
      // The 50th newest post in the window leaves it first: with this test's earlier posts, an hour-old one.
      const timestamps = [...ig.media.map((m) => m.timestamp), now - 20 * hour, ...Array.from({ length: 49 }, () => now - hour)].sort((a, b) => b - a);
      const expected = timestamps[49]! + day + 60_000;
      assert.ok(Math.abs(target.nextAttemptAt! - expected) < 2000, `retried when the window frees a post (${target.nextAttemptAt} vs ${expected})`);
      assert.equal(ig.containers.size, containersBefore, 'no container made');
      assert.deepEqual(await s3.keys(), [], 'nothing put in the bucket');
    } finally {
      ig.setPublishedElsewhere([]);
    }
    app.close();
  });

  it('Meta’s rate limit (code 4) holds the post until its usage header says access returns, nothing created', async () => {
    const { app, account } = await ready();
    const containersBefore = ig.containers.size;
    const draftId = await draft(app, account.id, 'Slow down');
    await addImage(app, draftId, 'x');
    ig.throttleNextCall(17);
    const post = await publishNow(app, draftId, (p) => p.targets[0]!.error !== null);
    const target = post.targets[0]!;
    assert.equal(target.status, 'queued');
    assert.equal(target.error?.code, 'rate_limited');
    assert.ok(Math.abs(target.nextAttemptAt! - (clock.now() + 17 * 60_000)) < 5000, 'estimated_time_to_regain_access, in minutes');
    assert.equal(ig.containers.size, containersBefore);
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('a dead token (190) asks for a reconnect', async () => {
    const { app, account } = await ready();
    ig.killTokens();
    const draftId = await draft(app, account.id, 'After a password change');
    await addImage(app, draftId, 'x');
    const post = await publishNow(app, draftId, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.match(post.targets[0]!.error!.message, /190\/460/);
    const listed = (await app.call('accounts.list', {})).find((a) => a.id === account.id)!;
    assert.equal(listed.status, 'needs_reauth');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });
});

describe('Instagram: preflight', () => {
  const refusedWith = (ruleId: string) => (error: { code: string; message: string }) => error.code === 'preflight_failed' && error.message.includes(ruleId);

  it('refuses a post without media, over 2,200 characters, or with more than 5 hashtags (a carousel’s size: above)', async () => {
    const { app, account } = await ready();
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, account.id, 'Just words') }), refusedWith('instagram.media_required'));

    const long = await draft(app, account.id, 'x'.repeat(2201));
    await addImage(app, long, 'x');
    await assert.rejects(app.call('publish.now', { draftId: long }), refusedWith('instagram.caption_length'));

    const tags = await draft(app, account.id, '#one #two #three #four #five #six');
    await addImage(app, tags, 'x');
    await assert.rejects(app.call('publish.now', { draftId: tags }), refusedWith('instagram.hashtag_limit'));
    const five = await draft(app, account.id, '#one #two #three #four #five, and C# is not a tag');
    await addImage(app, five, 'x');
    const published = await publishNow(app, five);
    assert.equal(published.targets[0]!.status, 'published', 'five hashtags pass');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('refuses media while no media storage is saved', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    const draftId = await draft(app, account.id, 'No bucket');
    await addImage(app, draftId, 'x');
    await assert.rejects(app.call('publish.now', { draftId }), refusedWith('media.storage_missing'));
    app.close();
  });
});

describe('Instagram: an account reached through a Facebook Page', () => {
  it('publishes through Facebook’s Graph API with the Page’s token, which is never renewed', async () => {
    const facebook = await startInstagramServer({ now: clock.now, host: 'facebook' });
    try {
      // An Instagram Login account first, for the account row; then its credential becomes what the
      // Facebook Pages platform saves for an Instagram account linked to a Page.
      const first = await start(ig, facebook.env);
      const account = await connectByPaste(first);
      first.close();
      const pageToken = facebook.issuePageToken();
      await rewriteCredential(first.dataDir, account.id, (stored) => ({
        platformName: 'Instagram',
        endpoints: { tokenUrl: `${facebook.origin}/v24.0/oauth/access_token` },
        client: stored.client,
        tokens: { accessToken: pageToken, scope: 'instagram_basic,instagram_content_publish', tokenType: 'bearer', obtainedAt: clock.now() },
        extra: facebookLoginInstagramExtra(facebook.user.id),
      }));

      const app = await start(ig, facebook.env, first.dataDir);
      await saveBucket(app);
      const instagramCallsBefore = ig.requests.length;
      const draftId = await draft(app, account.id, 'Through the Page');
      await addImage(app, draftId, 'Via Facebook');
      const post = await publishNow(app, draftId);
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.equal(facebook.media.at(-1)!.caption, 'Through the Page');
      assert.equal(post.targets[0]!.url, facebook.media.at(-1)!.permalink);
      assert.equal(facebook.fetched.at(-1)!.altText, 'Via Facebook');
      assert.ok(creates(facebook).at(-1)!.authorization === `Bearer ${pageToken}`, 'the Page’s token');
      assert.equal(ig.requests.length, instagramCallsBefore, 'nothing went to graph.instagram.com');
      assert.deepEqual(await s3.keys(), []);

      // A token Meta refuses: reconnect through Facebook, not here.
      facebook.killTokens();
      const dead = await draft(app, account.id, 'After the Page token died');
      await addImage(app, dead, 'x');
      const failed = await publishNow(app, dead, (p) => p.targets[0]!.error !== null);
      assert.equal(failed.targets[0]!.error?.code, 'platform_auth_failed');
      assert.match(failed.targets[0]!.error!.action ?? '', /Facebook/);
      app.close();
      assert.equal(facebook.requests.filter((r) => r.path.includes('access_token')).length, 0, 'a Page token is never exchanged or renewed');
      assert.deepEqual(facebook.violations, []);
    } finally {
      await facebook.close();
    }
  });
});

/** Rewrites an account's vault credential in a closed app's data folder. */
async function rewriteCredential(dataDir: string, accountId: string, change: (stored: OAuthAccountCredential) => OAuthAccountCredential) {
  const db = openDatabase(dataDir);
  try {
    const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
    await vault.open();
    const stored = JSON.parse(vault.get(secretIdFor(accountId))!) as OAuthAccountCredential;
    vault.put(secretIdFor(accountId), JSON.stringify(change(stored)));
  } finally {
    db.close();
  }
}
