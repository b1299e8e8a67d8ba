// Reply chains (threads) on X, Mastodon and Threads, through the core's real dispatch against the
// platforms' contract mocks: each reply names the post before it the platform's way (X's
// `reply.in_reply_to_tweet_id`, Mastodon's `in_reply_to_id`, Threads' `reply_to_id`), and the
// mocks refuse a reply to a post they do not have. A part the platform refuses stops the chain
// there; Retry goes on from it without sending the posts already out; an answer lost mid-chain is
// settled the platform's way; and a rate limit spent mid-chain holds the rest until it resets.
// (Bluesky's chains run against a real PDS: blueskyReplyChains.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Post } from '../../src-preload/contract';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { settled } from '../harness/settled';
import { storedCredential } from '../harness/storedCredential';
import { startThreadsServer, type ThreadsServer } from '../harness/threadsServer';
import { waitFor } from '../harness/waitFor';
import { startXServer, type XServer } from '../harness/xServer';

let x: XServer;
let instance: MastodonServer;
let threads: ThreadsServer;
let threadsPort: number;

before(async () => {
  [x, instance, threads, threadsPort] = await Promise.all([startXServer(), startMastodonServer(), startThreadsServer(), findFreePort()]);
  threads.registerRedirect(`https://localhost:${threadsPort}/callback`);
});
after(async () => {
  await Promise.all([x.close(), instance.close(), threads.close()]);
});
afterEach(() => {
  assert.deepEqual(x.violations.splice(0), [], 'requests X’s description does not allow');
  assert.deepEqual(threads.violations.splice(0), [], 'requests Meta’s documentation does not allow');
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let counter = 0;
/** Texts no earlier test used: X refuses the same text twice. */
const fresh = (text: string) => `${text} #${++counter}-${Date.now() % 100_000}`;

function start(fetch?: typeof globalThis.fetch): Promise<CoreClient> {
  return startCore({
    env: { ...x.env, ...instance.env, ...threads.env },
    allowPrivateAddressesFor: [new URL(x.env.LOCALPOST_X_API_BASE!).origin, instance.origin, threads.origin],
    ...(fetch ? { fetch } : {}),
  });
}

async function connectX(app: CoreClient) {
  await app.call('developerApps.save', { platform: 'x', clientId: x.oauth.clients.native.clientId, clientSecret: '', redirectPort: x.oauth.fixedRedirectPort });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'x' });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

async function connectMastodon(app: CoreClient) {
  const opened = app.openedUrls.length;
  // The mock instance runs on this machine: a self-hoster's yes to the private-address question.
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'));
  return (await pending).account;
}

async function connectThreads(app: CoreClient) {
  await app.call('developerApps.save', { platform: 'threads', clientId: threads.app.appId, clientSecret: threads.app.appSecret, redirectPort: threadsPort });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'threads' });
  pending.catch(() => {});
  const visit = await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page'), { deliver: false });
  await app.call('accounts.completeSignIn', { pastedUrl: visit.callbackUrl });
  return (await pending).account;
}

async function chainDraft(app: CoreClient, accountId: string, texts: string[], extra: { visibility?: 'public' | 'unlisted' | 'private'; contentWarning?: string } = {}) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: texts[0]!, replies: texts.slice(1), targetAccountIds: [accountId], langs: ['en'], ...extra });
  return draft.id;
}

const done = (post: Post) => post.phase === 'done';

