// The history's order as one integer per post, and a search index whose rowids are those
// integers, so a search reads its matches newest first and stops at a page.
//
// history_key = created_at × 1024 + n, where n counts the posts created in the same
// millisecond before this one: keys sort as the history does (newest first, the later of two
// posts in one millisecond first) and each is unique (a 1,025th post in one millisecond is
// refused rather than misplaced). 1024 keeps every key a safe integer in
// JavaScript (below 2^53) until the year 2248. A page is then one walk down
// (profile_id, history_key), and a search one walk down the full-text index in rowid order
// (FTS5 hands its matches out in rowid order, https://www.sqlite.org/fts5.html#the_xbestindex_method),
// each match looked up by key, stopping once the page is full. Before, every match of a common
// word (thousands) was read and sorted by date to show fifty.
//
// The index keeps no copy of the text (contentless, with deletes: https://www.sqlite.org/fts5.html#contentless_delete_tables):
// posts already hold it. Its one column is the post's searchable document: what the triggers
// below put in it (the post's text today). More of a post's text (per-platform versions) becomes
// searchable by adding it to that document: a later migration that redefines the triggers and
// rebuilds the index from posts, with no change to the queries.
//
// Keys are given by a trigger, so every way a post is written (the outbox, an import, a test
// seeding rows) gets one.
//
// Indexes and triggers are dropped IF EXISTS: a migration between 0160 and this one (the drafts'
// new fields) may have rebuilt a table and its indexes already.
//
// Drafts page the same way, newest edit first: their index gains the id that breaks a tie. The
// Queue pages its scheduled posts down posts_unstarted, which gains the id too, and finds the
// rest (going out, failed, unknown, queued and due) from their targets' status and due time.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion190(db: Database): void {
  db.exec(`
    DROP TRIGGER IF EXISTS posts_fts_insert;
    DROP TRIGGER IF EXISTS posts_fts_update;
    DROP TRIGGER IF EXISTS posts_fts_delete;
    DROP TABLE IF EXISTS posts_fts;
    DROP INDEX IF EXISTS posts_by_profile;

    ALTER TABLE posts ADD COLUMN history_key INTEGER;
    UPDATE posts SET history_key = keys.key FROM (
      SELECT rowid AS post_rowid, created_at * 1024 + ROW_NUMBER() OVER (PARTITION BY created_at ORDER BY rowid) - 1 AS key FROM posts
    ) AS keys WHERE posts.rowid = keys.post_rowid;
    CREATE UNIQUE INDEX posts_by_history_key ON posts (history_key);
    CREATE INDEX posts_by_profile ON posts (profile_id, history_key);

    CREATE VIRTUAL TABLE posts_fts USING fts5(
      document, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO posts_fts (rowid, document) SELECT history_key, text FROM posts;

    CREATE TRIGGER posts_history_key AFTER INSERT ON posts WHEN new.history_key IS NULL BEGIN
      UPDATE posts SET history_key = (
        SELECT CASE
          WHEN latest IS NULL THEN new.created_at * 1024
          WHEN latest + 1 < (new.created_at + 1) * 1024 THEN latest + 1
          ELSE RAISE(ABORT, 'More than 1024 posts created in one millisecond')
        END
        FROM (SELECT MAX(history_key) AS latest FROM posts
              WHERE history_key >= new.created_at * 1024 AND history_key < (new.created_at + 1) * 1024)
      ) WHERE id = new.id;
    END;
    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.history_key IS NOT NULL BEGIN
      INSERT INTO posts_fts (rowid, document) VALUES (new.history_key, new.text);
    END;
    CREATE TRIGGER posts_fts_update AFTER UPDATE OF text, history_key ON posts BEGIN
      DELETE FROM posts_fts WHERE rowid = old.history_key;
      INSERT INTO posts_fts (rowid, document) SELECT new.history_key, new.text WHERE new.history_key IS NOT NULL;
    END;
    CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
      DELETE FROM posts_fts WHERE rowid = old.history_key;
    END;

    DROP INDEX IF EXISTS drafts_by_profile;
    CREATE INDEX drafts_by_profile ON drafts (profile_id, updated_at, id);

    DROP INDEX IF EXISTS posts_unstarted;
    CREATE INDEX posts_unstarted ON posts (started_at, scheduled_at, id);
    CREATE INDEX post_targets_by_status_due ON post_targets (status, due_at);
  `);
}
