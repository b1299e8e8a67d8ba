// Threads end to end in Node, through the core's real dispatch, against the contract mock of
// Meta's Threads API (test/harness/threadsServer.ts), reached through the LOCALPOST_THREADS_*
// endpoint overrides. The core's clock and the mock's are one movable clock, so a token's days
// pass in a test. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/threads.test.ts
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Post } from '../../src-preload/contract';
import { loadOrCreateLoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import { startCore, type CoreClient } from '../harness/coreClient';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { settled } from '../harness/settled';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';
import { storedCredential } from '../harness/storedCredential';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { startThreadsServer, type ThreadsServer } from '../harness/threadsServer';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import fs from 'node:fs';
import { waitFor } from '../harness/waitFor';

const hour = 3_600_000;
let offset = 0;
const clock = { now: () => Date.now() + offset };
let threads: ThreadsServer;
let port: number;

before(async () => {
  threads = await startThreadsServer({ now: clock.now });
  port = await findFreePort();
  threads.registerRedirect(`https://localhost:${port}/callback`);
});
after(() => threads.close());
afterEach(() => {
  assert.deepEqual(threads.violations.splice(0), [], 'requests Meta’s documentation does not allow');
  threads.setProcessingPolls(1);
  offset = 0;
});

const start = (server = threads) => startCore({ env: server.env, clock, allowPrivateAddressesFor: [server.origin] });

async function draftWithImage(app: CoreClient, accountId: string, text: string, alt: string) {
  const draftId = await draft(app, accountId, text);
  const added = await app.call('drafts.addImage', { draftId, fileName: 'photo.png', bytes: new Uint8Array(await smallPng(320, 200)) });
  await app.call('drafts.setImageAlt', { draftId, imageId: added.id, alt });
  return draftId;
}

function saveApp(app: CoreClient, server = threads) {
  return app.call('developerApps.save', { platform: 'threads', clientId: server.app.appId, clientSecret: server.app.appSecret, redirectPort: port });
}

/** Starts a connect and plays the browser up to the https address it lands on (not delivered). */
async function startConnect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'threads' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver: false });
  return { pending, consentUrl, landedOn: visit.callbackUrl };
}

async function connectByPaste(app: CoreClient, server = threads) {
  await saveApp(app, server);
  const { pending, landedOn } = await startConnect(app);
  await app.call('accounts.completeSignIn', { pastedUrl: landedOn });
  return (await pending).account;
}

/** The browser reaching the TLS listener once the user continued past its warning (it trusts the certificate now). */
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

const isSettled = (post: Post) => ['published', 'failed_permanent', 'unknown'].includes(post.targets[0]!.status);
const pathsOf = (path: string) => threads.requests.filter((r) => r.path === path);

