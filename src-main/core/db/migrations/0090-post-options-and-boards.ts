// The fields only some platforms' posts have (a pin's board, title and link), kept with the draft
// as one JSON object, and each account's boards as last listed, so the composer offers them offline.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion90(db: Database): void {
  db.exec(`
    ALTER TABLE drafts ADD COLUMN platform_options TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE account_boards (
      account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
      boards TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );
  `);
}
