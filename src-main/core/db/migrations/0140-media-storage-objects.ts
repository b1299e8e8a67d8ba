// Every object Localpost put in the user's own bucket and has not deleted yet, written before the
// upload starts and removed after the delete: what a crash left behind is found and deleted at the
// next start, so no file outlives its minutes in the user's bucket.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion140(db: Database): void {
  db.exec(`
    CREATE TABLE media_storage_objects (
      key TEXT PRIMARY KEY,
      -- The bucket it went to (endpoint and name): a bucket the user has since replaced is not
      -- asked to delete another's keys.
      bucket_ref TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
