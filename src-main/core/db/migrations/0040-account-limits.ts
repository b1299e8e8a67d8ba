// Some accounts carry their server's own limits (a Mastodon instance's max_characters, media
// count, characters per URL), read at connect and used by the counter and preflight.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion40(db: Database): void {
  db.exec('ALTER TABLE accounts ADD COLUMN limits TEXT');
}
