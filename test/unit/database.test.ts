// The app database's settings: every commit fsynced (synchronous = FULL), except the writes marked
// withoutFsync, which must hand FULL back whatever happens; and a bounded page cache.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase, withoutFsync } from '../../src-main/core/db/openDatabase';

const FULL = 2;
const NORMAL = 1;
const synchronous = (db: ReturnType<typeof openDatabase>) => db.pragma('synchronous', { simple: true });

describe('the app database', () => {
  it('is WAL with every commit fsynced', () => {
    const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-db-')));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(synchronous(db), FULL);
    db.close();
  });

  it('holds its page cache to 2 MB, however much of a large history is read', () => {
    const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-db-')));
    // Negative: a size in KiB (sqlite.org/pragma.html#pragma_cache_size), SQLite's own default.
    assert.equal(db.pragma('cache_size', { simple: true }), -2000);
    db.close();
  });

  it('withoutFsync commits with NORMAL, then FULL again, also when the write throws', () => {
    const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-db-')));
    let during: unknown;
    withoutFsync(db, () => {
      during = synchronous(db);
      db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0)").run();
    });
    assert.equal(during, NORMAL);
    assert.equal(synchronous(db), FULL);
    assert.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM profiles WHERE id = 'p'").get(), { n: 1 }, 'the write committed');
    assert.throws(() => withoutFsync(db, () => { throw new Error('boom'); }), /boom/);
    assert.equal(synchronous(db), FULL);
    db.close();
  });

  it('inside a transaction withoutFsync leaves the caller’s commit fsynced', () => {
    const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-db-')));
    let during: unknown;
    db.transaction(() => withoutFsync(db, () => (during = synchronous(db))))();
    assert.equal(during, FULL);
    db.close();
  });
});
