// Posting slots in SQLite, and which slots scheduled posts already occupy. Slots belong to an
// account of the profile; a disconnected account's slots are kept but not listed nor used.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import type { AccountPostingSlots, PostingSlot } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import { formatSlot, occupancyKey, parseSlots, type StoredSlot } from './postingSlots';

export class PostingSlotStore {
  constructor(private readonly db: Db) {}

  /** The profile's live accounts that have slots, each with its slots in week order. */
  list(profileId: string): AccountPostingSlots[] {
    const rows = this.db
      .prepare(
        `SELECT s.account_id, s.weekday, s.minute_of_day FROM posting_slots s JOIN accounts a ON a.id = s.account_id
         WHERE a.profile_id = +? AND a.deleted_at IS NULL ORDER BY a.created_at, s.account_id, s.weekday, s.minute_of_day`,
      )
      .all(profileId) as Array<{ account_id: string; weekday: number; minute_of_day: number }>;
    const byAccount = new Map<string, PostingSlot[]>();
    for (const row of rows) {
      const slots = byAccount.get(row.account_id) ?? [];
      slots.push(formatSlot({ weekday: row.weekday, minuteOfDay: row.minute_of_day }));
      byAccount.set(row.account_id, slots);
    }
    return [...byAccount].map(([accountId, slots]) => ({ accountId, slots }));
  }

  /** One account's slots, connected or not (Export my data). */
  ofAccount(accountId: string): PostingSlot[] {
    return (
      this.db.prepare('SELECT weekday, minute_of_day FROM posting_slots WHERE account_id = +? ORDER BY weekday, minute_of_day').all(accountId) as Array<{
        weekday: number;
        minute_of_day: number;
      }>
    ).map((row) => formatSlot({ weekday: row.weekday, minuteOfDay: row.minute_of_day }));
  }

  /** Replaces the account's slots in one transaction; the input is checked first. */
  set(profileId: string, accountId: string, slots: readonly PostingSlot[]): AccountPostingSlots {
    const parsed = parseSlots(slots);
    const account = this.db.prepare('SELECT 1 FROM accounts WHERE id = ? AND profile_id = ? AND deleted_at IS NULL').get(accountId, profileId);
    if (!account) throw new AppError('not_found', 'This account is not connected in this profile.', { action: 'Reload the accounts and try again.' });
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM posting_slots WHERE account_id = ?').run(accountId);
      const insert = this.db.prepare('INSERT INTO posting_slots (account_id, weekday, minute_of_day) VALUES (?, ?, ?)');
      for (const slot of parsed) insert.run(accountId, slot.weekday, slot.minuteOfDay);
    })();
    return { accountId, slots: parsed.map(formatSlot) };
  }

  /** The slots of these accounts (those of the profile still connected), keyed by account. */
  forAccounts(profileId: string, accountIds: readonly string[]): Map<string, StoredSlot[]> {
    const rows = this.db
      .prepare(
        `SELECT s.account_id, s.weekday, s.minute_of_day FROM posting_slots s JOIN accounts a ON a.id = s.account_id
         WHERE a.profile_id = +? AND a.deleted_at IS NULL AND s.account_id IN (SELECT value FROM json_each(?))
         ORDER BY s.weekday, s.minute_of_day`,
      )
      .all(profileId, JSON.stringify(accountIds)) as Array<{ account_id: string; weekday: number; minute_of_day: number }>;
    const byAccount = new Map<string, StoredSlot[]>();
    for (const row of rows) {
      const slots = byAccount.get(row.account_id) ?? [];
      slots.push({ weekday: row.weekday, minuteOfDay: row.minute_of_day });
      byAccount.set(row.account_id, slots);
    }
    return byAccount;
  }

  /** Every slot of the profile's live accounts, keyed by account (the calendar's markers). */
  forProfile(profileId: string): Map<string, StoredSlot[]> {
    return this.forAccounts(
      profileId,
      this.list(profileId).map((entry) => entry.accountId),
    );
  }

  /**
   * Which (account, instant) pairs scheduled posts hold from `from` on: a target not cancelled of
   * a post scheduled at that instant. One step down the (account, status, due_at) index per
   * account: a scheduled target is due at its post's time.
   */
  occupied(accountIds: readonly string[], from: number): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT t.account_id, p.scheduled_at FROM post_targets t JOIN posts p ON p.id = t.post_id
         WHERE t.account_id IN (SELECT value FROM json_each(?)) AND t.due_at >= ? AND p.scheduled_at = t.due_at AND t.status <> 'cancelled'`,
      )
      .all(JSON.stringify(accountIds), from) as Array<{ account_id: string; scheduled_at: number }>;
    return new Set(rows.map((row) => occupancyKey(row.account_id, row.scheduled_at)));
  }
}
