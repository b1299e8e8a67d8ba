// A draft's video: at most one (the primary key is the draft), its file in the draft's media
// folder, the probe's facts, and the poster frame once one was made.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion100(db: Database): void {
  db.exec(`
    CREATE TABLE draft_videos (
      draft_id TEXT PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
      id TEXT NOT NULL UNIQUE,
      file_name TEXT NOT NULL,
      mime TEXT NOT NULL,
      container TEXT NOT NULL,
      video_codec TEXT NOT NULL,
      video_codec_string TEXT,
      audio_codec TEXT,
      duration_seconds REAL NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      frame_rate REAL NOT NULL,
      bytes INTEGER NOT NULL,
      poster_file TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
