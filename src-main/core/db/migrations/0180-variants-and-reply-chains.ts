// Texts of their own per platform or account, and reply chains.
//
// A draft keeps its replies (the chain after its main text), its variants, and whether long posts
// are cut into chains. A target publishing a chain keeps the chain as it was cut when queued (its
// posts' texts, and beside its own idempotency key, the first post's, one key for each reply), and
// each post that went out (its id and link), written before the next one leaves: a crash mid-chain
// resumes at the first post not published, under that post's own key, and never sends one twice.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion180(db: Database): void {
  db.exec(`
    ALTER TABLE drafts ADD COLUMN replies TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE drafts ADD COLUMN variants TEXT NOT NULL DEFAULT '{"platforms":{},"accounts":{}}';
    ALTER TABLE drafts ADD COLUMN split_long_posts INTEGER NOT NULL DEFAULT 0;

    ALTER TABLE post_targets ADD COLUMN chain TEXT;
    ALTER TABLE post_targets ADD COLUMN chain_published TEXT;
  `);
}
