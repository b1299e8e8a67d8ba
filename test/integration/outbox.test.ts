// The outbox against real servers: a real PDS for Bluesky (record keys chosen before the first
// attempt, looked up after an uncertain one), the Mastodon contract mock (Idempotency-Key, faults),
// X's and Pinterest's (no key, but the account's recent posts or the board's pins can be looked up),
// and Discord's and LinkedIn's (no way to ask: the user decides). Faults are injected at the transport: a
// connection reset after the server received the request, timeouts, 429, 5xx, the network going
// away and coming back. Each target must end published once, or failed with a code.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../src-main/core/ports';
import { smallPng } from '../fixtures/images';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { startPds, type TestPds } from '../harness/pds';
import { startPinterestServer, type PinterestServer } from '../harness/pinterestServer';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { startXServer, type XServer } from '../harness/xServer';
import { waitFor } from '../harness/waitFor';

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let instance: MastodonServer;
let hooks: WebhookPlatformMocks;
let x: XServer;
let linkedin: LinkedInServer;
let pinterest: PinterestServer;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  instance = await startMastodonServer();
  hooks = await startWebhookPlatformMocks();
  x = await startXServer();
  linkedin = await startLinkedInServer();
  pinterest = await startPinterestServer();
});
after(async () => {
  await pinterest.close();
  await linkedin.close();
  await x.close();
  await hooks.close();
  await instance.close();
  await pds.close();
});

/** A clock the test moves; real time otherwise does not pass for the core. */
function manualClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let now = start;
  return { now: () => now, set: (at) => void (now = at), advance: (ms) => void (now += ms) };
}

/**
 * A fetch that lets chosen requests reach the server and then loses the answer, as a reset
 * connection or a crash mid-request would: the server acted, the client cannot know it.
 */
function lossyFetch() {
  const rules: Array<{ match: (url: string, init?: RequestInit) => boolean; times: number; kind: 'reset' | 'refused' | 'dropped' }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const rule = rules.find((r) => r.times > 0 && r.match(url, init));
    if (rule?.kind === 'refused') {
      rule.times--;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    }
    if (rule?.kind === 'dropped') {
      // Reset before the server saw it: the client cannot tell this from a lost answer.
      rule.times--;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    const response = await globalThis.fetch(input, init);
    if (rule) {
      rule.times--;
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return {
    fetch,
    loseAnswer: (match: (url: string) => boolean, times = 1) => void rules.push({ match, times, kind: 'reset' }),
    refuse: (match: (url: string) => boolean, times = 1) => void rules.push({ match, times, kind: 'refused' }),
    drop: (match: (url: string) => boolean, times = 1) => void rules.push({ match, times, kind: 'dropped' }),
  };
}

async function start(options: Parameters<typeof startCore>[0] = {}): Promise<CoreClient> {
  return startCore({ ...options, env: { ...instance.env, ...hooks.env, ...x.env, ...linkedin.env, ...pinterest.env, ...options.env } });
}

async function connectBluesky(app: CoreClient) {
  return (await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] })).account;
}

async function connectMastodon(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

async function connectX(app: CoreClient) {
  await app.call('developerApps.save', { platform: 'x', clientId: x.oauth.clients.native.clientId, clientSecret: '', redirectPort: x.oauth.fixedRedirectPort });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'x' });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

/** Saves the developer app LinkedIn knows and signs in through it, as linkedin.test.ts does. */
async function connectLinkedIn(app: CoreClient) {
  await app.call('developerApps.save', {
    platform: 'linkedin',
    clientId: linkedin.client.clientId,
    clientSecret: linkedin.client.clientSecret,
    redirectPort: linkedin.oauth.fixedRedirectPort,
  });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'linkedin' });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

async function connectPinterest(app: CoreClient) {
  await app.call('developerApps.save', {
    platform: 'pinterest',
    clientId: pinterest.client.clientId,
    clientSecret: pinterest.client.clientSecret,
    redirectPort: pinterest.oauth.fixedRedirectPort,
  });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'pinterest' });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

async function connectDiscord(app: CoreClient) {
  return (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account;
}

async function draft(app: CoreClient, text: string, accountIds: string[]) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['en'] });
  return created.id;
}

/**
 * A pin: an image (Pinterest pins nothing without one) and the text as its description, on each
 * account's first board.
 */
async function pinDraft(app: CoreClient, text: string, accountIds: string[]) {
  const draftId = await draft(app, text, accountIds);
  const boards: Record<string, string> = {};
  for (const accountId of accountIds) boards[accountId] = (await app.call('boards.list', { accountId, refresh: false })).boards[0]!.id;
  await app.call('drafts.save', { id: draftId, text, targetAccountIds: accountIds, langs: ['en'], platformOptions: { pinterest: { boards, title: '', link: '' } } });
  return withImage(app, draftId);
}

