// Accounts on platforms other than Bluesky have no DID: a Discord webhook has an id, a Telegram
// target is a bot and a chat. The column that holds the platform's own id gets a neutral name.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion20(db: Database): void {
  db.exec('ALTER TABLE accounts RENAME COLUMN did TO remote_id');
}
