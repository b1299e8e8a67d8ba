// The calendar's range: the profile's posts placed at their calendar time (the time a scheduled
// post is due, the creation of a post sent at once) in [from, to). Two statements whatever the
// range holds: the posts down the posts_by_calendar_time index (its expression written exactly
// as the index's, https://www.sqlite.org/expridx.html), then all their targets at once.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import type { Post } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import { phaseOf, postTargetOf, type PostTargetRow } from '../outbox/postStore';

/** The longest range one call may ask for: a month view shows six weeks. */
export const longestRangeMs = 45 * 86_400_000;

interface CalendarPostRow {
  id: string;
  draft_id: string | null;
  text: string;
  created_at: number;
  scheduled_at: number | null;
  schedule_zone: string | null;
  schedule_local: string | null;
  started_at: number | null;
  missed: number;
}

type CalendarTargetRow = PostTargetRow & { post_id: string };

export class CalendarQuery {
  constructor(private readonly db: Db) {}

  range(profileId: string, from: number, to: number, limit: number): { posts: Post[]; more: boolean } {
    if (to <= from) throw new AppError('invalid_input', 'The calendar range ends before it starts.');
    if (to - from > longestRangeMs) throw new AppError('invalid_input', 'The calendar shows at most 45 days at a time.');
    const rows = this.db
      .prepare(
        `SELECT id, draft_id, text, created_at, scheduled_at, schedule_zone, schedule_local, started_at, missed FROM posts
         WHERE profile_id = +@profileId AND COALESCE(scheduled_at, created_at) >= @from AND COALESCE(scheduled_at, created_at) < @to
         ORDER BY COALESCE(scheduled_at, created_at), id LIMIT +@limit`,
      )
      .all({ profileId, from, to, limit: limit + 1 }) as CalendarPostRow[];
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const targets = new Map<string, CalendarTargetRow[]>();
    if (shown.length > 0) {
      const targetRows = this.db
        .prepare(
          `SELECT t.post_id, t.account_id, a.handle, a.platform, t.status, t.uri, t.url, t.error_code, t.error_message, t.error_action,
             t.error_retry_at, t.attempted_at, t.attempts, t.next_attempt_at, t.chain, t.chain_published
           FROM post_targets t JOIN accounts a ON a.id = t.account_id
           WHERE t.post_id IN (SELECT value FROM json_each(?)) ORDER BY t.post_id, a.handle`,
        )
        .all(JSON.stringify(shown.map((row) => row.id))) as CalendarTargetRow[];
      for (const row of targetRows) {
        const list = targets.get(row.post_id) ?? [];
        list.push(row);
        targets.set(row.post_id, list);
      }
    }
    return { posts: shown.map((row) => toPost(row, targets.get(row.id) ?? [])), more };
  }
}

function toPost(row: CalendarPostRow, targets: CalendarTargetRow[]): Post {
  return {
    id: row.id,
    draftId: row.draft_id,
    text: row.text,
    createdAt: row.created_at,
    phase: phaseOf(
      row,
      targets.map((t) => t.status),
    ),
    scheduledAt: row.scheduled_at,
    scheduleZone: row.schedule_zone,
    scheduleLocal: row.schedule_local,
    targets: targets.map(postTargetOf),
  };
}
