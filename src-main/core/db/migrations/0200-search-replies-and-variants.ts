// History search finds a post by any of its words: the replies of its chain and every text of its
// own a platform or an account got, not only its main text.
//
// The index's one column is each post's searchable document; from here on that document is the
// main text followed by every text under `replies` and `variants` in the post's stored content
// (JSON; https://www.sqlite.org/json1.html#jtree walks it, and only string leaves under those two
// keys count, so options, image descriptions and link cards stay out). The triggers are redefined
// to build it, and the index is rebuilt from posts: the queries do not change.
import type { Database } from 'better-sqlite3';

/** A post's searchable document, for the row `row` (new or posts) in a trigger or a query. */
const searchDocument = (row: string) => `${row}.text || COALESCE(' ' || (
  SELECT group_concat(value, ' ') FROM json_tree(${row}.content)
  WHERE type = 'text' AND (fullkey LIKE '$.replies[%' OR fullkey LIKE '$.variants.%')
), '')`;

export default function updateToSchemaVersion200(db: Database): void {
  db.exec(`
    DROP TRIGGER posts_fts_insert;
    DROP TRIGGER posts_fts_update;
    DELETE FROM posts_fts;

    INSERT INTO posts_fts (rowid, document) SELECT history_key, ${searchDocument('posts')} FROM posts;

    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.history_key IS NOT NULL BEGIN
      INSERT INTO posts_fts (rowid, document) VALUES (new.history_key, ${searchDocument('new')});
    END;
    CREATE TRIGGER posts_fts_update AFTER UPDATE OF text, content, history_key ON posts BEGIN
      DELETE FROM posts_fts WHERE rowid = old.history_key;
      INSERT INTO posts_fts (rowid, document) SELECT new.history_key, ${searchDocument('new')} WHERE new.history_key IS NOT NULL;
    END;
  `);
}
