// History at tens of thousands of posts: a full-text index over posts' text and the index the
// paged query walks (keyset on created_at, id: each page is one seek, never an OFFSET scan).
//
// The FTS5 table keeps its own copy of the text keyed by the post's id rather than borrowing
// posts' rowid (external content): posts has no INTEGER PRIMARY KEY, so its rowids may change at
// VACUUM (https://www.sqlite.org/lang_vacuum.html), which would silently point the index at the
// wrong posts. Triggers keep it in step with every insert, text change and delete.
// unicode61 with remove_diacritics 2 lets "cafe" find "café" (https://www.sqlite.org/fts5.html#unicode61_tokenizer).
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion160(db: Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE posts_fts USING fts5(post_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO posts_fts (post_id, text) SELECT id, text FROM posts;

    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
      INSERT INTO posts_fts (post_id, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN
      DELETE FROM posts_fts WHERE post_id = old.id;
      INSERT INTO posts_fts (post_id, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
      DELETE FROM posts_fts WHERE post_id = old.id;
    END;

    DROP INDEX posts_by_profile;
    CREATE INDEX posts_by_profile ON posts (profile_id, created_at, id);
  `);
}
