// The Queue and the drafts a page at a time: every open post or draft exactly once, in the order
// the screens show them, while posts are queued, settle or drafts are edited between pages; the
// Queue's order by urgency (missed, needing the user, going out, scheduled) and its count; the
// pages through the bridge as the renderer asks for them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { methods, type Post } from '../../src-preload/contract';
import { DraftStore } from '../../src-main/core/compose/draftStore';
import { openDatabase, type Db } from '../../src-main/core/db/openDatabase';
import { AppError } from '../../src-main/core/errors';
import { PostStore } from '../../src-main/core/outbox/postStore';
import { startCore } from '../harness/coreClient';

function freshDb(): Db {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-queue-')));
  db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0), ('other', 'O', 0)").run();
  for (const id of ['masto', 'sky']) {
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES (?, 'p', ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
    ).run(id, id === 'masto' ? 'mastodon' : 'bluesky', `remote-${id}`, `@${id}`);
  }
  return db;
}

let seq = 0;
function enqueue(store: PostStore, options: { at?: number; createdAt?: number; profileId?: string; accounts?: string[] } = {}): string {
  seq++;
  return store.enqueue({
    profileId: options.profileId ?? 'p',
    draftId: `d${seq}`,
    content: { text: `post ${seq}`, langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
    targets: (options.accounts ?? ['masto']).map((accountId) => ({ accountId, idempotencyKey: `k${seq}-${accountId}` })),
    schedule: options.at === undefined ? null : { at: options.at, zone: 'UTC', local: '2030-01-01T00:00' },
    createdAt: options.createdAt ?? 1_000 + seq,
  });
}

function queueAll(store: PostStore, limit: number, between: (shown: Post[]) => void = () => {}): Post[] {
  const shown: Post[] = [];
  let cursor: string | null = null;
  do {
    const page = store.queuePage('p', { cursor, limit, now });
    assert.ok(page.posts.length <= limit);
    shown.push(...page.posts);
    cursor = page.nextCursor;
    between(shown);
  } while (cursor);
  return shown;
}

const urgency = { missed: 0, needs_attention: 1, sending: 2, scheduled: 3, done: 4 };
/** The Queue's clock: after every post made for "now", before every post scheduled ahead (but some below). */
const now = 100_000;

describe('the Queue a page at a time', () => {
  it('orders by urgency, then by when each is due, and counts every open post', () => {
    const db = freshDb();
    const store = new PostStore(db);
    const later = enqueue(store, { at: 900_000 });
    const sooner = enqueue(store, { at: 500_000 });
    const missed = enqueue(store, { at: 100 });
    store.markMissed(missed);
    const failing = enqueue(store);
    assert.ok(store.claim(failing, 'masto', 2_000));
    store.setState(failing, 'masto', { from: ['publishing'], to: 'failed_retryable', error: { code: 'network_unreachable', message: 'Offline' } });
    const going = enqueue(store, { accounts: ['masto', 'sky'] });
    const done = enqueue(store);
    assert.ok(store.claim(done, 'masto', 2_000));
    store.markPublished(done, 'masto', { uri: 'u', cid: null, url: null }, 2_001);
    const cancelled = enqueue(store, { at: 700_000 });
    store.cancelQueued(cancelled);
    enqueue(store, { at: 600_000, profileId: 'other' });
    // Its time came a moment ago; the outbox has not started it yet: still scheduled.
    const due = enqueue(store, { at: now - 5 });

    for (const limit of [1, 2, 3, 10]) {
      const shown = queueAll(store, limit);
      assert.deepEqual(
        shown.map((post) => post.id),
        [missed, failing, going, due, sooner, later],
        `pages of ${limit}`,
      );
      for (let i = 1; i < shown.length; i++) assert.ok(urgency[shown[i - 1]!.phase] <= urgency[shown[i]!.phase]);
    }
    const first = store.queuePage('p', { limit: 2, now });
    assert.equal(first.waiting, 6, 'not done, of this profile');
    assert.equal(first.waiting, store.waitingCount('p'));
    assert.deepEqual(
      first.posts.map((post) => post.phase),
      ['missed', 'needs_attention'],
    );
  });

  it('shows every post exactly once while posts are queued and settle between pages', () => {
    const db = freshDb();
    const store = new PostStore(db);
    const scheduled = Array.from({ length: 45 }, (_, i) => enqueue(store, { at: 1_000_000 + Math.floor(i / 3) * 1_000 }));
    let arrivals = 0;
    const sentMeanwhile: string[] = [];
    const cancelled: string[] = [];
    const shown = queueAll(store, 7, (soFar) => {
      // A post scheduled later than all (a later page shows it), one sooner than all (above the
      // cursor: the next reload shows it), and one not shown yet is cancelled (it is done).
      sentMeanwhile.push(enqueue(store, { at: 5_000_000 + arrivals }));
      enqueue(store, { at: 10 + arrivals });
      arrivals++;
      const seen = new Set(soFar.map((post) => post.id));
      const notShown = scheduled.filter((id) => !seen.has(id) && !cancelled.includes(id)).at(-1);
      if (notShown && arrivals % 2 === 0) {
        store.cancelQueued(notShown);
        cancelled.push(notShown);
      }
    });
    const ids = shown.map((post) => post.id);
    assert.equal(new Set(ids).size, ids.length, 'no post twice');
    assert.ok(cancelled.length > 0);
    for (const id of scheduled) assert.equal(ids.includes(id), !cancelled.includes(id), 'every post still open, and none done');
    const due = shown.map((post) => post.scheduledAt!);
    for (let i = 1; i < due.length; i++) assert.ok(due[i - 1]! <= due[i]!, 'soonest first');
    assert.ok(sentMeanwhile.some((id) => ids.includes(id)), 'posts due after the cursor show up on later pages');
  });

  it('refuses a cursor it did not write, and caps a page at the contract', () => {
    const store = new PostStore(freshDb());
    for (const cursor of ['nonsense', Buffer.from('[1,2]').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url')]) {
      assert.throws(() => store.queuePage('p', { cursor, limit: 5, now }), (error: unknown) => error instanceof AppError && error.code === 'invalid_input');
    }
    for (const method of ['outbox.page', 'drafts.page'] as const) {
      assert.equal(methods[method].input.safeParse({ limit: 200 }).success, true);
      assert.equal(methods[method].input.safeParse({ limit: 201 }).success, false);
      assert.equal(methods[method].input.safeParse({ limit: 0 }).success, false);
    }
  });
});

describe('the drafts a page at a time', () => {
  it('shows every draft once, most recently edited first, while drafts are created and edited between pages', () => {
    const db = freshDb();
    let now = 10_000;
    const drafts = new DraftStore(db, { now: () => now });
    const made: string[] = [];
    // Several drafts share an edit time: the id breaks the tie.
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 0) now++;
      made.push(drafts.create('p', { targetAccountIds: [], langs: [] }));
    }
    drafts.create('other', { targetAccountIds: [], langs: [] });

    const shown: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page = drafts.page('p', { cursor, limit: 6 });
      shown.push(...page.ids);
      cursor = page.nextCursor;
      // Meanwhile: a new draft, and an edit of one not shown yet (both move above the cursor).
      now += 10;
      drafts.create('p', { targetAccountIds: [], langs: [] });
      const notShown = made.find((id) => !shown.includes(id) && round % 2 === 0);
      if (notShown) drafts.save('p', { id: notShown, text: 'edited', targetAccountIds: [], langs: [] });
      round++;
    } while (cursor);
    assert.equal(new Set(shown).size, shown.length, 'no draft twice');
    const edited = new Set(
      made.filter((id) => drafts.row('p', id).text === 'edited'),
    );
    for (const id of made) if (!edited.has(id)) assert.ok(shown.includes(id), 'every draft not moved to the top meanwhile');
    const first = drafts.page('p', { limit: 200 }).ids;
    for (let i = 1; i < first.length; i++) {
      assert.ok(drafts.row('p', first[i - 1]!).updated_at >= drafts.row('p', first[i]!).updated_at, 'most recently edited first');
    }
    assert.ok(!first.some((id) => drafts.row('p', id).profile_id !== 'p'));
    assert.throws(() => drafts.page('p', { cursor: 'x', limit: 5 }), (error: unknown) => error instanceof AppError && error.code === 'invalid_input');
  });
});

describe('Queue and drafts pages through the bridge', () => {
  it('pages the drafts and the Queue as the renderer asks for them', async () => {
    const app = await startCore({ env: { LOCALPOST_TEST_OFFLINE: '1' } });
    try {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const draft = await app.call('drafts.create', {});
        await app.call('drafts.save', { id: draft.id, text: `draft ${i}`, targetAccountIds: [], langs: ['en'] });
        created.push(draft.id);
      }
      const drafts: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { drafts: Array<{ id: string }>; nextCursor: string | null } = await app.call('drafts.page', { limit: 3, cursor });
        drafts.push(...page.drafts.map((draft) => draft.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(new Set(drafts), new Set(created));
      assert.deepEqual(drafts, (await app.call('drafts.list', {})).map((draft) => draft.id), 'the same order as the whole list');

      const queue = await app.call('outbox.page', { limit: 10 });
      assert.deepEqual(queue, { posts: [], nextCursor: null, waiting: 0 });
      await assert.rejects(app.call('outbox.page', { limit: 10, cursor: 'not-a-cursor' }), /invalid_input/);
    } finally {
      app.close();
    }
  });
});
