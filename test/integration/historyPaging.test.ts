// The history at scale: pages in SQL by keyset (every post exactly once while new ones arrive),
// full-text search by word and prefix through FTS5, filters that combine, search input that is
// only ever words (no FTS5 syntax can break the query or widen it), and the index following
// every insert, text change and delete.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { methods, type Post } from '../../src-preload/contract';
import { openDatabase, type Db } from '../../src-main/core/db/openDatabase';
import { AppError } from '../../src-main/core/errors';
import { ftsMatchExpression } from '../../src-main/core/outbox/historyQuery';
import { PostStore, type HistoryFilter } from '../../src-main/core/outbox/postStore';

const accounts = [
  { id: 'masto', platform: 'mastodon' },
  { id: 'sky', platform: 'bluesky' },
  { id: 'hook', platform: 'discord' },
] as const;

function freshStore(): { db: Db; store: PostStore } {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-history-')));
  db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0), ('other', 'O', 0)").run();
  for (const account of accounts) {
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES (?, 'p', ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
    ).run(account.id, account.platform, `remote-${account.id}`, `@${account.id}`);
  }
  return { db, store: new PostStore(db) };
}

let seq = 0;
function add(store: PostStore, text: string, createdAt: number, accountIds: string[] = ['masto'], profileId = 'p'): string {
  seq++;
  return store.enqueue({
    profileId,
    draftId: `d${seq}`,
    content: { text, langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
    targets: accountIds.map((accountId) => ({ accountId, idempotencyKey: `k${seq}-${accountId}` })),
    schedule: null,
    createdAt,
  });
}

function ids(posts: Post[]): string[] {
  return posts.map((post) => post.id);
}

function all(store: PostStore, filter: Omit<HistoryFilter, 'limit'>, limit = 50): string[] {
  const found: string[] = [];
  let cursor: string | null = null;
  do {
    const page = store.page('p', { ...filter, cursor, limit });
    found.push(...ids(page.posts));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

describe('history pages', () => {
  it('returns every post exactly once, newest first, while new posts arrive between pages', () => {
    const { store } = freshStore();
    const seeded: string[] = [];
    // Several posts share a created_at: the id breaks the tie, so none is skipped or repeated.
    for (let i = 0; i < 230; i++) seeded.push(add(store, `post ${i}`, 1_000 + Math.floor(i / 3)));
    add(store, 'not mine', 5_000, ['masto'], 'other');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let arrivals = 0;
    do {
      const page = store.page('p', { cursor, limit: 40 });
      assert.ok(page.posts.length <= 40);
      seen.push(...ids(page.posts));
      cursor = page.nextCursor;
      pages++;
      // A post sent while the user scrolls is newer than every cursor: it belongs to the top.
      add(store, `arrived ${arrivals++}`, 10_000 + arrivals);
    } while (cursor);

    assert.equal(pages, 6);
    assert.equal(new Set(seen).size, seen.length, 'no post twice');
    assert.deepEqual(new Set(seen), new Set(seeded), 'every post that was there, none of another profile');
    const createdAt = new Map(store.list('p', { limit: -1 }).map((post) => [post.id, post.createdAt]));
    for (let i = 1; i < seen.length; i++) assert.ok(createdAt.get(seen[i - 1]!)! >= createdAt.get(seen[i]!)!, 'newest first');

    const top = store.page('p', { limit: 3 });
    assert.equal(top.posts[0]!.text, `arrived ${arrivals - 1}`);
  });

  it('ends with a null cursor on an exact last page and on an empty history', () => {
    const { store } = freshStore();
    assert.deepEqual(store.page('p', { limit: 10 }), { posts: [], nextCursor: null });
    for (let i = 0; i < 10; i++) add(store, `p${i}`, i);
    const page = store.page('p', { limit: 10 });
    assert.equal(page.posts.length, 10);
    assert.equal(page.nextCursor, null);
  });

  it('refuses a cursor it did not write with a stable code', () => {
    const { store } = freshStore();
    for (const cursor of ['nonsense', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1.5,"x"]').toString('base64url')]) {
      assert.throws(() => store.page('p', { cursor, limit: 10 }), (error: unknown) => error instanceof AppError && error.code === 'invalid_input');
    }
  });

  it('caps a page at 200 posts at the contract', () => {
    const input = methods['history.page'].input;
    assert.equal(input.safeParse({ limit: 200 }).success, true);
    assert.equal(input.safeParse({ limit: 201 }).success, false);
    assert.equal(input.safeParse({ limit: 0 }).success, false);
    assert.equal(input.safeParse({ limit: 10, statuses: ['lost'] }).success, false);
  });
});

describe('history search', () => {
  it('finds by whole word and by prefix, every word required, accents and case ignored', () => {
    const { store } = freshStore();
    const launch = add(store, 'Launching the new Café menu today', 1);
    const release = add(store, 'Release notes: launcher fixes', 2);
    const other = add(store, 'Nothing to see here', 3);

    assert.deepEqual(all(store, { query: 'menu' }), [launch]);
    assert.deepEqual(new Set(all(store, { query: 'launch' })), new Set([launch, release]), 'a prefix finds both words');
    assert.deepEqual(all(store, { query: 'LAUNCH cafe' }), [launch], 'both words, any case, without the accent');
    assert.deepEqual(all(store, { query: 'launch nothing' }), [], 'every word must be there');
    assert.deepEqual(all(store, { query: '   ' }).length, 3, 'an empty query is no filter');
    assert.deepEqual(all(store, { query: '' }), [other, release, launch]);
  });

  it("finds a post by its replies and by any platform's or account's own text, not by its options", () => {
    const { db, store } = freshStore();
    const content = {
      text: 'Spring schedule',
      langs: [],
      contentWarning: 'tulips',
      visibility: 'public',
      images: [{ id: 'i1', alt: 'daffodils in a vase' }],
      linkCard: null,
      replies: ['Second part about orchids'],
      variants: {
        platforms: { bluesky: { text: 'Spring on the sky', replies: ['then magnolias'] } },
        accounts: { masto: { text: 'Spring for the fediverse: lilacs', replies: [] } },
      },
    };
    const chain = store.enqueue({
      profileId: 'p',
      draftId: 'chain',
      content: content as never,
      targets: [{ accountId: 'masto', idempotencyKey: 'chain' }],
      schedule: null,
      createdAt: 5,
    });
    const plain = add(store, 'Spring cleaning', 6);

    assert.deepEqual(all(store, { query: 'orchids' }), [chain], "a reply's words");
    assert.deepEqual(all(store, { query: 'magnolias' }), [chain], "a platform variant's reply");
    assert.deepEqual(all(store, { query: 'lilacs fediverse' }), [chain], "an account's own text");
    assert.deepEqual(all(store, { query: 'spring' }), [plain, chain]);
    assert.deepEqual(all(store, { query: 'daffodils' }), [], 'image descriptions are not the text');
    assert.deepEqual(all(store, { query: 'tulips' }), [], 'nor is a content warning');

    // The document follows a change of the stored content, as of the text.
    db.prepare("UPDATE posts SET content = json_set(content, '$.replies', json_array('now about peonies')) WHERE id = ?").run(chain);
    assert.deepEqual(all(store, { query: 'orchids' }), []);
    assert.deepEqual(all(store, { query: 'peonies' }), [chain]);
  });

  it('pages through search results too', () => {
    const { store } = freshStore();
    const wanted: string[] = [];
    for (let i = 0; i < 120; i++) {
      const id = add(store, i % 2 ? `weekly digest ${i}` : `misc ${i}`, i);
      if (i % 2) wanted.push(id);
    }
    const found = all(store, { query: 'digest' }, 7);
    assert.equal(found.length, 60);
    assert.deepEqual(new Set(found), new Set(wanted));
  });

  it('gives search results in the order of the history, whatever order the posts were written in', () => {
    const { store } = freshStore();
    // Written out of order (an import, a clock set back), some in the same millisecond.
    const times = [50, 10, 40, 10, 30, 50, 20, 10, 40];
    const written = times.map((at, i) => add(store, `harbour walk ${i}`, at));
    add(store, 'something else', 35);
    const history = all(store, {}, 4).filter((id) => written.includes(id));
    assert.equal(history.length, times.length);
    const createdAt = new Map(store.list('p', { limit: -1 }).map((post) => [post.id, post.createdAt]));
    for (let i = 1; i < history.length; i++) assert.ok(createdAt.get(history[i - 1]!)! >= createdAt.get(history[i]!)!, 'newest first');
    // Within a millisecond, the later written first.
    assert.deepEqual(history.filter((id) => createdAt.get(id) === 10), [written[7], written[3], written[1]]);
    for (const limit of [1, 2, 3, 50]) assert.deepEqual(all(store, { query: 'harbour' }, limit), history, `pages of ${limit}`);
    assert.deepEqual(all(store, { query: 'harbo walk', from: 20, to: 50 }, 2), history.filter((id) => createdAt.get(id)! >= 20 && createdAt.get(id)! < 50));
  });

  it('treats FTS5 syntax as text: hostile queries never throw and never match everything', () => {
    const { store } = freshStore();
    add(store, 'alpha beta', 1);
    add(store, 'gamma delta', 2);
    add(store, 'NEAR the OR gate', 3);
    add(store, 'naïve 東京 emoji 🎉 text', 4);
    add(store, 'say "quoted" words', 5);

    const hostile = [
      '"', '""', '"""', '*', '**', '-', '--', '^', ':', '(', ')', '()', 'NEAR(', 'NEAR(alpha gamma)', 'NEAR(alpha gamma, 5)',
      'OR', 'AND', 'NOT', 'alpha OR gamma', 'alpha NOT beta', '-alpha', 'text:alpha', 'post_id:x', '{text}: alpha', 'alpha*',
      '*alpha', 'al"pha', '"alpha', 'alpha"', "'", "alpha' OR '1'='1", '\\', '\u0000', '\u200b', '🎉', '東京', 'naive', '\uD800',
      '+', 'a'.repeat(500),
    ];
    for (const query of hostile) {
      let found: string[] = [];
      assert.doesNotThrow(() => (found = all(store, { query })), `query ${JSON.stringify(query)}`);
      assert.ok(found.length < 5, `${JSON.stringify(query)} matched everything`);
    }
    // Operators are words like any other.
    assert.equal(all(store, { query: 'alpha OR gamma' }).length, 0, 'OR is a word to find, not a union');
    assert.equal(all(store, { query: 'NEAR OR' }).length, 1);
    assert.equal(all(store, { query: 'text:alpha' }).length, 0, 'no column filter');
    assert.equal(all(store, { query: '"quoted"' }).length, 1);
    assert.equal(all(store, { query: '東京' }).length, 1);
    assert.equal(all(store, { query: 'naive' }).length, 1);
    assert.equal(all(store, { query: '-alpha' }).length, 1, 'a leading minus is no NOT');
    assert.equal(all(store, { query: '"' }).length, 0, 'no word, no results');
  });

  it('builds quoted prefix terms and nothing else', () => {
    assert.equal(ftsMatchExpression('hello world'), '"hello"* "world"*');
    assert.equal(ftsMatchExpression('say "hi"'), '"say"* """hi"""*');
    assert.equal(ftsMatchExpression('- * " ( )'), null);
    assert.equal(ftsMatchExpression(''), null);
  });
});

describe('history filters', () => {
  it('combine accounts, platforms, statuses, dates and words', () => {
    const { store } = freshStore();
    const both = add(store, 'shared news', 10, ['masto', 'sky']);
    const skyOnly = add(store, 'sky news', 20, ['sky']);
    const hookOnly = add(store, 'hook news', 30, ['hook']);
    store.cancelQueued(hookOnly);
    assert.ok(store.claim(skyOnly, 'sky', 21));
    store.markPublished(skyOnly, 'sky', { uri: 'u', cid: null, url: null }, 22);

    assert.deepEqual(all(store, { accountIds: ['sky'] }), [skyOnly, both]);
    assert.deepEqual(all(store, { platforms: ['mastodon'] }), [both]);
    assert.deepEqual(all(store, { platforms: ['mastodon', 'discord'] }), [hookOnly, both]);
    assert.deepEqual(all(store, { statuses: ['cancelled'] }), [hookOnly]);
    assert.deepEqual(all(store, { statuses: ['published'] }), [skyOnly]);
    assert.deepEqual(all(store, { statuses: ['queued'], platforms: ['bluesky'] }), [both], 'the same target holds both');
    assert.deepEqual(all(store, { statuses: ['published'], platforms: ['mastodon'] }), []);
    assert.deepEqual(all(store, { query: 'news', from: 15, to: 30 }), [skyOnly], 'from inclusive, to exclusive');
    assert.deepEqual(all(store, { query: 'shared', accountIds: ['sky'] }), [both]);
    assert.deepEqual(all(store, { query: 'shared', accountIds: ['hook'] }), []);
  });
});

describe('history filters on a long history', () => {
  it('find the same posts whether their status is common (walking the history) or rare (starting from the targets)', () => {
    const { db, store } = freshStore();
    const made: Array<{ id: string; text: string; accounts: string[] }> = [];
    db.transaction(() => {
      for (let i = 0; i < 2_200; i++) {
        const accounts = i % 3 === 0 ? ['masto', 'sky'] : ['hook'];
        const text = `${i % 4 === 0 ? 'lantern' : 'candle'} number ${i}`;
        made.push({ id: add(store, text, 1_000 + Math.floor(i / 2), accounts), text, accounts });
      }
    })();
    // A few cancelled (rare); the rest stay queued (common: over the bound).
    const cancelled = new Set(made.filter((_, i) => i % 97 === 0).map((post) => post.id));
    for (const id of cancelled) store.cancelQueued(id);
    const order = all(store, {}, 200);
    const expected = (keep: (post: (typeof made)[number]) => boolean) => order.filter((id) => keep(made.find((post) => post.id === id)!));
    for (const limit of [7, 50]) {
      assert.deepEqual(all(store, { statuses: ['cancelled'] }, limit), expected((post) => cancelled.has(post.id)), `rare, pages of ${limit}`);
      assert.deepEqual(all(store, { statuses: ['queued'] }, limit), expected((post) => !cancelled.has(post.id)), `common, pages of ${limit}`);
      assert.deepEqual(
        all(store, { statuses: ['cancelled'], query: 'lantern', platforms: ['bluesky'] }, limit),
        expected((post) => cancelled.has(post.id) && post.text.startsWith('lantern') && post.accounts.includes('sky')),
        `rare with words and a platform, pages of ${limit}`,
      );
      assert.deepEqual(
        all(store, { statuses: ['queued'], query: 'lantern', accountIds: ['masto'], from: 1_100, to: 1_900 }, limit),
        expected((post) => {
          const at = 1_000 + Math.floor(made.indexOf(post) / 2);
          return !cancelled.has(post.id) && post.text.startsWith('lantern') && post.accounts.includes('masto') && at >= 1_100 && at < 1_900;
        }),
        `common with words, an account and dates, pages of ${limit}`,
      );
    }
  });
});

describe('the search index', () => {
  it('follows deletes and text changes', () => {
    const { db, store } = freshStore();
    const kept = add(store, 'keep this one', 1);
    // Only a post that never started can be deleted (it goes back to the drafts).
    const gone = store.enqueue({
      profileId: 'p',
      draftId: 'scheduled',
      content: { text: 'delete this one', langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
      targets: [{ accountId: 'masto', idempotencyKey: 'scheduled' }],
      schedule: { at: 100, zone: 'UTC', local: '1970-01-01T00:00' },
      createdAt: 2,
    });
    assert.deepEqual(all(store, { query: 'one' }).length, 2);

    store.deleteUnstarted(gone);
    assert.deepEqual(all(store, { query: 'one' }), [kept]);
    assert.deepEqual(all(store, { query: 'delete' }), []);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM posts_fts').get() as { n: number }).n, 1, 'no stale row left');

    db.prepare('UPDATE posts SET text = ? WHERE id = ?').run('renamed entirely', kept);
    assert.deepEqual(all(store, { query: 'keep' }), []);
    assert.deepEqual(all(store, { query: 'renamed' }), [kept]);

    assert.doesNotThrow(() => db.exec("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')"));
  });

  it('lists a new post in the commit that queues it, and indexes it after: before any search, and at start for what a crash left', async () => {
    const { db, store } = freshStore();
    const indexed = () => (db.prepare('SELECT COUNT(*) AS n FROM posts_fts').get() as { n: number }).n;
    const listed = () => (db.prepare('SELECT COUNT(*) AS n FROM posts_fts_pending').get() as { n: number }).n;
    const first = add(store, 'marigolds in the window', 1);
    assert.deepEqual([indexed(), listed()], [0, 1], 'the queueing commit wrote no page of the index');
    store.indexNewPosts();
    assert.deepEqual([indexed(), listed()], [1, 0]);
    const second = add(store, 'marigolds by the door', 2);
    assert.deepEqual(all(store, { query: 'marigolds' }), [second, first], 'a search indexes what is listed first');

    // Killed after the commit, before the post was indexed: the outbox's start indexes it.
    const dataDir = path.dirname(db.name);
    const third = add(store, 'marigolds at last', 3);
    // Nothing for the outbox to send when it starts (these accounts have no sign-in).
    db.prepare("UPDATE post_targets SET status = 'cancelled'").run();
    db.close();
    const { startCore } = await import('../harness/coreClient');
    const app = await startCore({ dataDir });
    app.close();
    const reopened = openDatabase(dataDir);
    assert.equal((reopened.prepare('SELECT COUNT(*) AS n FROM posts_fts_pending').get() as { n: number }).n, 0);
    const key = (reopened.prepare('SELECT history_key AS key FROM posts WHERE id = ?').get(third) as { key: number }).key;
    assert.deepEqual(reopened.prepare("SELECT rowid AS key FROM posts_fts WHERE posts_fts MATCH 'last'").all(), [{ key }]);
    reopened.close();
  });

  it('indexes the posts an older database already held when it migrates', async () => {
    const { migrate } = await import('../../src-main/core/db/migrations');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(':memory:');
    migrate(db, 150);
    db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0)").run();
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('old', 'p', NULL, 'written long ago', 1)").run();
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('z-older', 'p', NULL, 'also long ago', 1)").run();
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('newer', 'p', NULL, 'long after', 2)").run();
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at, content) VALUES ('chained', 'p', NULL, 'a chain', 0, ?)").run(
      JSON.stringify({ text: 'a chain', replies: ['its second post'], variants: { platforms: { x: { text: 'a shorter chain', replies: [] } }, accounts: {} } }),
    );
    migrate(db);
    const store = new PostStore(db);
    assert.deepEqual(ids(store.page('p', { limit: 10, query: 'long' }).posts), ['newer', 'z-older', 'old']);
    assert.deepEqual(ids(store.page('p', { limit: 10, query: 'ago' }).posts), ['z-older', 'old']);
    assert.deepEqual(ids(store.page('p', { limit: 10, query: 'second' }).posts), ['chained'], 'replies stored before are indexed too');
    assert.deepEqual(ids(store.page('p', { limit: 10, query: 'shorter' }).posts), ['chained'], 'and variants');
    // A row written as before (no key) gets one, and is found.
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('later', 'p', NULL, 'long later', 1)").run();
    assert.deepEqual(ids(store.page('p', { limit: 10, query: 'long' }).posts), ['newer', 'later', 'z-older', 'old']);
  });
});