describe('Threads: connecting', () => {
  it('signs in by pasting the address the browser landed on, and keeps the 60-day token', async () => {
    const app = await start();
    await saveApp(app);
    const before = threads.requests.length;
    const { pending, consentUrl, landedOn } = await startConnect(app);
    const authorize = new URL(consentUrl);
    assert.equal(authorize.searchParams.get('client_id'), threads.app.appId);
    assert.equal(authorize.searchParams.get('redirect_uri'), `https://localhost:${port}/callback`);
    assert.equal(authorize.searchParams.get('scope'), 'threads_basic,threads_content_publish');
    assert.equal(authorize.searchParams.get('code_challenge'), null, 'Threads documents no PKCE');
    assert.ok(landedOn.endsWith('#_'), 'Meta adds #_ to the redirect');

    await app.call('accounts.completeSignIn', { pastedUrl: landedOn });
    const { account } = await pending;
    assert.equal(account.platform, 'threads');
    assert.equal(account.handle, threads.user.username);
    assert.equal(account.displayName, threads.user.name);
    assert.equal(account.status, 'connected');
    assert.match(account.avatar ?? '', /^data:image\//, 'threads_profile_picture_url, kept with the account');

    const calls = threads.requests.slice(before).map((r) => r.path);
    assert.deepEqual(
      calls.filter((p) => p !== '/avatars/threads.png'),
      ['/oauth/authorize', '/oauth/access_token', '/access_token', '/v1.0/me'],
      'code → short-lived token → th_exchange_token → /me with the long-lived one',
    );
    const exchange = pathsOf('/oauth/access_token').at(-1)!;
    assert.equal(exchange.form.client_secret, threads.app.appSecret);
    assert.equal(exchange.form.redirect_uri, `https://localhost:${port}/callback`);
    app.close();
    const stored = await storedCredential(app.dataDir, account.id);
    const kind = threads.tokenKinds().find((t) => t.token === stored.tokens.accessToken)?.kind;
    assert.equal(kind, 'long', 'the vault keeps the long-lived token');
    assert.ok(Math.abs(stored.tokens.expiresAt! - stored.tokens.obtainedAt! - 60 * 24 * hour) < 1000, '60 days');
    assert.equal(stored.tokens.refreshToken, undefined);
    assert.equal(stored.extra?.userId, threads.user.id);
  });

  it('signs in by itself when the browser reaches the TLS listener', async () => {
    const app = await start();
    await saveApp(app);
    const { pending, landedOn } = await startConnect(app);
    assert.equal(await deliverOverTls(app, landedOn), 200);
    const { account } = await pending;
    assert.equal(account.handle, threads.user.username);
    app.close();
  });

  it('renews the long-lived token only once it is a day old, and ahead of its end', async () => {
    // Tokens of 30 hours: the renewal is due 7.5 hours before the end (a quarter of the lifetime),
    // at 22.5 hours, when Meta would still refuse it as younger than a day.
    const short = await startThreadsServer({ now: clock.now, longLivedTtlSeconds: 30 * 3600 });
    short.registerRedirect(`https://localhost:${port}/callback`);
    try {
      const app = await start(short);
      const account = await connectByPaste(app, short);
      const first = (await storedCredentialOpen(app, account.id)).tokens.accessToken;

      // 23 hours on: due, but younger than Meta renews; nothing is asked.
      offset = 23 * hour;
      app.setOnline(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(short.requests.filter((r) => r.path === '/refresh_access_token').length, 0);

      // 25 hours on: renewed with th_refresh_token, and the new token is used.
      offset = 25 * hour;
      app.setOnline(true);
      await waitFor(() => short.requests.find((r) => r.path === '/refresh_access_token'), 'the renewal');
      const renewal = short.requests.find((r) => r.path === '/refresh_access_token')!;
      assert.equal(renewal.query.grant_type, 'th_refresh_token');
      assert.equal(renewal.query.access_token, first);
      let renewed = first;
      for (let i = 0; i < 100 && renewed === first; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        renewed = (await storedCredentialOpen(app, account.id)).tokens.accessToken;
      }
      assert.notEqual(renewed, first, 'the renewed token is stored');
      const check = await app.call('accounts.check', { id: account.id });
      assert.equal(check.status, 'connected');
      assert.ok(short.requests.at(-1)!.authorization === `Bearer ${renewed}`, 'the API gets the renewed token');
      app.close();
      assert.deepEqual(short.violations, []);
    } finally {
      await short.close();
    }
  });
});

/** The stored credential while the app runs: read through a second vault handle on the same data folder. */
async function storedCredentialOpen(app: CoreClient, accountId: string) {
  return storedCredential(app.dataDir, accountId);
}

describe('Threads: publishing text', () => {
  it('creates a container, waits for FINISHED, publishes it, and keeps the permalink', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    threads.setProcessingPolls(2);
    const text = 'Hello from Localpost 👋 https://example.com';
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id, text) })).id, isSettled);
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    const published = threads.media.at(-1)!;
    assert.equal(published.text, text);
    assert.equal(target.uri, published.id);
    assert.equal(target.url, published.permalink);
    const create = pathsOf(`/v1.0/${threads.user.id}/threads`).filter((r) => r.method === 'POST').at(-1)!;
    assert.equal(create.form.media_type, 'TEXT');
    const statusReads = threads.requests.filter((r) => r.path === `/v1.0/${published.containerId}`);
    assert.ok(statusReads.length >= 3, 'IN_PROGRESS twice, then FINISHED');
    app.close();
  });

  it('a container in ERROR ends the target with Meta’s words, nothing published', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    const before = threads.media.length;
    threads.failNextContainer('UNKNOWN');
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id, 'This one fails') })).id, isSettled);
    assert.equal(post.targets[0]!.status, 'failed_permanent');
    assert.match(post.targets[0]!.error!.message, /UNKNOWN/);
    assert.equal(threads.media.length, before);
    app.close();
  });

  it('a lost publish answer is settled by the container’s status: posted once', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    const before = threads.media.length;
    const publishesBefore = pathsOf(`/v1.0/${threads.user.id}/threads_publish`).length;
    threads.loseNextPublishAnswer();
    const text = `Exactly once ${Date.now()}`;
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id, text) })).id, isSettled, 2000);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]));
    assert.equal(threads.media.length - before, 1, 'one post on Threads');
    assert.equal(pathsOf(`/v1.0/${threads.user.id}/threads_publish`).length - publishesBefore, 1, 'no second publish');
    assert.equal(post.targets[0]!.url, threads.media.at(-1)!.permalink, 'found among the account’s posts');
    app.close();
    // The app secret and every token travelled in query strings (Meta's token exchanges): none is logged.
    const secrets = [threads.app.appSecret, ...threads.tokenKinds().map((t) => t.token)];
    assert.deepEqual(secretsIn(app.traffic.join('\n'), secrets), []);
    const logs = filesUnder(app.dataDir).filter((f) => f.endsWith('.log'));
    assert.ok(logs.length > 0);
    for (const log of logs) assert.deepEqual(secretsInFile(log, secrets), [], log);
  });

  it('at Threads’ 250 posts a day, the post waits without creating a container', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    const containersBefore = threads.containers.size;
    threads.setQuotaUsedElsewhere(250);
    try {
      const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, account.id, 'Over the daily cap') })).id, (p) => p.targets[0]!.error !== null);
      assert.equal(post.targets[0]!.status, 'queued');
      assert.equal(post.targets[0]!.error?.code, 'rate_limited');
      assert.match(post.targets[0]!.error!.message, /250 posts/);
      assert.ok(post.targets[0]!.nextAttemptAt! >= clock.now() + 59 * 60_000, 'tried again in an hour');
      assert.equal(threads.containers.size, containersBefore, 'no container made');
    } finally {
      threads.setQuotaUsedElsewhere(0);
    }
    app.close();
  });

  it('a dead token (190) asks for a reconnect', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    threads.killTokens();
    const draftId = await draft(app, account.id, 'After a password change');
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.match(post.targets[0]!.error!.message, /190\/460/);
    const listed = (await app.call('accounts.list', {})).find((a) => a.id === account.id)!;
    assert.equal(listed.status, 'needs_reauth');
    app.close();
  });

  it('preflight refuses more than 500 characters (emoji as UTF-8 bytes) and more than 5 links', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    // 125 emoji are 125 characters anywhere else, but 500 bytes on Threads; one more letter is over.
    const emoji = `${'😀'.repeat(125)}a`;
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, account.id, emoji) }), (error: { code: string; message: string }) => error.code === 'preflight_failed' && /threads\.length|characters/.test(error.message));
    const links = Array.from({ length: 6 }, (_, i) => `https://example.com/${i}`).join(' ');
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, account.id, links) }), (error: { code: string; message: string }) => error.code === 'preflight_failed' && /links/.test(error.message));
    app.close();
  });
});

