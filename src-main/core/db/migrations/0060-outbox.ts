// The outbox: a post keeps its own copy of what it sends (so a scheduled or retried post
// no longer depends on its draft), an optional schedule in an IANA zone, and each target its own
// state, attempts and idempotency key. Targets recorded before this were final: a failure then
// had no retry in the app, so it becomes `failed_permanent`.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion60(db: Database): void {
  db.exec(`
    ALTER TABLE posts ADD COLUMN content TEXT;
    ALTER TABLE posts ADD COLUMN scheduled_at INTEGER;
    ALTER TABLE posts ADD COLUMN schedule_zone TEXT;
    ALTER TABLE posts ADD COLUMN schedule_local TEXT;
    ALTER TABLE posts ADD COLUMN started_at INTEGER;
    ALTER TABLE posts ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;

    ALTER TABLE post_targets ADD COLUMN idempotency_key TEXT;
    ALTER TABLE post_targets ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE post_targets ADD COLUMN next_attempt_at INTEGER;
    -- When the target's turn comes (its post's schedule, or when it was queued): the worker's
    -- order, kept on the target so an index serves "the next target of this account".
    ALTER TABLE post_targets ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
    UPDATE post_targets SET status = 'failed_permanent' WHERE status = 'failed';
    UPDATE post_targets SET attempts = 1;
    UPDATE posts SET started_at = created_at;

    UPDATE post_targets SET due_at = attempted_at;

    CREATE INDEX post_targets_by_status ON post_targets (status, next_attempt_at);
    CREATE INDEX post_targets_next_of_account ON post_targets (account_id, status, due_at);
    CREATE INDEX posts_unstarted ON posts (started_at, scheduled_at);
  `);
}
