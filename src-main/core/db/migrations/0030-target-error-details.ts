// A failed target keeps all of its error, not only code and message: what to do next, and for a
// rate limit, when the platform allows a retry.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion30(db: Database): void {
  db.exec(`
    ALTER TABLE post_targets ADD COLUMN error_action TEXT;
    ALTER TABLE post_targets ADD COLUMN error_retry_at INTEGER;
  `);
}