describe('X reply chains', () => {
  const tweetPosts = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;
  const tweetOf = (text: string) => {
    const found = x.tweets.filter((t) => t.text === text);
    assert.equal(found.length, 1, `"${text}" exists once`);
    return found[0]!;
  };

  it('publishes in order, each post replying to the one before; the target is the first post', async () => {
    const app = await start();
    const account = await connectX(app);
    const texts = [fresh('X thread one'), fresh('X thread two'), fresh('X thread three')];
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.deepEqual(target.chain, { published: 3, total: 3 });
    const [one, two, three] = texts.map(tweetOf);
    assert.equal(one!.inReplyToId, undefined);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    assert.equal(target.uri, one!.id);
    assert.match(target.url!, new RegExp(`/status/${one!.id}$`));
    app.close();
  });

  it('a part X refuses stops the chain there; Retry sends from that part on, never the first again', async () => {
    const app = await start();
    const account = await connectX(app);
    const texts = [fresh('X refused one'), fresh('X refused two'), fresh('X refused three')];
    const before = tweetPosts();
    x.injectFault('/2/tweets', {
      after: 1,
      status: 400,
      body: { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.x.com/2/problems/invalid-request', errors: [{ message: 'Refused for the test.' }] },
    });
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    const failed = post.targets[0]!;
    assert.equal(failed.status, 'failed_permanent', JSON.stringify(failed));
    assert.deepEqual(failed.chain, { published: 1, total: 3 });
    assert.equal(tweetPosts() - before, 2, 'post 1, and post 2 refused; post 3 never tried');
    assert.equal(x.tweets.filter((t) => texts.includes(t.text)).length, 1);

    await app.call('outbox.retry', { postId: post.id });
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    assert.equal(tweetPosts() - before, 4, 'then posts 2 and 3 only');
    const [one, two, three] = texts.map(tweetOf);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    assert.equal(finished.targets[0]!.uri, one!.id, 'the target is still the first post');
    app.close();
  });

  it('an answer lost after X took post 2 is found among the account’s posts, in the chain’s conversation; post 3 answers it', async () => {
    let posts = 0;
    const losing: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if ((init?.method ?? 'GET') === 'POST' && new URL(url).pathname === '/2/tweets' && ++posts === 2) {
        await answer.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return answer;
    };
    const app = await start(losing);
    const account = await connectX(app);
    const texts = [fresh('X lost one'), fresh('X lost two'), fresh('X lost three')];
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    assert.equal(post.targets[0]!.status, 'unknown', JSON.stringify(post.targets[0]));
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    assert.equal(posts, 3, 'post 2 was found, not sent again');
    const lookups = x.requests.filter((r) => r.method === 'GET' && /^\/2\/users\/[^/]+\/tweets$/.test(r.path));
    assert.ok(lookups.length >= 1, 'looked up');
    const [one, two, three] = texts.map(tweetOf);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    app.close();
  });

  it('the user says a post of the chain whose answer was lost is out: the chain goes on, the next post answering the latest one with an id', async () => {
    let posts = 0;
    const losing: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if ((init?.method ?? 'GET') === 'POST' && new URL(url).pathname === '/2/tweets' && ++posts === 2) {
        await answer.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return answer;
    };
    const app = await start(losing);
    const account = await connectX(app);
    // X cannot be asked for now: every lookup fails, and the user answers instead.
    x.injectFault(`/2/users/${account.remoteId}/tweets`, { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 }, times: 1000 });
    try {
      const texts = [fresh('X resolved one'), fresh('X resolved two'), fresh('X resolved three')];
      const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
      assert.equal(post.targets[0]!.status, 'unknown');
      const resolved = await app.call('outbox.resolveUnknown', { postId: post.id, accountId: account.id, resolution: 'was_published' });
      assert.deepEqual(resolved.targets[0]!.chain?.published, 2);
      const finished = await settled(app, post.id, done);
      assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
      assert.equal(posts, 3, 'post 2 was not sent again');
      const [one, two, three] = texts.map(tweetOf);
      assert.equal(two!.inReplyToId, one!.id);
      assert.equal(three!.inReplyToId, one!.id, 'post 2’s id is unknown here: post 3 answers post 1');
      assert.equal(finished.targets[0]!.uri, one!.id);
    } finally {
      // The fault's last use, spent here: later lookups reach X again.
      x.injectFault(`/2/users/${account.remoteId}/tweets`, { status: 503 });
      await (await fetch(`${x.env.LOCALPOST_X_API_BASE}/2/users/${account.remoteId}/tweets`)).arrayBuffer();
    }
    app.close();
  });
});