describe('Threads: publishing an image through media storage', () => {
  let s3: S3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());

  const saveBucket = (app: CoreClient) =>
    app.call('mediaStorage.save', { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });

  it('puts the image in the bucket, Threads fetches it by its presigned address, and it is deleted once the container is FINISHED', async () => {
    const app = await startCore({ env: threads.env, clock, allowPrivateAddressesFor: [threads.origin, s3.endpoint] });
    const account = await connectByPaste(app);
    await saveBucket(app);
    threads.setProcessingPolls(2);
    const draftId = await draftWithImage(app, account.id, 'A photo from Localpost', 'A test pattern');
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isSettled);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));

    const fetched = threads.fetchedImages.at(-1)!;
    assert.equal(fetched.contentType, 'image/png');
    assert.deepEqual([...fetched.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG, fetched from the bucket');
    assert.equal(fetched.altText, 'A test pattern');
    const presigned = new URL(fetched.url);
    assert.equal(presigned.origin, s3.endpoint);
    assert.ok(presigned.searchParams.get('X-Amz-Signature'), 'a presigned GET');
    const create = pathsOf(`/v1.0/${threads.user.id}/threads`).filter((r) => r.method === 'POST').at(-1)!;
    assert.equal(create.form.media_type, 'IMAGE');
    assert.deepEqual(await s3.keys(), [], 'the object is gone from the bucket');
    assert.equal(threads.media.at(-1)!.text, 'A photo from Localpost');
    app.close();
  });

  it('posts a video the same way: streamed to the bucket, fetched by Threads as video_url, deleted once FINISHED', async () => {
    const app = await startCore({ env: threads.env, clock, allowPrivateAddressesFor: [threads.origin, s3.endpoint] });
    const account = await connectByPaste(app);
    await saveBucket(app);
    threads.setProcessingPolls(3);
    const draftId = await draft(app, account.id, 'A clip from Localpost');
    app.answerFileDialog(videoFixtures.mp4);
    const added = await app.call('drafts.addVideo', { draftId });
    assert.equal(added.outcome, 'added');
    await app.call('drafts.setVideoAlt', { draftId, videoId: added.outcome === 'added' ? added.video.id : '', alt: 'A short test clip' });
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isSettled);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const fetched = threads.fetchedImages.at(-1)!;
    assert.equal(fetched.contentType, 'video/mp4');
    assert.ok(fetched.bytes.equals(fs.readFileSync(videoFixtures.mp4)), 'the very file, byte for byte');
    assert.equal(fetched.altText, 'A short test clip');
    const create = pathsOf(`/v1.0/${threads.user.id}/threads`).filter((r) => r.method === 'POST').at(-1)!;
    assert.equal(create.form.media_type, 'VIDEO');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('posts several images as one carousel: item containers, then the CAROUSEL, every object deleted', async () => {
    const app = await startCore({ env: threads.env, clock, allowPrivateAddressesFor: [threads.origin, s3.endpoint] });
    const account = await connectByPaste(app);
    await saveBucket(app);
    const draftId = await draft(app, account.id, 'Three pictures');
    for (const [i, size] of [[320, 200], [400, 300], [500, 320]].entries()) {
      const added = await app.call('drafts.addImage', { draftId, fileName: `p${i}.png`, bytes: new Uint8Array(await smallPng(size[0]!, size[1]!)) });
      await app.call('drafts.setImageAlt', { draftId, imageId: added.id, alt: `Picture ${i + 1}` });
    }
    const fetchedBefore = threads.fetchedImages.length;
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isSettled);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.deepEqual(threads.fetchedImages.slice(fetchedBefore).map((f) => f.altText), ['Picture 1', 'Picture 2', 'Picture 3']);
    const creates = pathsOf(`/v1.0/${threads.user.id}/threads`).filter((r) => r.method === 'POST').slice(-4);
    assert.deepEqual(creates.map((r) => r.form.is_carousel_item ?? r.form.media_type), ['true', 'true', 'true', 'CAROUSEL']);
    const carousel = creates[3]!.form;
    assert.equal(carousel.text, 'Three pictures');
    assert.equal(carousel.children!.split(',').length, 3);
    assert.equal(threads.containers.get(threads.media.at(-1)!.containerId)!.mediaType, 'CAROUSEL');
    assert.deepEqual(await s3.keys(), []);
    app.close();
  });

  it('a container in ERROR deletes the image too, and nothing is posted', async () => {
    const app = await startCore({ env: threads.env, clock, allowPrivateAddressesFor: [threads.origin, s3.endpoint] });
    const account = await connectByPaste(app);
    await saveBucket(app);
    const before = threads.media.length;
    threads.failNextContainer('UNKNOWN');
    const draftId = await draftWithImage(app, account.id, 'Processing fails', 'x');
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, isSettled);
    assert.equal(post.targets[0]!.status, 'failed_permanent');
    assert.match(post.targets[0]!.error!.message, /UNKNOWN/);
    assert.equal(threads.media.length, before);
    assert.deepEqual(await s3.keys(), []);

    // And the mock fetches as Meta does: the address of a deleted object (as of a lapsed one) fails.
    const token = (await storedCredentialOpen(app, account.id)).tokens.accessToken;
    const refused = await fetch(`${threads.origin}/v1.0/${threads.user.id}/threads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ media_type: 'IMAGE', image_url: threads.fetchedImages.at(-1)!.url, text: 'again' }).toString(),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: { error_subcode: number } }).error.error_subcode, 2207052);
    app.close();
  });

  it('preflight refuses an image for Threads while no media storage is saved', async () => {
    const app = await start();
    const account = await connectByPaste(app);
    const draftId = await draftWithImage(app, account.id, 'No bucket', 'x');
    await assert.rejects(app.call('publish.now', { draftId }), (error: { code: string; message: string }) => error.code === 'preflight_failed' && /media storage/i.test(error.message));
    app.close();
  });
});
