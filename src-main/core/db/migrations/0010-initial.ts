// The first schema: profiles, accounts, encrypted secrets, drafts with their images, and posts
// with one row per target. STRICT tables so a wrong type is an error, not a silent coercion.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion10(db: Database): void {
  db.exec(`
    CREATE TABLE profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    -- Every profile is an isolation boundary; one always exists.
    INSERT INTO profiles (id, name, created_at) VALUES ('default', 'Personal', 0);

    -- Secrets are AES-256-GCM ciphertexts under the vault's data key (see core/vault).
    CREATE TABLE secrets (
      id TEXT PRIMARY KEY,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      tag BLOB NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE vault_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE accounts (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id),
      platform TEXT NOT NULL,
      did TEXT NOT NULL,
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
      UNIQUE (profile_id, platform, did)
    ) STRICT;

    CREATE TABLE drafts (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id),
      text TEXT NOT NULL,
      target_account_ids TEXT NOT NULL,
      langs TEXT NOT NULL,
      link_card TEXT,
      link_card_dismissed_url TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX drafts_by_profile ON drafts (profile_id, updated_at);

    CREATE TABLE draft_images (
      id TEXT PRIMARY KEY,
      draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      file_name TEXT NOT NULL,
      mime TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      alt TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE posts (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id),
      draft_id TEXT,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX posts_by_profile ON posts (profile_id, created_at);

    CREATE TABLE post_targets (
      post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES accounts(id),
      status TEXT NOT NULL,
      uri TEXT,
      cid TEXT,
      url TEXT,
      error_code TEXT,
      error_message TEXT,
      attempted_at INTEGER NOT NULL,
      PRIMARY KEY (post_id, account_id)
    ) STRICT;
  `);
}