async function withImage(app: CoreClient, draftId: string) {
  const image = await app.call('drafts.addImage', { draftId, fileName: 'image.png', bytes: new Uint8Array(await smallPng(120, 80)) });
  await app.call('drafts.setImageAlt', { draftId, imageId: image.id, alt: 'A small test image' });
  return draftId;
}

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;
const blueskyCopies = async (text: string) => (await pds.listPosts(alice.did)).filter((p) => p.value.text === text).length;
const mastodonCopies = (text: string) => instance.statuses.filter((s) => s.status === text).length;
/** Posts LinkedIn holds with this text, and the requests that tried to create one. */
const linkedinCopies = (text: string) => linkedin.posts.filter((p) => p.sentCommentary === text).length;
const linkedinSends = (text: string) =>
  linkedin.requests.filter((r) => r.method === 'POST' && r.path === '/rest/posts' && (r.body as { commentary?: string } | undefined)?.commentary === text).length;
const pinsWith = (description: string | null) => pinterest.pins.filter((pin) => pin.host === 'production' && pin.description === description);
const pinCreates = () => pinterest.requests.filter((r) => r.method === 'POST' && r.path === '/v5/pins').length;
const boardLookups = () => pinterest.requests.filter((r) => r.method === 'GET' && /^\/v5\/boards\/\d+\/pins$/.test(r.path)).length;
const targetOf = <T extends { accountId: string }>(post: { targets: T[] }, accountId: string): T => post.targets.find((t) => t.accountId === accountId)!;

async function settled(app: CoreClient, postId: string, done: (post: Awaited<ReturnType<typeof get>>) => boolean) {
  for (let i = 0; i < 400; i++) {
    const post = await get(app, postId);
    if (done(post)) return post;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`post ${postId} did not settle: ${JSON.stringify(await get(app, postId))}`);
}
/** Moves a manual clock to the post's first target's next attempt, and lets the outbox make it. */
async function nextAttempt(app: CoreClient, clock: ReturnType<typeof manualClock>, postId: string) {
  const { nextAttemptAt } = (await get(app, postId)).targets[0]!;
  assert.ok(nextAttemptAt !== null, 'an attempt is planned');
  clock.set(nextAttemptAt);
  app.core.outbox.wake();
  await app.core.outbox.idle();
  return get(app, postId);
}
async function get(app: CoreClient, postId: string) {
  return (await app.call('history.list', {})).find((p) => p.id === postId)!;
}

