// Reply chains (threads) on Bluesky against a real PDS on loopback: each reply's record names the
// thread's root and the post it answers (app.bsky.feed.post#replyRef, strong refs read back from
// the PDS), under the record key chosen for it when it was queued; an answer lost mid-chain is
// settled by looking that key up; and a process killed (SIGKILL) mid-thread finishes the chain
// after a restart, with no post twice in the repo.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Post } from '../../src-preload/contract';
import { smallPng } from '../fixtures/images';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startPds, type TestPds } from '../harness/pds';
import { settled } from '../harness/settled';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let pds: TestPds;
before(async () => {
  pds = await startPds();
});
after(() => pds.close());

type Who = Awaited<ReturnType<TestPds['createAccount']>>;
let accounts = 0;
/** A fresh account per test: its repo holds exactly what that test posted. */
const freshAccount = () => pds.createAccount(`chain${++accounts}`);

async function connect(app: CoreClient, who: Who) {
  // The PDS runs on this machine: a self-hoster's yes to the private-address question.
  const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: who.handle, appPassword: who.appPassword, service: pds.url, confirm: ['private_address'] });
  return account;
}

async function chainDraft(app: CoreClient, accountId: string, text: string, replies: string[], splitLongPosts = false) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, replies, splitLongPosts, targetAccountIds: [accountId], langs: ['en'] });
  return draft.id;
}

const rkeyOf = (uri: string) => uri.split('/').at(-1)!;

/** The account's posts as the PDS has them, oldest first (listRecords answers newest first). */
async function postsOf(who: Who) {
  return (await pds.listPosts(who.did)).reverse();
}

/** Every reply answers the chain's first post as root and the post before it as parent, by uri and CID. */
async function assertThread(who: Who, texts: string[]) {
  const posts = await postsOf(who);
  assert.deepEqual(
    posts.map((p) => p.value.text),
    texts,
    'each post once, in order',
  );
  const refs = [];
  for (const post of posts) refs.push({ uri: post.uri, cid: (await pdsRecord(who, post.uri)).cid });
  assert.equal(posts[0]!.value.reply, undefined, 'the first post answers nothing');
  for (const [index, post] of posts.entries()) {
    if (index === 0) continue;
    assert.deepEqual(post.value.reply, { root: refs[0], parent: refs[index - 1] }, `post ${index + 1} answers post ${index}`);
  }
  return posts;
}

/** A record with its CID (com.atproto.repo.getRecord). */
async function pdsRecord(who: Who, uri: string): Promise<{ cid: string }> {
  const url = new URL('/xrpc/com.atproto.repo.getRecord', pds.url);
  url.searchParams.set('repo', who.did);
  url.searchParams.set('collection', 'app.bsky.feed.post');
  url.searchParams.set('rkey', rkeyOf(uri));
  const answer = await fetch(url);
  assert.equal(answer.status, 200);
  return (await answer.json()) as { cid: string };
}

const done = (post: Post) => post.phase === 'done';

describe('Bluesky reply chains', () => {
  it('publishes a chain in order, each reply answering the one before and the first as root; the target links the first post', async () => {
    const who = await freshAccount();
    const app = await startCore();
    const account = await connect(app, who);
    const texts = ['A thread, post one 🧵', 'Post two, with a link https://example.com', 'Post three ends it.'];
    const draftId = await chainDraft(app, account.id, texts[0]!, [texts[1]!, ' ', texts[2]!]);
    const image = await app.call('drafts.addImage', { draftId, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId, imageId: image.id, alt: 'A small picture' });

    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.deepEqual(target.chain, { published: 3, total: 3 });
    const posts = await assertThread(who, texts);
    assert.equal(target.uri, posts[0]!.uri, "the target's uri is the first post's");
    const history = await app.call('history.list', {});
    assert.equal(history[0]!.targets[0]!.uri, posts[0]!.uri, 'and so does History');
    assert.equal(posts[0]!.value.embed.$type, 'app.bsky.embed.images', 'the image goes with the first post');
    assert.equal(posts[1]!.value.embed, undefined, 'and with no other: not even a link card');
    assert.equal(posts[2]!.value.embed, undefined);
    const link = posts[1]!.value.facets.find((f: any) => f.features[0].$type === 'app.bsky.richtext.facet#link');
    assert.equal(link.features[0].uri, 'https://example.com', 'every post has its own facets');
    // Every record key is a TID chosen when the chain was queued: a retry writes the same ones.
    for (const p of posts) assert.match(rkeyOf(p.uri), /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    app.close();
  });

  it('cuts a long text at sentence boundaries into a thread of posts that each fit', async () => {
    const who = await freshAccount();
    const app = await startCore();
    const account = await connect(app, who);
    const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} says a little more about local-first software.`);
    const draftId = await chainDraft(app, account.id, sentences.join(' '), [], true);
    const post = await app.call('publish.now', { draftId });
    const chain = post.targets[0]!.chain!;
    assert.ok(chain.total >= 3, `cut into ${chain.total}`);
    assert.equal(chain.published, chain.total);
    const posts = await postsOf(who);
    assert.equal(posts.length, chain.total);
    for (const p of posts) {
      assert.ok([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(p.value.text)].length <= 300);
      assert.match(p.value.text, /\.$/, 'ends at a sentence');
    }
    assert.equal(posts.map((p) => p.value.text).join(' '), sentences.join(' '));
    await assertThread(
      who,
      posts.map((p) => p.value.text),
    );
    app.close();
  });

  it('an answer lost after the PDS wrote post 2 is settled by looking its record key up: post 3 follows, nothing twice', async () => {
    const who = await freshAccount();
    let creates = 0;
    // The second createRecord reaches the PDS and is written; its answer is lost on the way back.
    const losing: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const answer = await fetch(input, init);
      if (url.includes('/xrpc/com.atproto.repo.createRecord') && ++creates === 2) {
        await answer.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return answer;
    };
    const app = await startCore({ fetch: losing });
    const account = await connect(app, who);
    const texts = ['Lost one: first', 'Lost one: second', 'Lost one: third'];
    const post = await app.call('publish.now', { draftId: await chainDraft(app, account.id, texts[0]!, texts.slice(1)) });
    assert.equal(post.targets[0]!.status, 'unknown', JSON.stringify(post.targets[0]));
    assert.deepEqual(post.targets[0]!.chain, { published: 1, total: 3 });
    const lookups = pds.requestCount('com.atproto.repo.getRecord');
    const finished = await settled(app, post.id, done);
    assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
    assert.ok(pds.requestCount('com.atproto.repo.getRecord') > lookups, 'the record key was looked up');
    assert.equal(creates, 3, 'post 2 was never sent again');
    const posts = await assertThread(who, texts);
    assert.equal(finished.targets[0]!.uri, posts[0]!.uri);
    app.close();
  });
});

/**
 * Publishes a chain of four in a child process that stops at its second post (`hold`: before the
 * request leaves, or after the PDS wrote it with the answer lost), kills it there with SIGKILL,
 * and starts a fresh core over the same data folder.
 */
async function killedMidThread(hold: 'before' | 'after') {
  const who = await freshAccount();
  const texts = [`Killed ${hold}: one`, `Killed ${hold}: two`, `Killed ${hold}: three`, `Killed ${hold}: four`];
  const { dataDir, child } = await publishInChild(who, texts, hold);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it held post 2`)));
  });
  child.kill('SIGKILL');
  await exited;
  const written = (await postsOf(who)).map((p) => p.value.text);
  assert.deepEqual(written, hold === 'after' ? texts.slice(0, 2) : texts.slice(0, 1), 'where the kill left the thread');
  return { who, texts, dataDir };
}

