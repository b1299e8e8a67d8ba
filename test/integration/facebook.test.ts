// Facebook Pages end to end in Node, through the core's real dispatch, against the contract mock
// of Facebook Login and the Pages API (test/harness/facebookServer.ts), reached through the
// LOCALPOST_FACEBOOK_*_ORIGIN overrides. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/facebook.test.ts
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Account, Post } from '../../src-preload/contract';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startFacebookServer, type FacebookServer } from '../harness/facebookServer';
import { startInstagramServer } from '../harness/instagramServer';
import { startS3Server } from '../harness/s3Server';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';
import { settled } from '../harness/settled';
import { storedCredential } from '../harness/storedCredential';
import { waitFor } from '../harness/waitFor';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';

let facebook: FacebookServer;
let port: number;
const defaultPages = () => [
  { id: '1010000000000001', name: 'Corner Bakery', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] },
  { id: '1010000000000002', name: 'Book Club', tasks: ['ANALYZE', 'CREATE_CONTENT', 'MODERATE'] },
  { id: '1010000000000003', name: 'Town Choir', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] },
];

before(async () => {
  facebook = await startFacebookServer();
  port = await findFreePort();
  facebook.registerRedirect(`https://localhost:${port}/callback`);
});
after(() => facebook.close());
afterEach(() => {
  assert.deepEqual(facebook.violations.splice(0), [], 'requests Meta’s documentation does not allow');
  facebook.setChunkBytes(1024 * 1024);
  facebook.setPages(defaultPages());
  facebook.setPageSize(25);
  facebook.declinePermission(null);
  facebook.linkInstagram({});
});

const start = () => startCore({ env: facebook.env, allowPrivateAddressesFor: [facebook.origin] });

function saveApp(app: CoreClient) {
  return app.call('developerApps.save', { platform: 'facebook', clientId: facebook.app.appId, clientSecret: facebook.app.appSecret, redirectPort: port });
}

/** Starts a connect and plays the browser up to the https address it lands on, then pastes it. */
async function connect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'facebook' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the login dialog to open');
  const visit = await playBrowser(consentUrl, { deliver: false });
  await app.call('accounts.completeSignIn', { pastedUrl: visit.callbackUrl });
  return { pending, consentUrl };
}

async function connectAll(app: CoreClient): Promise<Account[]> {
  await saveApp(app);
  const connected = await (await connect(app)).pending;
  return [connected.account, ...(connected.alsoConnected ?? [])];
}

async function draft(app: CoreClient, accountIds: string[], text: string) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['en'] });
  return created.id;
}

async function draftWithVideo(app: CoreClient, accountId: string, text: string) {
  const draftId = await draft(app, [accountId], text);
  app.answerFileDialog(videoFixtures.mp4);
  const added = await app.call('drafts.addVideo', { draftId });
  assert.equal(added.outcome, 'added');
  return draftId;
}

/** Every byte of the fixture arrived once, in order, in the chunks Facebook kept. */
function assertWholeFile(video: FacebookServer['videos'][number]) {
  const file = fs.readFileSync(videoFixtures.mp4);
  assert.equal(video.fileSize, file.length);
  let at = 0;
  for (const chunk of video.chunks) {
    assert.equal(chunk.start, at, 'no gap, no overlap');
    assert.equal(chunk.sha256, crypto.createHash('sha256').update(file.subarray(at, at + chunk.size)).digest('hex'));
    at += chunk.size;
  }
  assert.equal(at, file.length, 'the whole file');
}

