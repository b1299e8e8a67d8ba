// An account's picture, kept as a small image data: URL (a few KB) from when it was connected, so
// the app shows it offline and without a request from the renderer.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion130(db: Database): void {
  db.exec(`ALTER TABLE accounts ADD COLUMN avatar TEXT;`);
}
