// A new post's words reach the search index just after the commit that queues it, not in it. The
// outbox's claim is fsynced before a post's requests leave; the index's share of that commit (a
// new segment, its structure record, the document's size: several pages of the write-ahead log)
// is not needed for the post to go out exactly once, and a search a moment later finds the post
// all the same.
//
// So a new post only joins a queue here (one small row); deleting its row from the queue indexes
// it (the trigger below), which the app does in a commit of its own right after, at start for
// whatever a crash left queued, and before any search. The document is the one migration 0200
// defined: the main text and every text of its replies and its platforms' or accounts' own.
// Deleting first keeps the indexing idempotent: a contentless index takes a second insert of the
// same rowid without a word and would then find the post by words it no longer has.
import type { Database } from 'better-sqlite3';

const searchDocument = (row: string) => `${row}.text || COALESCE(' ' || (
  SELECT group_concat(value, ' ') FROM json_tree(${row}.content)
  WHERE type = 'text' AND (fullkey LIKE '$.replies[%' OR fullkey LIKE '$.variants.%')
), '')`;

export default function updateToSchemaVersion230(db: Database): void {
  db.exec(`
    CREATE TABLE posts_fts_pending (history_key INTEGER PRIMARY KEY) STRICT;

    DROP TRIGGER posts_fts_insert;
    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.history_key IS NOT NULL BEGIN
      INSERT OR IGNORE INTO posts_fts_pending (history_key) VALUES (new.history_key);
    END;
    CREATE TRIGGER posts_fts_pending_indexed AFTER DELETE ON posts_fts_pending BEGIN
      DELETE FROM posts_fts WHERE rowid = old.history_key;
      INSERT INTO posts_fts (rowid, document) SELECT history_key, ${searchDocument('posts')} FROM posts WHERE history_key = old.history_key;
    END;
  `);
}