describe('Mastodon reply chains', () => {
  const statusRequests = () => instance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
  const statusOf = (text: string) => {
    const found = instance.statuses.filter((s) => s.status === text);
    assert.equal(found.length, 1, `"${text}" exists once`);
    return found[0]!;
  };

  it('publishes in order with in_reply_to_id, every part with the same visibility and content warning, each under its own Idempotency-Key', async () => {
    const app = await start();
    const account = await connectMastodon(app);
    const texts = [fresh('Toot one'), fresh('Toot two'), fresh('Toot three')];
    const before = statusRequests().length;
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts, { visibility: 'unlisted', contentWarning: 'Long thread' }) });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.deepEqual(target.chain, { published: 3, total: 3 });
    const [one, two, three] = texts.map(statusOf);
    assert.equal(one!.inReplyToId, undefined);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    for (const status of [one, two, three]) {
      assert.equal(status!.visibility, 'unlisted');
      assert.equal(status!.spoilerText, 'Long thread');
    }
    assert.equal(target.uri, one!.id);
    assert.equal(target.url, `${instance.origin}/@alice/${one!.id}`);
    const keys = statusRequests().slice(before).map((r) => r.headers['idempotency-key']);
    assert.equal(new Set(keys).size, 3, 'one key a post');
    app.close();
  });

  it('a part the instance refuses for a while is retried under its own key, and the chain completes; the first post is never sent again', async () => {
    const app = await start();
    const account = await connectMastodon(app);
    const texts = [fresh('Retried one'), fresh('Retried two'), fresh('Retried three')];
    const before = statusRequests().length;
    instance.injectFault('/api/v1/statuses', { after: 1, status: 503, body: { error: 'Service Unavailable' } });
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    assert.equal(post.targets[0]!.status, 'queued', JSON.stringify(post.targets[0]));
    assert.deepEqual(post.targets[0]!.chain, { published: 1, total: 3 });
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    const keys = statusRequests().slice(before).map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 4, 'post 1, post 2 refused, post 2 again, post 3');
    assert.equal(keys[1], keys[2], 'post 2 again under its own key');
    assert.equal(new Set(keys).size, 3);
    const [one, two, three] = texts.map(statusOf);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    app.close();
  });

  it('a process killed once the instance made post 2 (its answer lost): restarted, it sends post 2 again under its Idempotency-Key, gets the same status back, and finishes', { timeout: 120_000 }, async () => {
    const app = await start();
    const account = await connectMastodon(app);
    const texts = [fresh('Killed toot one'), fresh('Killed toot two'), fresh('Killed toot three')];
    const draftId = await chainDraft(app, account.id, texts);
    app.close();
    const before = statusRequests().length;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/harness/chainPublishChild.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        LOCALPOST_CHAIN_CHILD_DATA_DIR: app.dataDir,
        LOCALPOST_CHAIN_CHILD_DRAFT_ID: draftId,
        LOCALPOST_CHAIN_CHILD_HOLD_AT: '2',
        LOCALPOST_CHAIN_CHILD_HOLD: 'after',
        LOCALPOST_CHAIN_CHILD_HOLD_PATH: '/api/v1/statuses',
        LOCALPOST_CHAIN_CHILD_ENV: JSON.stringify(instance.env),
        LOCALPOST_CHAIN_CHILD_PRIVATE_ORIGINS: JSON.stringify([instance.origin]),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it held post 2`)));
    });
    child.kill('SIGKILL');
    await exited;
    assert.equal(instance.statuses.filter((s) => texts.includes(s.status)).length, 2, 'the instance made posts 1 and 2');

    const restarted = await startCore({ dataDir: app.dataDir, env: instance.env, allowPrivateAddressesFor: [instance.origin] });
    const [post] = await restarted.call('history.list', {});
    const finished = await settled(restarted, post!.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    assert.deepEqual(finished.targets[0]!.chain, { published: 3, total: 3 });
    const keys = statusRequests().slice(before).map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 4, 'post 1, post 2 cut off, post 2 again, post 3');
    assert.equal(keys[1], keys[2], 'post 2 again under its own key');
    const [one, two, three] = texts.map(statusOf);
    assert.equal(two!.inReplyToId, one!.id);
    assert.equal(three!.inReplyToId, two!.id);
    restarted.close();
  });

  it('a rate limit spent by post 1 holds the rest of the chain until it resets, then the chain completes without a 429', async () => {
    instance.setStatusRateLimit(1, 1500);
    try {
      const app = await start();
      const account = await connectMastodon(app);
      const texts = [fresh('Paced one'), fresh('Paced two'), fresh('Paced three')];
      const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
      const held = post.targets[0]!;
      assert.equal(held.status, 'queued', JSON.stringify(held));
      assert.deepEqual(held.chain, { published: 1, total: 3 });
      assert.equal(held.error?.code, 'rate_limited');
      assert.ok(held.nextAttemptAt! > Date.now(), 'held until the reset the instance announced');
      assert.equal(instance.statuses.filter((s) => texts.includes(s.status)).length, 1);
      const finished = await settled(app, post.id, done);
      assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
      assert.equal(finished.targets[0]!.error, null);
      assert.equal(instance.rateLimitedStatuses, 0, 'the instance never had to refuse one');
      const [one, two, three] = texts.map(statusOf);
      assert.equal(two!.inReplyToId, one!.id);
      assert.equal(three!.inReplyToId, two!.id);
      app.close();
    } finally {
      instance.setStatusRateLimit(300, 3 * 60 * 60 * 1000);
    }
  });
});

describe('Threads reply chains', () => {
  const mediaOf = (text: string) => {
    const found = threads.media.filter((m) => m.text === text);
    assert.equal(found.length, 1, `"${text}" exists once`);
    return found[0]!;
  };

  it('publishes in order with reply_to_id on each container; replies count against the replies’ quota', async () => {
    const app = await start();
    const account = await connectThreads(app);
    const texts = [fresh('Threads one'), fresh('Threads two'), fresh('Threads three')];
    const before = threads.requests.length;
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.deepEqual(target.chain, { published: 3, total: 3 });
    const [one, two, three] = texts.map(mediaOf);
    assert.equal(one!.replyToId, undefined);
    assert.equal(two!.replyToId, one!.id);
    assert.equal(three!.replyToId, two!.id);
    assert.equal(target.uri, one!.id);
    assert.equal(target.url, one!.permalink);
    const limits = threads.requests.slice(before).filter((r) => r.path.endsWith('/threads_publishing_limit')).map((r) => r.query.fields);
    assert.deepEqual(limits, ['quota_usage,config', 'reply_quota_usage,reply_config', 'reply_quota_usage,reply_config']);
    app.close();
  });

  it('with the day’s replies spent, the chain’s first post goes out and the rest wait an hour, creating nothing', async () => {
    const app = await start();
    const account = await connectThreads(app);
    const texts = [fresh('Threads quota one'), fresh('Threads quota two')];
    threads.setReplyQuotaUsedElsewhere(1000);
    try {
      const containersBefore = threads.containers.size;
      const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
      const held = post.targets[0]!;
      assert.equal(held.status, 'queued', JSON.stringify(held));
      assert.deepEqual(held.chain, { published: 1, total: 2 });
      assert.equal(held.error?.code, 'rate_limited');
      assert.match(held.error!.message, /1000 replies Threads allows/);
      assert.ok(held.nextAttemptAt! > Date.now() + 50 * 60_000, 'asks again in an hour');
      assert.equal(threads.containers.size - containersBefore, 1, 'no container for the reply');
      await app.call('outbox.cancel', { postId: post.id });
    } finally {
      threads.setReplyQuotaUsedElsewhere(0);
    }
    app.close();
  });

  it('a part Threads refuses stops the chain; Retry publishes the container already made for it, then the rest', async () => {
    const app = await start();
    const account = await connectThreads(app);
    const texts = [fresh('Threads refused one'), fresh('Threads refused two'), fresh('Threads refused three')];
    threads.failPublish({ status: 400, message: 'Invalid parameter', code: 100 }, 1);
    const containersBefore = threads.containers.size;
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    const failed = post.targets[0]!;
    assert.equal(failed.status, 'failed_permanent', JSON.stringify(failed));
    assert.deepEqual(failed.chain, { published: 1, total: 3 });
    assert.equal(threads.media.filter((m) => texts.includes(m.text)).length, 1);
    assert.equal(threads.containers.size - containersBefore, 2);

    await app.call('outbox.retry', { postId: post.id });
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    assert.equal(threads.containers.size - containersBefore, 3, 'post 2’s container, saved as its upload handle, published on Retry; a new one for post 3 alone');
    const [one, two, three] = texts.map(mediaOf);
    assert.equal(two!.replyToId, one!.id);
    assert.equal(three!.replyToId, two!.id);
    app.close();
  });

  it('a lost publish answer for post 2 is settled from its container and found among the replies; post 3 answers it', async () => {
    const app = await start();
    const account = await connectThreads(app);
    const texts = [fresh('Threads lost one'), fresh('Threads lost two'), fresh('Threads lost three')];
    threads.loseNextPublishAnswer(1);
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts) });
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    const [one, two, three] = texts.map(mediaOf);
    assert.equal(two!.replyToId, one!.id);
    assert.equal(three!.replyToId, two!.id, 'post 3 answers the post, not its container');
    assert.ok(threads.requests.some((r) => r.method === 'GET' && r.path === `/v1.0/${threads.user.id}/replies`), 'looked up among the replies');
    app.close();
  });
});

describe('the contract mocks refuse a reply to a post they do not have, as the platforms do', () => {
  it('X 403, Mastodon 404, Threads 400; nothing is created', async () => {
    const app = await start();
    const accounts = { x: await connectX(app), mastodon: await connectMastodon(app), threads: await connectThreads(app) };
    app.close();
    const bearer = async (accountId: string) => `Bearer ${(await storedCredential(app.dataDir, accountId)).tokens.accessToken}`;
    const counts = () => [x.tweets.length, instance.statuses.length, threads.containers.size];
    const before = counts();

    const tweet = await fetch(`${x.env.LOCALPOST_X_API_BASE}/2/tweets`, {
      method: 'POST',
      headers: { authorization: await bearer(accounts.x.id), 'content-type': 'application/json' },
      body: JSON.stringify({ text: fresh('Orphan'), reply: { in_reply_to_tweet_id: '1234567890' } }),
    });
    assert.equal(tweet.status, 403);
    assert.match(((await tweet.json()) as { detail: string }).detail, /reply to a Tweet that is deleted or not visible/);

    const status = await fetch(`${instance.origin}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: await bearer(accounts.mastodon.id), 'content-type': 'application/json' },
      body: JSON.stringify({ status: fresh('Orphan'), in_reply_to_id: '987654321' }),
    });
    assert.equal(status.status, 404);
    assert.match(((await status.json()) as { error: string }).error, /does not appear to exist/);

    const container = await fetch(`${threads.origin}/v1.0/${threads.user.id}/threads`, {
      method: 'POST',
      headers: { authorization: await bearer(accounts.threads.id), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ media_type: 'TEXT', text: fresh('Orphan'), reply_to_id: '17900000000099' }).toString(),
    });
    assert.equal(container.status, 400);
    assert.match(((await container.json()) as { error: { message: string } }).error.message, /reply_to_id/);

    assert.deepEqual(counts(), before);
  });
});
