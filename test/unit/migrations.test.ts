import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseFromFutureError, latestSchemaVersion, migrate, migrations, schemaVersion } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/openDatabase';

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
