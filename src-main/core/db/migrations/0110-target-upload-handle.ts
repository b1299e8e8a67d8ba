// Each target's upload handle: what a platform that takes video by a resumable session gave back
// before the first byte (Google's session address, TikTok's publish_id), so an upload cut off by a
// crash or a lost answer is continued or settled from it rather than begun again (a second video).
// JSON the adapter owns; null until it saves one.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion110(db: Database): void {
  db.exec(`ALTER TABLE post_targets ADD COLUMN upload_handle TEXT;`);
}
