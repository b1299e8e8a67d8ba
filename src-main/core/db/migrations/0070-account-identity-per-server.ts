// An account is its platform, its server and the platform's id for it: a Mastodon account id is
// only unique on its own instance (docs.joinmastodon.org/entities/Account: "id ... String (cast
// from an integer ...)", assigned by each server), and any instance can answer with any id. So
// the server joins the unique key, and one instance can never claim another instance's account.
//
// SQLite cannot change a table's UNIQUE constraint in place: the table is rebuilt the way
// sqlite.org/lang_altertable.html#otheralter describes (new table, copy, drop, rename), with
// every row, its id and its columns as they were, so targets and history keep their accounts.
// The migration runner turns foreign keys off around it and checks them before committing.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion70(db: Database): void {
  db.exec(`
    CREATE TABLE accounts_by_server (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id),
      platform TEXT NOT NULL,
      remote_id TEXT NOT NULL,
      handle TEXT NOT NULL,
      service TEXT NOT NULL,
      display_name TEXT,
      status TEXT NOT NULL,
      status_reason TEXT,
      next_action TEXT,
      checked_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      -- Disconnect soft-deletes so that published history keeps its account.
      deleted_at INTEGER,
      limits TEXT,
      spending_cap INTEGER,
      UNIQUE (profile_id, platform, service, remote_id)
    ) STRICT;

    INSERT INTO accounts_by_server (id, profile_id, platform, remote_id, handle, service, display_name, status, status_reason,
        next_action, checked_at, created_at, updated_at, deleted_at, limits, spending_cap)
      SELECT id, profile_id, platform, remote_id, handle, service, display_name, status, status_reason,
        next_action, checked_at, created_at, updated_at, deleted_at, limits, spending_cap
      FROM accounts;

    DROP TABLE accounts;
    ALTER TABLE accounts_by_server RENAME TO accounts;
  `);
}
