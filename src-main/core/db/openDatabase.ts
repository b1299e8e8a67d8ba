// Opens the app's SQLite database: WAL for crash safety without blocking readers, foreign keys
// on (SQLite leaves them off by default), migrations applied, files readable by the user only.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseFromFutureError, migrate } from './migrations';
import { ensurePrivateDir, ensurePrivateFile } from '../storage/privateFiles';

export type Db = Database.Database;

/** @param openedBy recorded as the version that last opened the database, and when (the app passes it). */
export function openDatabase(dataDir: string, openedBy?: { appVersion: string; at: number }): Db {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, 'localpost.sqlite');
  // Create the file ourselves first so it is 0600 from its first byte, not after a chmod.
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; FULL also survives power loss at
  // the cost of an fsync per commit. Drafts are the user's words: pay for FULL.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's own default page cache (2 MB): better-sqlite3 builds with 16 MB, which a large
  // history fills page by page over a session, and keeps. The operating system caches the file too.
  db.pragma('cache_size = -2000');
  cacheStatements(db);
  try {
    migrate(db);
  } catch (error) {
    // Refused before anything was written: close it as it was, saying who wrote it.
    if (error instanceof DatabaseFromFutureError) error.lastOpenedBy = lastOpenedBy(db);
    db.close();
    throw error;
  }
  if (openedBy) {
    db.prepare(
      `INSERT INTO opened_by (id, app_version, opened_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET app_version = excluded.app_version, opened_at = excluded.opened_at`,
    ).run(openedBy.appVersion, openedBy.at);
  }
  for (const suffix of ['', '-wal', '-shm']) ensurePrivateFile(file + suffix);
  return db;
}

/** The version recorded by the Localpost that last opened this database, if any. */
export function lastOpenedBy(db: Db): string | undefined {
  try {
    return (db.prepare('SELECT app_version FROM opened_by WHERE id = 1').get() as { app_version: string } | undefined)?.app_version;
  } catch {
    return undefined; // written before versions were recorded
  }
}

/**
 * Runs `write` as a commit that is not fsynced (synchronous = NORMAL while it runs). In WAL mode
 * it is still atomic, and still there after the app is killed: only an OS crash or a power cut
 * before the next fsynced commit (whose fsync covers it too) can undo it. Only for writes whose
 * loss a restart settles by itself: on these machines an fsync costs about 1–2 ms, more than all
 * the rest of a publish's local work.
 */
export function withoutFsync<T>(db: Db, write: () => T): T {
  // Inside a transaction the setting would apply to the caller's commit: leave that one alone.
  if (db.inTransaction) return write();
  // Through prepare, whose statements are kept: db.pragma compiles its statement at every call.
  db.prepare('PRAGMA synchronous = NORMAL').run();
  try {
    return write();
  } finally {
    db.prepare('PRAGMA synchronous = FULL').run();
  }
}

/**
 * Compiling a statement costs more than running most of ours (a publish runs about twenty), so
 * `prepare` hands back the statement compiled the first time for the same SQL. Safe because no
 * caller changes a statement's mode (pluck, raw, expand) or iterates one while running another.
 * The SQL texts are a fixed set; the bound is there in case one ever is not.
 *
 * A kept statement is only worth keeping if SQLite does not compile it again at each run, and
 * since SQLite 3.54 it does for two kinds of bound value. The planner now reads the value bound to
 * a `LIMIT ?`, and to a `column = ?` in a statement that joins or orders, and marks the statement
 * to be recompiled when that value changes (sqlite.org/c3ref/prepare.html: "the statement will be
 * automatically recompiled ... following any change to the bindings of that parameter"); and
 * better-sqlite3 clears the bindings after every run, which counts as a change. Such a statement
 * costs a compile per run: 10-80 µs here, several times more after an idle wait. So those values
 * are written `+?` (or `+@name`): unary plus is a no-op on the value and neither form has an
 * affinity, so the comparison and the plan (index, order) are the same, but the planner no longer
 * reads the bound value and the compiled statement is kept.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
      statement = compile(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/** An in-memory database with the full schema, for unit tests. */
export function openMemoryDatabase(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
