// A draft's video gets alt text, as its images have: Bluesky's video embed and Mastodon's media
// description show it to people who cannot see the video.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion120(db: Database): void {
  db.exec(`ALTER TABLE draft_videos ADD COLUMN alt TEXT NOT NULL DEFAULT '';`);
}