/** Connects the account in a core of its own, drafts the chain, and publishes it in a child process. */
async function publishInChild(who: Who, texts: string[], hold: 'before' | 'after' | 'none') {
  const app = await startCore();
  const account = await connect(app, who);
  const draftId = await chainDraft(app, account.id, texts[0]!, texts.slice(1));
  app.close();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/harness/chainPublishChild.ts')], {
    cwd: repoRoot,
    env: { ...process.env, LOCALPOST_CHAIN_CHILD_DATA_DIR: app.dataDir, LOCALPOST_CHAIN_CHILD_DRAFT_ID: draftId, LOCALPOST_CHAIN_CHILD_HOLD_AT: '2', LOCALPOST_CHAIN_CHILD_HOLD: hold },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { dataDir: app.dataDir, child };
}

describe('Bluesky: a process killed mid-thread', () => {
  for (const hold of ['after', 'before'] as const) {
    const when = hold === 'after' ? 'once the PDS wrote post 2 (its answer lost)' : 'before post 2 left';
    it(`killed ${when}, the restarted core finishes the chain: every post once, each answering the right parent`, { timeout: 120_000 }, async () => {
      const { who, texts, dataDir } = await killedMidThread(hold);
      const restarted = await startCore({ dataDir });
      const [post] = await restarted.call('history.list', {});
      const finished = await settled(restarted, post!.id, done);
      assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
      assert.deepEqual(finished.targets[0]!.chain, { published: 4, total: 4 });
      const posts = await assertThread(who, texts);
      assert.equal(finished.targets[0]!.uri, posts[0]!.uri);
      restarted.close();
    });
  }

  it('killed at random moments of a chain of six, each restart finishes it: every post once, each answering the right parent', { timeout: 240_000 }, async (t) => {
    const trials = Number(process.env.LOCALPOST_CHAIN_CRASH_TRIALS ?? 5);
    const cut: number[] = [];
    for (let trial = 1; trial <= trials; trial++) {
      const who = await freshAccount();
      const texts = Array.from({ length: 6 }, (_, i) => `Random kill ${trial}: post ${i + 1}`);
      const creates = pds.requestCount('com.atproto.repo.createRecord');
      const { dataDir, child } = await publishInChild(who, texts, 'none');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // From the first post's request on, anywhere in the chain.
      for (let waited = 0; pds.requestCount('com.atproto.repo.createRecord') === creates; waited += 5) {
        if (waited > 30_000) throw new Error('the child never started the chain');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 200)));
      child.kill('SIGKILL');
      await exited;
      cut.push((await postsOf(who)).length);

      const restarted = await startCore({ dataDir });
      const [post] = await restarted.call('history.list', {});
      const finished = await settled(restarted, post!.id, done);
      assert.equal(finished.targets[0]!.status, 'published', JSON.stringify(finished.targets[0]));
      assert.deepEqual(finished.targets[0]!.chain, { published: 6, total: 6 });
      await assertThread(who, texts);
      restarted.close();
    }
    t.diagnostic(`posts out when killed: ${cut.join(', ')}`);
  });
});
