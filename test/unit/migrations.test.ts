import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseFromFutureError, latestSchemaVersion, migrate, migrations, schemaVersion } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { PostStore } from '../../src-main/core/outbox/postStore';

describe('migrations', () => {
  it('0010-initial creates the schema with a default profile, foreign keys enforced', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 10);
    assert.equal(schemaVersion(db), 10);
    assert.deepEqual(db.prepare('SELECT id, name FROM profiles').all(), [{ id: 'default', name: 'Personal' }]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    assert.deepEqual(tables, ['accounts', 'draft_images', 'drafts', 'post_targets', 'posts', 'profiles', 'secrets', 'vault_meta']);
    assert.throws(
      () => db.prepare("INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at) VALUES ('d', 'nope', '', '[]', '[]', 0, 0)").run(),
      /FOREIGN KEY/,
    );
    // STRICT: a wrong type is an error, not a silent coercion.
    assert.throws(() => db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'x', 'yesterday')").run(), /cannot store TEXT/);
  });

  it('0020-account-remote-id keeps every account, its id now under remote_id, still unique', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 10);
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, did, handle, service, status, created_at, updated_at)
       VALUES ('a1', 'default', 'bluesky', 'did:plc:alice', 'alice.test', 'https://bsky.social', 'connected', 1, 1)`,
    ).run();
    migrate(db, 20);
    assert.equal(schemaVersion(db), 20);
    assert.deepEqual(db.prepare('SELECT id, remote_id, handle FROM accounts').all(), [{ id: 'a1', remote_id: 'did:plc:alice', handle: 'alice.test' }]);
    assert.throws(
      () =>
        db.prepare(
          `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
           VALUES ('a2', 'default', 'bluesky', 'did:plc:alice', 'x', 'y', 'connected', 1, 1)`,
        ).run(),
      /UNIQUE/,
    );
  });

  it('0030-target-error-details keeps existing targets, with no action or retry time', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 20);
    db.exec(`
      INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
        VALUES ('a1', 'default', 'bluesky', 'did:plc:a', 'a.test', 's', 'connected', 1, 1);
      INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('p1', 'default', NULL, 'hi', 1);
      INSERT INTO post_targets (post_id, account_id, status, error_code, error_message, attempted_at)
        VALUES ('p1', 'a1', 'failed', 'rate_limited', 'slow down', 1);
    `);
    migrate(db, 30);
    assert.deepEqual(db.prepare('SELECT error_code, error_action, error_retry_at FROM post_targets').get(), {
      error_code: 'rate_limited',
      error_action: null,
      error_retry_at: null,
    });
  });

  it('0040-account-limits adds limits, empty for existing accounts', () => {
    const db = new Database(':memory:');
    migrate(db, 30);
    db.exec(`INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
      VALUES ('a1', 'default', 'bluesky', 'did:plc:a', 'a.test', 's', 'connected', 1, 1)`);
    migrate(db, 40);
    assert.deepEqual(db.prepare('SELECT id, limits FROM accounts').all(), [{ id: 'a1', limits: null }]);
  });

  it('0050 adds the spending cap (unset: the platform default) and the Mastodon options of drafts', () => {
    const db = new Database(':memory:');
    migrate(db, 40);
    db.exec(`INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
        VALUES ('a1', 'default', 'mastodon', '1', 'a@m.test', 'm.test', 'connected', 1, 1);
      INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at)
        VALUES ('d1', 'default', 'hi', '[]', '[]', 1, 1);`);
    migrate(db, 50);
    assert.deepEqual(db.prepare('SELECT id, spending_cap FROM accounts').all(), [{ id: 'a1', spending_cap: null }]);
    assert.deepEqual(db.prepare('SELECT text, content_warning, visibility FROM drafts').all(), [
      { text: 'hi', content_warning: '', visibility: 'public' },
    ]);
  });

  it('0070-account-identity-per-server keeps every account, its id and history, and makes the server part of its identity', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 60);
    db.exec(`
      INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at, limits, spending_cap)
        VALUES ('a1', 'default', 'mastodon', '109348', 'alice@one.example', 'one.example', 'connected', 1, 2, '{"maxCharacters":500}', NULL),
               ('a2', 'default', 'x', '42', 'bob', 'x.com', 'connected', 1, 2, NULL, 10);
      INSERT INTO posts (id, profile_id, draft_id, text, created_at, content, scheduled_at) VALUES ('p1', 'default', NULL, 'later', 1, '{}', 99);
      INSERT INTO post_targets (post_id, account_id, status, attempted_at, due_at) VALUES ('p1', 'a1', 'queued', 1, 99);
    `);
    const before = db.prepare('SELECT * FROM accounts ORDER BY id').all();
    migrate(db, 70);
    assert.equal(schemaVersion(db), 70);
    assert.deepEqual(db.prepare('SELECT * FROM accounts ORDER BY id').all(), before);
    assert.deepEqual(db.prepare('SELECT post_id, account_id, status FROM post_targets').all(), [{ post_id: 'p1', account_id: 'a1', status: 'queued' }]);
    assert.deepEqual(db.pragma('foreign_key_check'), []);

    // The same instance-local id on another instance is another account...
    const insert = db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES (?, 'default', 'mastodon', '109348', 'mallory@two.example', ?, 'connected', 3, 3)`,
    );
    insert.run('a3', 'two.example');
    // ...while on the same instance it is still the same one.
    assert.throws(() => insert.run('a4', 'one.example'), /UNIQUE/);
    // Targets still point at accounts that exist.
    assert.throws(() => db.prepare("DELETE FROM accounts WHERE id = 'a1'").run(), /FOREIGN KEY/);
    assert.throws(() => db.prepare("INSERT INTO post_targets (post_id, account_id, status, attempted_at) VALUES ('p1', 'nobody', 'queued', 1)").run(), /FOREIGN KEY/);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  it('0080-opened-by-version keeps one row: the version that last opened the database', () => {
    const db = new Database(':memory:');
    migrate(db, 70);
    migrate(db, 80);
    assert.equal(schemaVersion(db), 80);
    db.prepare("INSERT INTO opened_by (id, app_version, opened_at) VALUES (1, '1.0.0', 1)").run();
    assert.throws(() => db.prepare("INSERT INTO opened_by (id, app_version, opened_at) VALUES (2, '1.1.0', 2)").run(), /CHECK/);
  });

  it('0100-draft-videos keeps every draft, with no video, at most one per draft, gone with its draft', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 90);
    db.exec(`INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at) VALUES ('d1', 'default', 'hi', '[]', '[]', 1, 1)`);
    migrate(db, 100);
    assert.equal(schemaVersion(db), 100);
    assert.deepEqual(db.prepare('SELECT id, text FROM drafts').all(), [{ id: 'd1', text: 'hi' }]);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM draft_videos').get() as { n: number }).n, 0);
    const insert = db.prepare(
      `INSERT INTO draft_videos (draft_id, id, file_name, mime, container, video_codec, duration_seconds, width, height, frame_rate, bytes, created_at)
       VALUES ('d1', ?, 'v.mp4', 'video/mp4', 'mp4', 'avc', 1.5, 160, 90, 24, 7000, 1)`,
    );
    insert.run('v1');
    assert.throws(() => insert.run('v2'), /UNIQUE|PRIMARY KEY/);
    db.prepare("DELETE FROM drafts WHERE id = 'd1'").run();
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM draft_videos').get() as { n: number }).n, 0);
  });

  it('0170-posting-slots-and-calendar keeps slots per account (valid ones, once each, gone with the account) and indexes the calendar time', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 160);
    db.exec(`INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
             VALUES ('a1', 'default', 'discord', 'r', 'h', 's', 'connected', 1, 1)`);
    migrate(db, 170);
    assert.equal(schemaVersion(db), 170);
    const insert = db.prepare('INSERT INTO posting_slots (account_id, weekday, minute_of_day) VALUES (?, ?, ?)');
    insert.run('a1', 1, 540);
    assert.throws(() => insert.run('a1', 1, 540), /UNIQUE|PRIMARY KEY/);
    assert.throws(() => insert.run('a1', 0, 540), /CHECK/);
    assert.throws(() => insert.run('a1', 1, 1440), /CHECK/);
    assert.throws(() => insert.run('nobody', 1, 600), /FOREIGN KEY/);
    db.prepare("DELETE FROM accounts WHERE id = 'a1'").run();
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM posting_slots').get() as { n: number }).n, 0);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts'").all() as Array<{ name: string }>;
    assert.ok(indexes.some((index) => index.name === 'posts_by_calendar_time'));
  });

  it("0210-next-target-order: the outbox reads each account's next target in index order, never through a temporary b-tree", () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 200);
    db.exec(`
      INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
        VALUES ('a1', 'default', 'bluesky', 'did:plc:a', 'a.test', 's', 'connected', 1, 1);
      INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES ('p1', 'default', NULL, 'hi', 1);
      INSERT INTO post_targets (post_id, account_id, status, attempted_at, due_at) VALUES ('p1', 'a1', 'queued', 1, 1);
    `);
    migrate(db, 210);
    assert.equal((db.prepare("SELECT count(*) AS n FROM post_targets INDEXED BY post_targets_next_of_account WHERE account_id = 'a1'").get() as { n: number }).n, 1);
    // The worker's hot queries, as PostStore prepares them: each opening a temporary b-tree would
    // allocate and free a page cache of its own every time the outbox looks at its queue.
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    new PostStore(db);
    db.prepare = prepare;
    assert.equal(prepared.length, 3);
    for (const sql of prepared) {
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const plan = (sql.includes('@') ? explain.all({ accountId: 'a1', now: 2 }) : explain.all()) as Array<{ detail: string }>;
      assert.ok(!plan.some((step) => /TEMP B-TREE/.test(step.detail)), `${sql}\n${plan.map((step) => step.detail).join('\n')}`);
    }
  });

  it("0220-publish-reads-in-index-order: a draft's images and a profile's accounts are read down an index, in order, without a temporary b-tree", () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 210);
    db.exec(`
      INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
        VALUES ('a2', 'default', 'mastodon', '2', 'b.test', 's', 'connected', 2, 2), ('a1', 'default', 'bluesky', 'did:plc:a', 'a.test', 's', 'connected', 1, 1);
      INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at) VALUES ('d1', 'default', '', '[]', '[]', 1, 1), ('d2', 'default', '', '[]', '[]', 1, 1);
      INSERT INTO draft_images (id, draft_id, position, file_name, mime, width, height, bytes, alt, created_at)
        VALUES ('i2', 'd1', 1, 'b.jpg', 'image/jpeg', 1, 1, 1, '', 1), ('i1', 'd1', 0, 'a.jpg', 'image/jpeg', 1, 1, 1, '', 1), ('i3', 'd2', 0, 'c.jpg', 'image/jpeg', 1, 1, 1, '', 1);
    `);
    migrate(db, 220);
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((step) => step.detail).join('\n');
    const images = 'SELECT * FROM draft_images WHERE draft_id = +? ORDER BY position';
    assert.doesNotMatch(plan(images, 'd1'), /SCAN|TEMP B-TREE/);
    assert.deepEqual((db.prepare(images).all('d1') as Array<{ id: string }>).map((row) => row.id), ['i1', 'i2']);
    const accounts = "SELECT * FROM accounts a WHERE a.profile_id = +? AND a.deleted_at IS NULL ORDER BY a.created_at, a.handle";
    assert.doesNotMatch(plan(accounts, 'default'), /TEMP B-TREE/);
    assert.deepEqual((db.prepare(accounts).all('default') as Array<{ id: string }>).map((row) => row.id), ['a1', 'a2']);
    // Deleting a draft finds its images for the cascade by the index too.
    db.prepare("DELETE FROM drafts WHERE id = 'd1'").run();
    assert.deepEqual((db.prepare('SELECT id FROM draft_images').all() as Array<{ id: string }>).map((row) => row.id), ['i3']);
  });

  it('0230-search-index-after-the-commit: a new post is listed in its commit and indexed once the list is emptied, idempotently', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 220);
    db.exec("INSERT INTO posts (id, profile_id, draft_id, text, created_at, content) VALUES ('old', 'default', NULL, 'an older garden', 1, '{}')");
    migrate(db, 230);
    const found = (word: string) => (db.prepare('SELECT rowid AS key FROM posts_fts WHERE posts_fts MATCH ?').all(word) as Array<{ key: number }>).map((row) => row.key);
    const keyOf = (id: string) => (db.prepare('SELECT history_key AS key FROM posts WHERE id = ?').get(id) as { key: number }).key;
    assert.deepEqual(found('garden'), [keyOf('old')]);
    // Given its key at the insert, as the outbox gives it: listed, not yet in the index.
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at, content, history_key) VALUES ('new', 'default', NULL, 'tulips', 2, ?, 2048)").run(
      JSON.stringify({ replies: ['and roses'], variants: { platforms: { x: { text: 'daffodils' } } } }),
    );
    assert.deepEqual(db.prepare('SELECT history_key AS key FROM posts_fts_pending').all(), [{ key: 2048 }]);
    assert.deepEqual(found('tulips'), []);
    db.prepare('DELETE FROM posts_fts_pending').run();
    assert.deepEqual([found('tulips'), found('roses'), found('daffodils')], [[2048], [2048], [2048]]);
    // Listed again (a drain lost to a power cut after the index was written): no second entry.
    db.prepare('INSERT INTO posts_fts_pending (history_key) VALUES (2048)').run();
    db.prepare('DELETE FROM posts_fts_pending').run();
    db.prepare("UPDATE posts SET text = 'lilies' WHERE id = 'new'").run();
    assert.deepEqual([found('tulips'), found('lilies')], [[], [2048]]);
    // A post deleted before it was indexed leaves nothing behind.
    db.prepare("INSERT INTO posts (id, profile_id, draft_id, text, created_at, content, history_key) VALUES ('gone', 'default', NULL, 'orchids', 3, '{}', 3072)").run();
    db.prepare("DELETE FROM posts WHERE id = 'gone'").run();
    db.prepare('DELETE FROM posts_fts_pending').run();
    assert.deepEqual(found('orchids'), []);
  });

  it('is idempotent and versions are monotonic', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    assert.equal(schemaVersion(db), latestSchemaVersion);
    for (let i = 1; i < migrations.length; i++) assert.ok(migrations[i]!.version > migrations[i - 1]!.version);
  });

  it('refuses a database written by a newer Localpost instead of damaging it', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${latestSchemaVersion + 10}`);
    assert.throws(() => migrate(db), DatabaseFromFutureError);
  });

  it('opens in WAL mode with files readable by the user only', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-db-')), 'data');
    const db = openDatabase(dir);
    db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'x', 1)").run();
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    for (const file of fs.readdirSync(dir)) {
      assert.equal(fs.statSync(path.join(dir, file)).mode & 0o777, 0o600, file);
    }
    db.close();
  });
});
