// What a publish reads of a draft and its accounts, each walked down an index in the order asked
// for. A draft's images had no index on their draft: every read of one draft's images scanned
// every draft's, then sorted them in a temporary b-tree (EXPLAIN QUERY PLAN: "SCAN draft_images",
// "USE TEMP B-TREE FOR ORDER BY"), and deleting a draft scanned them all again for its cascade
// (https://www.sqlite.org/foreignkeys.html#fk_indexes: the child key needs an index). A profile's
// accounts, listed by when each was added, were sorted the same way. SQLite opens each temporary
// b-tree with a page cache of its own, allocated and freed at every read.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion220(db: Database): void {
  db.exec(`
    CREATE INDEX draft_images_by_draft ON draft_images (draft_id, position);
    CREATE INDEX accounts_by_profile ON accounts (profile_id, created_at, handle);
  `);
}