describe('the outbox', () => {
  it('publishes to every target at once, records ids in history, and leaves the drafts', async () => {
    const app = await start();
    const bsky = await connectBluesky(app);
    const masto = await connectMastodon(app);
    const text = unique('Fan-out');
    const draftId = await draft(app, text, [bsky.id, masto.id]);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.phase, 'done');
    assert.deepEqual(post.targets.map((t) => t.status), ['published', 'published']);
    assert.match(targetOf(post, bsky.id).uri!, /^at:\/\/did:plc:[a-z0-9]+\/app\.bsky\.feed\.post\/[a-z2-7]{13}$/);
    assert.deepEqual(await app.call('drafts.list', {}), []);
    assert.deepEqual(await app.call('outbox.list', {}), []);
    assert.equal(await blueskyCopies(text), 1);
    assert.equal(mastodonCopies(text), 1);
    app.close();
  });

  it('adds a sent post to the search index once it is idle, not while requests are out, and what is left when it closes', async () => {
    const app = await start();
    const discord = await connectDiscord(app);
    const db = new Database(path.join(app.dataDir, 'localpost.sqlite'), { readonly: true });
    const listed = () => (db.prepare('SELECT COUNT(*) AS n FROM posts_fts_pending').get() as { n: number }).n;
    const found = (word: string) => (db.prepare('SELECT COUNT(*) AS n FROM posts_fts WHERE posts_fts MATCH ?').get(word) as { n: number }).n;
    const word = () => `zinnia${Math.random().toString(36).slice(2, 10)}`;
    const first = word();
    const sent = await app.call('publish.now', { draftId: await draft(app, `Fresh ${first}`, [discord.id]) });
    assert.equal(sent.targets[0]!.status, 'published');
    assert.deepEqual([listed(), found(first)], [1, 0], 'listed by the commit that queued it, not yet indexed');
    await waitFor(() => (listed() === 0 ? true : undefined), 'the index to catch up by itself');
    assert.equal(found(first), 1);
    // Closed before it was quiet for long enough: the post is indexed on the way out.
    const second = word();
    await app.call('publish.now', { draftId: await draft(app, `Late ${second}`, [discord.id]) });
    assert.equal(listed(), 1);
    app.close();
    assert.deepEqual([listed(), found(second)], [0, 1]);
    db.close();
  });

  it('queues while offline and publishes by itself when the network comes back', async () => {
    const app = await start();
    const bsky = await connectBluesky(app);
    const text = unique('Offline');
    const draftId = await draft(app, text, [bsky.id]);
    app.setOnline(false);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.phase, 'sending');
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.attempts, 0, 'an attempt that never left is not counted');
    assert.equal(post.targets[0]!.error?.code, 'network_unreachable', 'it says why it waits');
    assert.deepEqual((await app.call('outbox.list', {})).map((p) => p.id), [post.id]);
    assert.deepEqual(await app.call('drafts.list', {}), [], 'the post is in the outbox, not the drafts');
    assert.equal(await blueskyCopies(text), 0);

    app.setOnline(true);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(await blueskyCopies(text), 1);
    app.close();
  });

  it('Bluesky: a lost answer becomes unknown, the record key is looked up, and the post exists once', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const bsky = await connectBluesky(app);
    const text = unique('Lost answer');
    const draftId = await draft(app, text, [bsky.id]);
    lossy.loseAnswer((url) => url.includes('com.atproto.repo.createRecord'));
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.equal(post.targets[0]!.error?.code, 'network_unreachable');
    const lookups = pds.requestCount('com.atproto.repo.getRecord');
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.ok(pds.requestCount('com.atproto.repo.getRecord') > lookups, 'it asked the PDS');
    assert.equal(await blueskyCopies(text), 1, 'never re-sent blindly');
    assert.equal(done.targets[0]!.uri, (await pds.listPosts(alice.did)).find((p) => p.value.text === text)!.uri);
    app.close();
  });

  it('Mastodon: a lost answer is re-sent with the same Idempotency-Key, and the status exists once', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const masto = await connectMastodon(app);
    const text = unique('Keyed');
    const draftId = await draft(app, text, [masto.id]);
    lossy.loseAnswer((url) => url.endsWith('/api/v1/statuses'));
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued', 'waits for its backoff, then goes again');
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(done.targets[0]!.attempts, 2);
    assert.equal(mastodonCopies(text), 1);
    const keys = instance.requests.filter((r) => r.path === '/api/v1/statuses' && (r.body as { status?: string }).status === text).map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
    app.close();
  });

  it('Mastodon: an answer that never comes times out, and the keyed re-send posts it once', async () => {
    const app = await start({ httpTimeoutMs: 800 });
    const masto = await connectMastodon(app);
    const text = unique('Stalled');
    const draftId = await draft(app, text, [masto.id]);
    instance.stallNextStatusResponse();
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.match(post.targets[0]!.error!.message, /did not answer within 1 second\./);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(mastodonCopies(text), 1);
    app.close();
  });

  it('Discord: a lost answer is never re-sent; the user settles it', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const discord = await connectDiscord(app);
    const text = unique('Unsure');
    const draftId = await draft(app, text, [discord.id]);
    const discordPosts = () => hooks.requests.filter((r) => r.platform === 'discord' && r.method === 'POST').length;
    const sentBefore = discordPosts();
    lossy.loseAnswer((url) => url.includes('/api/webhooks/'));
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.equal(post.phase, 'needs_attention');
    assert.ok(app.notifications.some((n) => /Did the post to .* go out\?/.test(n.title)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(discordPosts(), sentBefore + 1, 'reached Discord once, and nothing re-sent it');
    const resolved = await app.call('outbox.resolveUnknown', { postId: post.id, accountId: discord.id, resolution: 'was_published' });
    assert.equal(resolved.targets[0]!.status, 'published');
    assert.equal(resolved.phase, 'done');
    app.close();
  });

  it("X: a lost answer is looked up in the account's recent posts and found, never re-sent", async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectX(app);
    const text = unique('Lost on X & found https://example.com/a/long/path');
    const draftId = await draft(app, text, [account.id]);
    lossy.loseAnswer((url) => url.endsWith('/2/tweets'));
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'unknown');
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    const [tweet, ...more] = x.tweets.filter((t) => t.text === text);
    assert.equal(more.length, 0, 'posted once');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(done.targets[0]!.uri, tweet!.id);
    assert.ok(x.requests.some((r) => r.method === 'GET' && r.path === `/2/users/${account.remoteId}/tweets`), 'it asked X');

    // A post that never reached X: the lookup finds nothing, so it is sent again (once).
    const missing = unique('Never arrived');
    const secondDraft = await draft(app, missing, [account.id]);
    lossy.drop((url) => url.endsWith('/2/tweets'));
    const second = await app.call('publish.now', { draftId: secondDraft });
    assert.equal(second.targets[0]!.status, 'unknown');
    const sent = await settled(app, second.id, (p) => p.phase === 'done');
    assert.equal(sent.targets[0]!.status, 'published');
    assert.equal(sent.targets[0]!.attempts, 2);
    assert.equal(x.tweets.filter((t) => t.text === missing).length, 1);
    app.close();
  });

  it('X: a lost post of images only cannot be found by its text: the user is asked at once, and nothing sends it again', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectX(app);
    const tweets = x.tweets.length;
    lossy.loseAnswer((url) => url.endsWith('/2/tweets'));
    const post = await app.call('publish.now', { draftId: await withImage(app, await draft(app, '', [account.id])) });
    assert.equal(post.targets[0]!.status, 'unknown');
    const asked = await settled(app, post.id, (p) => p.targets[0]!.nextAttemptAt === null);
    assert.equal(asked.targets[0]!.status, 'unknown');
    assert.ok(app.notifications.some((n) => n.title === `Did the post to ${account.handle} go out?`));
    const timelineReads = () => x.requests.filter((r) => r.method === 'GET' && r.path === `/2/users/${account.remoteId}/tweets`).length;
    const reads = timelineReads();
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal(timelineReads(), reads, 'no more lookups that cannot tell');
    assert.equal(x.tweets.length, tweets + 1, 'posted once');
    app.close();
  });

  it('LinkedIn: a lost answer stays unknown (LinkedIn cannot be asked), nothing sends it again, and the user settles it', async () => {
    const clock = manualClock(Date.now());
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch, clock });
    const account = await connectLinkedIn(app);
    const text = unique('Lost on LinkedIn');
    lossy.loseAnswer((url) => url.endsWith('/rest/posts'));
    const post = await app.call('publish.now', { draftId: await draft(app, text, [account.id]) });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.equal(post.targets[0]!.nextAttemptAt, null, 'no lookup is planned: there is nothing to ask');
    assert.equal(post.phase, 'needs_attention');
    assert.ok(app.notifications.some((n) => n.title === `Did the post to ${account.handle} go out?`), 'the user is asked at once');
    assert.equal(linkedinCopies(text), 1, 'LinkedIn made the post');

    // A day later, nothing has sent it again by itself.
    clock.advance(24 * 60 * 60_000);
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal((await get(app, post.id)).targets[0]!.status, 'unknown');
    assert.equal(linkedinSends(text), 1);

    const resolved = await app.call('outbox.resolveUnknown', { postId: post.id, accountId: account.id, resolution: 'was_published' });
    assert.equal(resolved.targets[0]!.status, 'published');
    assert.equal(resolved.phase, 'done');
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal(linkedinSends(text), 1, 'was_published sends nothing');
    assert.equal(linkedinCopies(text), 1);
    app.close();
  });

  it('LinkedIn: "Send again" sends exactly once more: a request that never arrived is published once, and a copy of one that did is refused by LinkedIn', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectLinkedIn(app);

    // Reset before it reached LinkedIn: the client cannot tell, so it is unknown as well.
    const missing = unique('Never reached LinkedIn');
    lossy.drop((url) => url.endsWith('/rest/posts'));
    const dropped = await app.call('publish.now', { draftId: await draft(app, missing, [account.id]) });
    assert.equal(dropped.targets[0]!.status, 'unknown');
    assert.equal(linkedinSends(missing), 0);
    await app.call('outbox.resolveUnknown', { postId: dropped.id, accountId: account.id, resolution: 'send_again' });
    const sent = await settled(app, dropped.id, (p) => p.phase === 'done');
    assert.equal(sent.targets[0]!.status, 'published');
    assert.equal(linkedinSends(missing), 1);
    const [created, ...more] = linkedin.posts.filter((p) => p.sentCommentary === missing);
    assert.equal(more.length, 0);
    assert.equal(sent.targets[0]!.uri, created!.id);

    // The user sends again a post that had in fact gone out: one more request, and LinkedIn
    // refuses the copy of the member's own post, so it still exists once.
    const arrived = unique('Did reach LinkedIn');
    lossy.loseAnswer((url) => url.endsWith('/rest/posts'));
    const lost = await app.call('publish.now', { draftId: await draft(app, arrived, [account.id]) });
    assert.equal(lost.targets[0]!.status, 'unknown');
    await app.call('outbox.resolveUnknown', { postId: lost.id, accountId: account.id, resolution: 'send_again' });
    const refused = await settled(app, lost.id, (p) => p.phase === 'done');
    assert.equal(linkedinSends(arrived), 2);
    assert.equal(linkedinCopies(arrived), 1);
    assert.equal(refused.targets[0]!.status, 'failed_permanent');
    assert.equal(
      refused.targets[0]!.error!.message,
      `LinkedIn refused this post as a duplicate of one already on the account (${linkedin.posts.find((p) => p.sentCommentary === arrived)!.id}): it takes the same text only once.`,
    );
    assert.match(refused.targets[0]!.error!.action ?? '', /change the text/);
    app.close();
  });

  it('LinkedIn: a refused connection, a 429 with Retry-After and 5xx answers are tried again when their time comes, and each post exists once', async () => {
    const clock = manualClock(Date.now());
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch, clock });
    const account = await connectLinkedIn(app);

    const refusedText = unique('LinkedIn unreachable');
    lossy.refuse((url) => url.endsWith('/rest/posts'));
    const refused = await app.call('publish.now', { draftId: await draft(app, refusedText, [account.id]) });
    assert.equal(refused.targets[0]!.status, 'queued', 'nothing left, so it is safe to send again');
    assert.equal(refused.targets[0]!.error?.code, 'network_unreachable');
    const afterRefusal = await nextAttempt(app, clock, refused.id);
    assert.equal(afterRefusal.targets[0]!.status, 'published');
    assert.equal(afterRefusal.targets[0]!.attempts, 2);
    assert.equal(linkedinCopies(refusedText), 1);

    const limited = unique('LinkedIn limited');
    linkedin.injectFault('/rest/posts', {
      status: 429,
      body: { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.' },
      headers: { 'retry-after': '60' },
    });
    const sentAt = clock.now();
    const waiting = await app.call('publish.now', { draftId: await draft(app, limited, [account.id]) });
    assert.equal(waiting.targets[0]!.status, 'queued');
    assert.equal(waiting.targets[0]!.error?.code, 'rate_limited');
    assert.ok(waiting.targets[0]!.nextAttemptAt! >= sentAt + 60_000, 'not before LinkedIn said');
    clock.set(sentAt + 59_000);
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal((await get(app, waiting.id)).targets[0]!.status, 'queued', 'a second before the time LinkedIn gave, it still waits');
    const afterLimit = await nextAttempt(app, clock, waiting.id);
    assert.equal(afterLimit.targets[0]!.status, 'published');
    assert.equal(afterLimit.targets[0]!.attempts, 2);
    assert.equal(linkedinCopies(limited), 1);

    const flaky = unique('LinkedIn flaky');
    linkedin.injectFault('/rest/posts', { status: 503, body: { status: 503, message: 'Service Unavailable' }, times: 2 });
    const failing = await app.call('publish.now', { draftId: await draft(app, flaky, [account.id]) });
    assert.equal(failing.targets[0]!.status, 'queued');
    assert.equal((await nextAttempt(app, clock, failing.id)).targets[0]!.status, 'queued', 'the outage goes on');
    const afterOutage = await nextAttempt(app, clock, failing.id);
    assert.equal(afterOutage.targets[0]!.status, 'published');
    assert.equal(afterOutage.targets[0]!.attempts, 3);
    assert.equal(linkedinCopies(flaky), 1);
    assert.equal(linkedinSends(flaky), 3);
    app.close();
  });

  it("LinkedIn: a spent daily limit (429 without Retry-After) holds the account's posts until midnight UTC, when LinkedIn's limits reset, and each goes out once", async () => {
    const clock = manualClock(Date.now());
    const app = await start({ clock });
    const account = await connectLinkedIn(app);
    const today = new Date(clock.now());
    const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
    const texts = [unique('Over the daily limit'), unique('Behind it')];
    linkedin.setDailyLimit('POST /rest/posts', { member: 0 });
    const posts: Array<Awaited<ReturnType<typeof get>>> = [];
    try {
      for (const text of texts) posts.push(await app.call('publish.now', { draftId: await draft(app, text, [account.id]) }));
      for (const post of posts) {
        assert.equal(post.targets[0]!.status, 'queued');
        assert.equal(post.targets[0]!.error?.code, 'rate_limited');
        assert.ok(post.targets[0]!.nextAttemptAt! >= midnight, `held until midnight UTC, not ${new Date(post.targets[0]!.nextAttemptAt!).toISOString()}`);
      }
      assert.equal(posts[1]!.targets[0]!.attempts, 0, 'the second was held, not sent into the limit');
      clock.set(midnight - 1000);
      app.core.outbox.wake();
      await app.core.outbox.idle();
      assert.deepEqual(texts.map(linkedinSends), [1, 0], 'nothing more is tried before the reset');
    } finally {
      linkedin.setDailyLimit('POST /rest/posts', { member: 150 });
    }
    clock.set(Math.max(...(await Promise.all(posts.map(async (post) => (await get(app, post.id)).targets[0]!.nextAttemptAt!)))));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    for (const post of posts) assert.equal((await get(app, post.id)).targets[0]!.status, 'published');
    assert.deepEqual(texts.map(linkedinCopies), [1, 1]);
    app.close();
  });

  it('LinkedIn: a revoked sign-in (401, serviceErrorCode 65601) holds the target and asks for a reconnect, then it goes out once', async () => {
    const app = await start();
    const account = await connectLinkedIn(app);
    await linkedin.revokeSeenTokens();
    const text = unique('LinkedIn held');
    const post = await app.call('publish.now', { draftId: await draft(app, text, [account.id]) });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.equal((await app.call('accounts.list', {})).find((a) => a.id === account.id)!.status, 'needs_reauth');
    assert.ok(app.notifications.some((n) => n.title === `${account.handle} needs to be reconnected`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await get(app, post.id)).targets[0]!.status, 'queued', 'held, not retried against a refused sign-in');
    assert.equal(linkedinSends(text), 1);
    assert.equal(linkedinCopies(text), 0);

    await connectLinkedIn(app);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(linkedinCopies(text), 1);
    app.close();
  });

  it("Pinterest: a lost answer is looked up among the board's pins and found, never pinned again", async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectPinterest(app);
    const text = unique('Lost pin');
    const creates = pinCreates();
    const lookups = boardLookups();
    lossy.loseAnswer((url) => url.endsWith('/v5/pins'));
    const post = await app.call('publish.now', { draftId: await pinDraft(app, text, [account.id]) });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.notEqual(post.targets[0]!.nextAttemptAt, null, 'a lookup is planned');
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    const [pin, ...more] = pinsWith(text);
    assert.equal(more.length, 0, 'pinned once');
    assert.equal(pinCreates(), creates + 1, 'never sent again');
    assert.ok(boardLookups() > lookups, "it asked for the board's pins");
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(done.targets[0]!.uri, pin!.id);
    assert.equal(done.targets[0]!.attempts, 1);
    assert.deepEqual(pinterest.violations.splice(0), []);
    app.close();
  });

  it('Pinterest: a pin that never arrived is not found, so it is sent again, once', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectPinterest(app);
    const text = unique('Pin never arrived');
    lossy.drop((url) => url.endsWith('/v5/pins'));
    const post = await app.call('publish.now', { draftId: await pinDraft(app, text, [account.id]) });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.equal(pinsWith(text).length, 0);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(done.targets[0]!.attempts, 2);
    const [pin, ...more] = pinsWith(text);
    assert.equal(more.length, 0);
    assert.equal(done.targets[0]!.uri, pin!.id);
    assert.deepEqual(pinterest.violations.splice(0), []);
    app.close();
  });

  it('Pinterest: a lost pin without a description cannot be told apart from others: the user is asked at once, and nothing is pinned again', async () => {
    const lossy = lossyFetch();
    const app = await start({ fetch: lossy.fetch });
    const account = await connectPinterest(app);
    const undescribed = pinsWith(null).length;
    const creates = pinCreates();
    lossy.loseAnswer((url) => url.endsWith('/v5/pins'));
    const post = await app.call('publish.now', { draftId: await pinDraft(app, '', [account.id]) });
    assert.equal(post.targets[0]!.status, 'unknown');
    const asked = await settled(app, post.id, (p) => p.targets[0]!.nextAttemptAt === null);
    assert.equal(asked.targets[0]!.status, 'unknown');
    assert.equal(asked.phase, 'needs_attention');
    assert.ok(app.notifications.some((n) => n.title === `Did the post to ${account.handle} go out?`));
    const lookups = boardLookups();
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal(boardLookups(), lookups, 'no more lookups that cannot tell');
    assert.equal(pinCreates(), creates + 1);
    assert.equal(pinsWith(null).length, undescribed + 1);

    const resolved = await app.call('outbox.resolveUnknown', { postId: post.id, accountId: account.id, resolution: 'was_published' });
    assert.equal(resolved.targets[0]!.status, 'published');
    assert.equal(pinCreates(), creates + 1);
    assert.deepEqual(pinterest.violations.splice(0), []);
    app.close();
  });

  it('Pinterest: a 429 with Retry-After and 5xx answers are tried again when their time comes, and each pin exists once', async () => {
    const clock = manualClock(Date.now());
    const app = await start({ clock });
    const account = await connectPinterest(app);
    const limited = unique('Pin limited');
    pinterest.injectFault('/v5/pins', { status: 429, body: { code: 8, message: 'You have exceeded your rate limit. Try again later.' }, headers: { 'retry-after': '60' } });
    const sentAt = clock.now();
    const waiting = await app.call('publish.now', { draftId: await pinDraft(app, limited, [account.id]) });
    assert.equal(waiting.targets[0]!.status, 'queued');
    assert.equal(waiting.targets[0]!.error?.code, 'rate_limited');
    assert.ok(waiting.targets[0]!.nextAttemptAt! >= sentAt + 60_000, 'not before Pinterest said');
    const afterLimit = await nextAttempt(app, clock, waiting.id);
    assert.equal(afterLimit.targets[0]!.status, 'published');
    assert.equal(afterLimit.targets[0]!.attempts, 2);
    assert.equal(pinsWith(limited).length, 1);

    const flaky = unique('Pin flaky');
    pinterest.injectFault('/v5/pins', { status: 503, body: { code: 503, message: 'Service Unavailable' }, times: 2 });
    const failing = await app.call('publish.now', { draftId: await pinDraft(app, flaky, [account.id]) });
    assert.equal(failing.targets[0]!.status, 'queued');
    assert.equal((await nextAttempt(app, clock, failing.id)).targets[0]!.status, 'queued', 'the outage goes on');
    const afterOutage = await nextAttempt(app, clock, failing.id);
    assert.equal(afterOutage.targets[0]!.status, 'published');
    assert.equal(afterOutage.targets[0]!.attempts, 3);
    assert.equal(pinsWith(flaky).length, 1);
    assert.deepEqual(pinterest.violations.splice(0), []);
    app.close();
  });

  it('retries a 5xx with backoff, honours Retry-After on a 429, and publishes once', async () => {
    const app = await start();
    const masto = await connectMastodon(app);
    const text = unique('Flaky');
    const draftId = await draft(app, text, [masto.id]);
    instance.injectFault('/api/v1/statuses', { status: 503, body: { error: 'Service Unavailable' }, times: 2 });
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.ok(post.targets[0]!.nextAttemptAt! > post.targets[0]!.attemptedAt);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.attempts, 3);
    assert.equal(mastodonCopies(text), 1);

    const limited = unique('Limited');
    const limitedDraft = await draft(app, limited, [masto.id]);
    instance.injectFault('/api/v1/statuses', { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const waiting = await app.call('publish.now', { draftId: limitedDraft });
    assert.equal(waiting.targets[0]!.error?.code, 'rate_limited');
    assert.ok(waiting.targets[0]!.nextAttemptAt! >= started + 1000, 'not before the platform said');
    await settled(app, waiting.id, (p) => p.phase === 'done');
    assert.equal(mastodonCopies(limited), 1);
    app.close();
  });

  it("paces an account by its rate-limit headers: after the last allowed post the next waits for the reset, across a restart, and never draws a 429", async () => {
    instance.setStatusRateLimit(2, 2500);
    try {
      const app = await start();
      const masto = await connectMastodon(app);
      const texts = [unique('Paced 1'), unique('Paced 2'), unique('Paced 3')];
      const posts = [];
      for (const text of texts) posts.push(await app.call('publish.now', { draftId: await draft(app, text, [masto.id]) }));
      assert.deepEqual(posts.map((p) => p.targets[0]!.status), ['published', 'published', 'queued']);
      // The second answer said X-RateLimit-Remaining: 0, so the third was held, not sent.
      const held = posts[2]!.targets[0]!;
      assert.equal(held.attempts, 0);
      assert.equal(held.error?.code, 'rate_limited');
      assert.ok(held.nextAttemptAt! > Date.now() + 500, 'held until the reset the instance announced');
      assert.equal(held.error?.retryAt, held.nextAttemptAt);
      assert.match(held.error!.message, /^Mastodon allows no more requests/);

      // The hold is in the database: a restart inside the window does not send early, neither
      // what waited nor a post made after the restart.
      app.close();
      const again = await start({ dataDir: app.dataDir });
      texts.push(unique('Paced 4'));
      const fourth = await again.call('publish.now', { draftId: await draft(again, texts[3]!, [masto.id]) });
      assert.equal(fourth.targets[0]!.status, 'queued');
      assert.equal(fourth.targets[0]!.nextAttemptAt, held.nextAttemptAt);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(mastodonCopies(texts[2]!) + mastodonCopies(texts[3]!), 0);
      for (const post of [posts[2]!, fourth]) {
        const done = await settled(again, post.id, (p) => p.phase === 'done');
        assert.ok(done.targets[0]!.attemptedAt >= held.nextAttemptAt!, 'sent only after the reset');
        assert.equal(done.targets[0]!.error, null);
      }
      assert.deepEqual(texts.map(mastodonCopies), [1, 1, 1, 1]);
      assert.equal(instance.rateLimitedStatuses, 0, 'the instance never had to refuse one');
      again.close();
    } finally {
      instance.setStatusRateLimit(300, 3 * 60 * 60 * 1000);
    }
  });

  it('fails refused content at once with its code, and Retry sends only the failed target', async () => {
    const app = await start();
    const bsky = await connectBluesky(app);
    const masto = await connectMastodon(app);
    const text = unique('Partly');
    const draftId = await draft(app, text, [bsky.id, masto.id]);
    const image = await app.call('drafts.addImage', { draftId, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId, imageId: image.id, alt: 'A small test image' });
    instance.injectFault('/api/v1/statuses', { status: 422, body: { error: 'Validation failed: Text is spam' } });
    const post = await app.call('publish.now', { draftId });
    assert.equal(targetOf(post, bsky.id).status, 'published');
    assert.equal(targetOf(post, masto.id).status, 'failed_permanent');
    assert.equal(targetOf(post, masto.id).error?.code, 'platform_rejected');
    assert.match(targetOf(post, masto.id).error!.message, /Text is spam/);
    assert.equal(post.phase, 'done');
    assert.ok(app.notifications.some((n) => n.title === `A post to ${masto.handle} failed` && /Text is spam/.test(n.body)), 'the OS was told');

    const retried = await app.call('outbox.retry', { postId: post.id });
    assert.ok(['queued', 'publishing', 'published'].includes(targetOf(retried, masto.id).status));
    const done = await settled(app, post.id, (p) => p.targets.every((t) => t.status === 'published'));
    assert.equal(targetOf(done, masto.id).attempts, 1, 'Retry starts the count again');
    assert.equal(await blueskyCopies(text), 1, 'the published target was not sent again');
    assert.equal(mastodonCopies(text), 1);
    // The image went with the retry (the post kept its files while a target had failed), and
    // once every target is published they are gone.
    const retriedStatus = instance.statuses.find((st) => st.status === text)!;
    assert.equal(retriedStatus.mediaIds.length, 1);
    assert.ok(!fs.existsSync(path.join(app.dataDir, 'media', 'posts', post.id)));
    app.close();
  });

  it('holds the targets of an account whose sign-in was refused until it is reconnected', async () => {
    const app = await start();
    const masto = await connectMastodon(app);
    await instance.revokeSeenTokens();
    const text = unique('Held');
    const draftId = await draft(app, text, [masto.id]);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.equal((await app.call('accounts.list', {}))[0]!.status, 'needs_reauth');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await get(app, post.id)).targets[0]!.status, 'queued', 'held, not retried against a refused sign-in');

    await connectMastodon(app);
    const done = await settled(app, post.id, (p) => p.phase === 'done');
    assert.equal(done.targets[0]!.status, 'published');
    assert.equal(mastodonCopies(text), 1);
    app.close();
  });
});

