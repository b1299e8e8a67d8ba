// The outbox asks, for each account with work, which of its targets goes next: the one due
// first, the post id breaking a tie (postStore.ts, dueTargets). The index it seeks gave the due
// time's order but not the tie-breaker, so every such question sorted its rows in a temporary
// b-tree (EXPLAIN QUERY PLAN: "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"), and SQLite opens
// each one with a page cache of its own: some 90 KB allocated and freed per account at every look
// at the queue, the churn that left the allocator's free memory scattered. With the post id as
// the index's last column, the rows come out in the order asked for.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion210(db: Database): void {
  db.exec(`
    DROP INDEX IF EXISTS post_targets_next_of_account;
    CREATE INDEX post_targets_next_of_account ON post_targets (account_id, status, due_at, post_id);
  `);
}