const allSettled = (post: Post) => post.targets.every((target) => ['published', 'failed_permanent', 'unknown'].includes(target.status));
const writesTo = (pageId: string, edge: string) => facebook.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${pageId}/${edge}`));

describe('Facebook: connecting', () => {
  it('one sign-in connects every Page the user may post to, each with its own Page token', async () => {
    facebook.setPageSize(2);
    facebook.setPages([...defaultPages(), { id: '1010000000000004', name: 'Only Analyst', tasks: ['ANALYZE'] }]);
    const app = await start();
    await saveApp(app);
    const before = facebook.requests.length;
    const { pending, consentUrl } = await connect(app);
    const dialog = new URL(consentUrl);
    assert.equal(dialog.pathname, '/v24.0/dialog/oauth', 'the dialog at the default Graph API version');
    assert.equal(dialog.searchParams.get('client_id'), facebook.app.appId);
    assert.equal(dialog.searchParams.get('redirect_uri'), `https://localhost:${port}/callback`);
    assert.equal(dialog.searchParams.get('scope'), 'pages_show_list,pages_manage_posts,pages_read_engagement,publish_video,instagram_basic,instagram_content_publish');
    assert.equal(dialog.searchParams.get('code_challenge'), null);

    const connected = await pending;
    const all = [connected.account, ...(connected.alsoConnected ?? [])];
    assert.deepEqual(all.map((a) => a.handle), ['Corner Bakery', 'Book Club', 'Town Choir']);
    assert.ok(all.every((a) => a.platform === 'facebook' && a.status === 'connected'));
    assert.deepEqual(all.map((a) => a.remoteId), ['1010000000000001', '1010000000000002', '1010000000000003']);
    assert.match(connected.account.avatar ?? '', /^data:image\//, 'the Page’s picture');
    assert.equal(connected.notes?.length, 1);
    assert.match(connected.notes![0]!, /Only Analyst.*CREATE_CONTENT/);

    const calls = facebook.requests.slice(before).filter((r) => !r.path.startsWith('/avatars'));
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path}`),
      ['GET /v24.0/dialog/oauth', 'POST /v24.0/oauth/access_token', 'GET /v24.0/oauth/access_token', 'GET /v24.0/me/accounts', 'GET /v24.0/me/accounts'],
      'code → short-lived token → fb_exchange_token → /me/accounts, two pages of it',
    );
    assert.equal(calls[2]!.query.grant_type, 'fb_exchange_token');
    app.close();
    for (const account of all) {
      const stored = await storedCredential(app.dataDir, account.id);
      const kind = facebook.tokenKinds().find((t) => t.token === stored.tokens.accessToken);
      assert.equal(kind?.kind, 'page', 'each account keeps a Page token');
      assert.equal(kind?.pageId, account.remoteId, 'its own Page’s');
      assert.equal(stored.tokens.expiresAt, undefined, 'a Page token from a long-lived user token does not expire');
    }
  });

  it('reconnecting updates the Page accounts instead of adding them again', async () => {
    const app = await start();
    const first = await connectAll(app);
    const again = await (await connect(app)).pending;
    const second = [again.account, ...(again.alsoConnected ?? [])];
    assert.deepEqual(second.map((a) => a.id), first.map((a) => a.id));
    assert.equal(again.updatedExisting, true);
    assert.equal((await app.call('accounts.list', {})).filter((a) => a.platform === 'facebook').length, 3);
    app.close();
  });

  it('no Page to post to is facebook.pages.none, saying what to do', async () => {
    facebook.setPages([{ id: '1010000000000009', name: 'Read Only', tasks: ['ANALYZE'] }]);
    const app = await start();
    await saveApp(app);
    const { pending } = await connect(app);
    await assert.rejects(pending, (error: { code: string; error: { message: string; action?: string } }) => {
      assert.equal(error.code, 'facebook.pages.none');
      assert.match(error.error.message, /Read Only.*CREATE_CONTENT/);
      assert.match(error.error.action ?? '', /Create a Facebook Page.*tick the Pages/);
      return true;
    });
    assert.equal((await app.call('accounts.list', {})).length, 0);
    app.close();
  });

  it('the Graph API version setting changes every path Facebook sees', async () => {
    const app = await start();
    await app.call('settings.update', { metaGraphApiVersion: 'v25.0' });
    const before = facebook.requests.length;
    const [page] = await connectAll(app);
    await settled(app, (await app.call('publish.now', { draftId: await draft(app, [page!.id], `Version ${Date.now()}`) })).id, allSettled);
    const versions = new Set(facebook.requests.slice(before).filter((r) => !r.path.startsWith('/avatars')).map((r) => r.version));
    assert.deepEqual([...versions], ['v25.0']);
    app.close();
  });
});

describe('Facebook: the Instagram account linked to a Page', () => {
  it('comes with the same sign-in, and publishes through graph.facebook.com with that Page’s token', async () => {
    // One graph.facebook.com: the Facebook mock serves the Pages and passes the Instagram
    // account's calls to an Instagram mock standing for the same host.
    const instagram = await startInstagramServer({ host: 'facebook' });
    const s3 = await startS3Server();
    facebook.linkInstagram({ '1010000000000001': instagram, '1010000000000003': instagram });
    try {
      const app = await startCore({ env: { ...facebook.env, LOCALPOST_INSTAGRAM_STATUS_POLL_MS: '20' }, allowPrivateAddressesFor: [facebook.origin, s3.endpoint] });
      await saveApp(app);
      const connected = await (await connect(app)).pending;
      const all = [connected.account, ...(connected.alsoConnected ?? [])];
      assert.deepEqual(
        all.map((a) => [a.platform, a.handle]),
        [
          ['facebook', 'Corner Bakery'],
          ['instagram', instagram.user.username],
          ['facebook', 'Book Club'],
          ['facebook', 'Town Choir'],
        ],
        'each Page, and the Instagram account once although two Pages name it',
      );
      const gram = all.find((a) => a.platform === 'instagram')!;
      assert.equal(gram.remoteId, instagram.user.id);
      assert.equal(gram.service, 'instagram.com');
      assert.equal(gram.displayName, instagram.user.name);
      assert.ok(gram.avatar?.startsWith('data:image/'), 'its picture kept');
      const credential = await storedCredential(app.dataDir, gram.id);
      assert.deepEqual(credential.extra, { login: 'facebook', userId: instagram.user.id, pageId: '1010000000000001' });
      assert.equal(credential.tokens.expiresAt, undefined, 'a Page token does not expire');

      await app.call('mediaStorage.save', { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
      const draftId = await draft(app, [gram.id], 'From the bakery’s Instagram');
      const added = await app.call('drafts.addImage', { draftId, fileName: 'bread.png', bytes: new Uint8Array(await smallPng(320, 320)) });
      await app.call('drafts.setImageAlt', { draftId, imageId: added.id, alt: 'A loaf on a board' });
      const post = await settled(app, (await app.call('publish.now', { draftId })).id, allSettled);
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.equal(instagram.media.at(-1)!.caption, 'From the bakery’s Instagram');
      assert.equal(post.targets[0]!.url, instagram.media.at(-1)!.permalink);
      assert.equal(instagram.fetched.at(-1)!.altText, 'A loaf on a board');
      // Every Instagram call went to the Facebook host, under the version, with the Page's token.
      const calls = instagram.requests.filter((r) => r.path.includes(`/${instagram.user.id}/`));
      assert.ok(calls.length >= 2);
      for (const call of calls) assert.equal(call.authorization, `Bearer ${credential.tokens.accessToken}`);
      assert.deepEqual(await s3.keys(), [], 'the photo is gone from the bucket');
      assert.deepEqual(instagram.violations, []);

      // Connecting again updates both kinds of account instead of adding them twice.
      const again = await (await connect(app)).pending;
      assert.equal([again.account, ...(again.alsoConnected ?? [])].filter((a) => a.platform === 'instagram').length, 1);
      assert.equal((await app.call('accounts.list', {})).filter((a) => a.platform === 'instagram').length, 1);
      app.close();
    } finally {
      await instagram.close();
      await s3.close();
    }
  });

  it('a user who unticks instagram_basic connects the Pages alone', async () => {
    const instagram = await startInstagramServer({ host: 'facebook' });
    facebook.linkInstagram({ '1010000000000001': instagram });
    facebook.declinePermission('instagram_basic');
    try {
      const app = await start();
      const all = await connectAll(app);
      assert.deepEqual(all.map((a) => a.platform), ['facebook', 'facebook', 'facebook']);
      app.close();
    } finally {
      await instagram.close();
    }
  });
});

describe('Facebook: publishing', () => {
  it('text with a link: the first link becomes `link`, the permalink lands in History', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    const text = `Fresh bread today https://example.com/menu. And more at https://example.org ${Date.now()}`;
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], text) })).id, allSettled);
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    const made = facebook.posts.at(-1)!;
    assert.equal(made.message, text);
    assert.equal(made.link, 'https://example.com/menu');
    assert.equal(target.uri, made.id);
    assert.equal(target.url, made.permalink);
    const history = await app.call('history.list', {});
    assert.equal(history.find((p) => p.id === post.id)?.targets[0]?.url, made.permalink);
    app.close();
  });

  it('several photos are uploaded unpublished and make one post', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    const draftId = await draft(app, [bakery!.id], `Three loaves ${Date.now()}`);
    for (const width of [320, 400, 480]) await app.call('drafts.addImage', { draftId, fileName: 'loaf.png', bytes: new Uint8Array(await smallPng(width, 200)) });
    const postsBefore = facebook.posts.length;
    const post = await settled(app, (await app.call('publish.now', { draftId })).id, allSettled);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(facebook.posts.length - postsBefore, 1, 'one post');
    const made = facebook.posts.at(-1)!;
    assert.equal(made.photoIds.length, 3);
    for (const id of made.photoIds) {
      const photo = facebook.photos.get(id)!;
      assert.equal(photo.published, false);
      assert.match(photo.source.type, /^image\/(png|jpeg)$/);
    }
    assert.equal(made.link, null, 'photos, not a link preview');
    app.close();
  });

  it('a video goes up with the resumable protocol, range by range as Facebook asks, the text as its description', async () => {
    facebook.setChunkBytes(2000);
    const app = await start();
    const [bakery] = await connectAll(app);
    const text = `Kneading, in one minute ${Date.now()}`;
    const post = await settled(app, (await app.call('publish.now', { draftId: await draftWithVideo(app, bakery!.id, text) })).id, allSettled);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const video = facebook.videos.at(-1)!;
    assert.equal(video.description, text);
    assert.equal(video.published, true);
    assertWholeFile(video);
    assert.ok(video.chunks.length >= 2, 'several ranges');
    assert.equal(post.targets[0]!.uri, video.id);
    assert.equal(post.targets[0]!.url, video.permalink);
    app.close();
  });

  it('a lost chunk answer goes on from the range Facebook names (1363037): one video, every byte once', async () => {
    facebook.setChunkBytes(2000);
    const app = await start();
    const [bakery] = await connectAll(app);
    const videosBefore = facebook.videos.length;
    facebook.loseNextTransferAnswer();
    const post = await settled(app, (await app.call('publish.now', { draftId: await draftWithVideo(app, bakery!.id, `Chunk lost ${Date.now()}`) })).id, allSettled, 2000);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]));
    assert.equal(facebook.videos.length - videosBefore, 1, 'one upload session, one video');
    assertWholeFile(facebook.videos.at(-1)!);
    const session = facebook.videos.at(-1)!.sessionId;
    const transfersAt = (offset: string) => facebook.requests.filter((r) => r.form.upload_session_id === session && r.form.upload_phase === 'transfer' && r.form.start_offset === offset).length;
    assert.equal(transfersAt('0'), 2, 'the first range sent again after its answer was lost, and refused with the range Facebook wanted');
    assert.equal(transfersAt('2000'), 1);
    app.close();
  });

  it('a lost finish answer is settled by finding the video on the Page: no second finish', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    const videosBefore = facebook.videos.length;
    facebook.loseNextFinishAnswer();
    const post = await settled(app, (await app.call('publish.now', { draftId: await draftWithVideo(app, bakery!.id, `Finish lost ${Date.now()}`) })).id, allSettled, 2000);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]));
    assert.equal(facebook.videos.length - videosBefore, 1);
    assert.equal(facebook.requests.filter((r) => r.form.upload_phase === 'finish' && r.form.upload_session_id === facebook.videos.at(-1)!.sessionId).length, 1, 'finished once');
    assert.equal(post.targets[0]!.url, facebook.videos.at(-1)!.permalink);
    app.close();
  });

  it('one post to two Pages at once goes to each with its own token', async () => {
    const app = await start();
    const [bakery, club] = await connectAll(app);
    const text = `Both Pages ${Date.now()}`;
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id, club!.id], text) })).id, allSettled);
    assert.deepEqual(post.targets.map((t) => t.status), ['published', 'published']);
    assert.deepEqual(facebook.posts.filter((p) => p.message === text).map((p) => p.pageId).sort(), [bakery!.remoteId, club!.remoteId].sort());
    app.close();
  });

  it('a lost feed answer is settled by looking up the Page’s posts: one post, not two', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    const text = `Exactly once ${Date.now()}`;
    const feedBefore = writesTo(bakery!.remoteId, 'feed').length;
    facebook.loseNextFeedAnswer();
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], text) })).id, allSettled, 2000);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]));
    const made = facebook.posts.filter((p) => p.message === text);
    assert.equal(made.length, 1, 'one post on the Page');
    assert.equal(writesTo(bakery!.remoteId, 'feed').length - feedBefore, 1, 'no second feed request');
    assert.ok(facebook.requests.some((r) => r.path.endsWith(`/${bakery!.remoteId}/published_posts`)), 'looked up');
    assert.equal(post.targets[0]!.url, made[0]!.permalink);
    app.close();
    // The app secret and every token travelled in query strings or headers: none is logged.
    const secrets = [facebook.app.appSecret, ...facebook.tokenKinds().map((t) => t.token)];
    assert.deepEqual(secretsIn(app.traffic.join('\n'), secrets), []);
    for (const log of filesUnder(app.dataDir).filter((f) => f.endsWith('.log'))) assert.deepEqual(secretsInFile(log, secrets), [], log);
  });

  it('Graph’s duplicate refusal (506) means the post is there: found, published once', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    const text = `Said twice ${Date.now()}`;
    const first = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], text) })).id, allSettled);
    assert.equal(first.targets[0]!.status, 'published');
    const second = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], text) })).id, allSettled);
    assert.equal(second.targets[0]!.status, 'published', JSON.stringify(second.targets[0]!.error));
    assert.equal(facebook.posts.filter((p) => p.message === text).length, 1);
    assert.equal(second.targets[0]!.uri, first.targets[0]!.uri, 'the post already there');
    app.close();
  });

  it('Facebook’s own refusals read clearly: posting too fast, publishing authorization, a bad link, a policy block', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    // Posting too fast holds the Page for an hour, so it comes last.
    const cases: Array<[{ message: string; code: number; error_subcode?: number }, RegExp, string]> = [
      [{ message: 'Publishing authorization required', code: 200, error_subcode: 1404078 }, /publishing authorization/, 'platform_rejected'],
      [{ message: 'Could not scrape the link', code: 1609005 }, /could not read the link/, 'platform_rejected'],
      [{ message: 'It looks like you were misusing this feature', code: 368 }, /Community Standards/, 'platform_rejected'],
      [{ message: 'You are posting too fast', code: 368, error_subcode: 1390008 }, /posting too fast/, 'rate_limited'],
    ];
    for (const [error, words, code] of cases) {
      facebook.failNextWrite(error);
      const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], `Refused ${error.code}/${error.error_subcode} ${Date.now()}`) })).id, (p) => p.targets[0]!.error !== null);
      assert.equal(post.targets[0]!.error?.code, code, JSON.stringify(post.targets[0]!.error));
      assert.match(post.targets[0]!.error!.message, words);
      if (post.targets[0]!.status === 'queued') await app.call('outbox.cancel', { postId: post.id });
    }
    app.close();
  });

  it('a Page’s rate limit waits as long as X-Business-Use-Case-Usage says', async () => {
    const app = await start();
    const [, , choir] = await connectAll(app);
    facebook.failNextWrite({ message: '(#32) Page request limit reached', code: 32 });
    const before = Date.now();
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [choir!.id], `Throttled ${Date.now()}`) })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'rate_limited');
    const retryAt = post.targets[0]!.error!.retryAt!;
    assert.ok(retryAt >= before + 4 * 60_000 && retryAt <= Date.now() + 6 * 60_000, 'estimated_time_to_regain_access: 5 minutes');
    await app.call('outbox.cancel', { postId: post.id });
    app.close();
  });

  it('a dead token (190/460) marks the Page for reconnecting', async () => {
    const app = await start();
    const [bakery] = await connectAll(app);
    facebook.killTokens();
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], 'After a password change') })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.match(post.targets[0]!.error!.message, /190\/460/);
    const listed = (await app.call('accounts.list', {})).find((a) => a.id === bakery!.id)!;
    assert.equal(listed.status, 'needs_reauth');
    app.close();
  });

  it('a permission left unticked in the dialog is named in the refusal', async () => {
    facebook.declinePermission('pages_manage_posts');
    const app = await start();
    const [bakery] = await connectAll(app);
    const post = await settled(app, (await app.call('publish.now', { draftId: await draft(app, [bakery!.id], `Without permission ${Date.now()}`) })).id, (p) => p.targets[0]!.error !== null);
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    assert.match(post.targets[0]!.error!.message, /pages_manage_posts/);
    app.close();
  });
});