describe('schedules', () => {
  // Saturday 28 March 2026, 12:00 in Berlin; clocks go forward that night.
  const saturdayNoon = Date.UTC(2026, 2, 28, 11, 0);

  it('goes out at 09:00 Berlin time after the DST change, not an hour off', async () => {
    const clock = manualClock(saturdayNoon);
    const app = await start({ clock });
    const bsky = await connectBluesky(app);
    const text = unique('After DST');
    const post = await app.call('publish.schedule', { draftId: await draft(app, text, [bsky.id]), schedule: { local: '2026-03-30T09:00', zone: 'Europe/Berlin' } });
    assert.equal(post.phase, 'scheduled');
    assert.equal(post.scheduledAt, Date.UTC(2026, 2, 30, 7, 0));
    assert.deepEqual({ zone: post.scheduleZone, local: post.scheduleLocal }, { zone: 'Europe/Berlin', local: '2026-03-30T09:00' });

    clock.set(Date.UTC(2026, 2, 30, 6, 59, 59));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal((await get(app, post.id)).phase, 'scheduled', '08:59:59 in Berlin: not yet');

    clock.set(Date.UTC(2026, 2, 30, 7, 0, 0));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal((await get(app, post.id)).phase, 'done');
    assert.equal(await blueskyCopies(text), 1);
    app.close();
  });

  it('refuses a time in the past, and edits, reschedules and cancels before it starts', async () => {
    const clock = manualClock(saturdayNoon);
    const app = await start({ clock });
    const bsky = await connectBluesky(app);
    const text = unique('Editable');
    const draftId = await draft(app, text, [bsky.id]);
    await assert.rejects(app.call('publish.schedule', { draftId, schedule: { local: '2026-03-28T11:00', zone: 'Europe/Berlin' } }), /invalid_input/);
    assert.equal((await app.call('drafts.list', {})).length, 1, 'a refused schedule keeps the draft');

    const post = await app.call('publish.schedule', { draftId, schedule: { local: '2026-04-01T10:00', zone: 'America/New_York' } });
    const moved = await app.call('outbox.reschedule', { postId: post.id, schedule: { local: '2026-04-02T10:00', zone: 'America/New_York' } });
    assert.equal(moved.scheduledAt, Date.UTC(2026, 3, 2, 14, 0));

    const backToDraft = await app.call('outbox.edit', { postId: post.id });
    assert.equal(backToDraft.text, text);
    assert.deepEqual(backToDraft.targetAccountIds, [bsky.id]);
    assert.equal((await app.call('outbox.list', {})).length, 0);

    const again = await app.call('publish.schedule', { draftId: backToDraft.id, schedule: { local: '2026-04-02T10:00', zone: 'America/New_York' } });
    const cancelled = await app.call('outbox.cancel', { postId: again.id });
    assert.equal(cancelled.phase, 'done');
    assert.equal(cancelled.targets[0]!.status, 'cancelled');
    clock.set(Date.UTC(2026, 3, 3));
    app.core.outbox.wake();
    await app.core.outbox.idle();
    assert.equal(await blueskyCopies(text), 0);
    app.close();
  });

  for (const policy of ['ask', 'publish', 'skip'] as const) {
    it(`a schedule missed while closed: ${policy}`, async () => {
      const clock = manualClock(saturdayNoon);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-missed-'));
      const first = await start({ clock, dataDir });
      const bsky = await connectBluesky(first);
      if (policy !== 'ask') await first.call('settings.update', { missedSchedule: policy });
      const text = unique(`Missed ${policy}`);
      const post = await first.call('publish.schedule', { draftId: await draft(first, text, [bsky.id]), schedule: { local: '2026-03-28T13:00', zone: 'Europe/Berlin' } });
      first.close();

      // Localpost was closed at 13:00 and opens again at 15:00.
      clock.set(Date.UTC(2026, 2, 28, 14, 0));
      const second = await start({ clock, dataDir });
      await second.core.outbox.idle();
      const after = await get(second, post.id);
      if (policy === 'ask') {
        assert.equal(after.phase, 'missed');
        assert.ok(second.notifications.some((n) => n.title === 'A scheduled post missed its time'));
        const decided = await second.call('outbox.decideMissed', { postId: post.id, decision: 'publish' });
        assert.notEqual(decided.phase, 'missed');
        await second.core.outbox.idle();
        assert.equal(await blueskyCopies(text), 1);
      } else if (policy === 'publish') {
        assert.equal(after.phase, 'done');
        assert.equal(await blueskyCopies(text), 1);
      } else {
        assert.equal(after.phase, 'done');
        assert.equal(after.targets[0]!.status, 'cancelled');
        assert.ok(second.notifications.some((n) => n.title === 'A scheduled post was skipped'));
        assert.equal(await blueskyCopies(text), 0);
      }
      second.close();
    });
  }
});
