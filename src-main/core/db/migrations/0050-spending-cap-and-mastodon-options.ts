// A per-account spending cap (posts per rolling 30 days; X bills each post to the user's own
// developer app), and the two Mastodon options a draft carries: a content warning and visibility.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion50(db: Database): void {
  db.exec(`
    ALTER TABLE accounts ADD COLUMN spending_cap INTEGER;
    ALTER TABLE drafts ADD COLUMN content_warning TEXT NOT NULL DEFAULT '';
    ALTER TABLE drafts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
    CREATE INDEX post_targets_by_account ON post_targets (account_id, attempted_at);
  `);
}
