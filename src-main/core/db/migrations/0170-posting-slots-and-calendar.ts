// Planning: each account's posting slots (a weekday and a wall time, "Mondays 09:00"), which
// "Add to queue" fills, and the index the calendar's range query walks.
//
// A slot is a wall time, not an instant: it is read in the user's time zone on each date, so
// "09:00" stays 09:00 across a daylight-saving change. Slots go with their account (a disconnect
// soft-deletes the account; the slots stay with it and are ignored while it is gone).
//
// The calendar places a post at its scheduled time, or at its creation for a post sent at once;
// an index on that very expression lets a month of a 50,000-post archive be one range seek
// (https://www.sqlite.org/expridx.html: the query must use the same expression).
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion170(db: Database): void {
  db.exec(`
    CREATE TABLE posting_slots (
      account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      -- ISO weekday: 1 is Monday, 7 is Sunday.
      weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
      -- Minutes after midnight on the wall clock.
      minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
      PRIMARY KEY (account_id, weekday, minute_of_day)
    ) STRICT;

    CREATE INDEX posts_by_calendar_time ON posts (profile_id, COALESCE(scheduled_at, created_at));
  `);
}
