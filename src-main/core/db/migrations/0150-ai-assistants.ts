// AI assistants: their requests to publish, waiting for the user and then kept as the audit of
// what each assistant asked and what the user decided; the assistants seen, each with the user's
// switch; and every call they made.
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion150(db: Database): void {
  db.exec(`
    CREATE TABLE approvals (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id),
      client_name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('publish', 'schedule')),
      status TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'rejected')),
      -- No reference: the draft becomes a post when approved, and the request stays.
      draft_id TEXT,
      schedule_local TEXT,
      schedule_zone TEXT,
      -- The content's hash when the assistant asked, and the content as last shown (JSON), kept
      -- for the audit once the draft is gone.
      requested_hash TEXT NOT NULL,
      shown TEXT NOT NULL,
      post_id TEXT,
      requested_at INTEGER NOT NULL,
      decided_at INTEGER
    ) STRICT;
    CREATE INDEX approvals_by_profile ON approvals (profile_id, requested_at);

    CREATE TABLE ai_clients (
      name TEXT PRIMARY KEY,
      enabled INTEGER NOT NULL DEFAULT 1,
      first_seen_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE ai_requests (
      id INTEGER PRIMARY KEY,
      client_name TEXT NOT NULL,
      method TEXT NOT NULL,
      at INTEGER NOT NULL,
      outcome TEXT NOT NULL
    ) STRICT;
  `);
}
