// Each account's boards as the platform last listed them, so the composer offers them at once and
// offline. The platform stays the truth: Refresh lists them again, and a board made from the
// composer joins the list without a second request.
import { boardSchema, type Board } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import type { Clock } from '../ports';

export interface BoardList {
  boards: Board[];
  fetchedAt: number;
}

export class BoardStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(accountId: string): BoardList | null {
    const row = this.db.prepare('SELECT boards, fetched_at FROM account_boards WHERE account_id = ?').get(accountId) as
      | { boards: string; fetched_at: number }
      | undefined;
    if (!row) return null;
    // A list this version cannot read is no list: the platform is asked again.
    const boards = boardSchema.array().safeParse(JSON.parse(row.boards));
    return boards.success ? { boards: boards.data, fetchedAt: row.fetched_at } : null;
  }

  put(accountId: string, boards: Board[]): BoardList {
    const fetchedAt = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO account_boards (account_id, boards, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET boards = excluded.boards, fetched_at = excluded.fetched_at`,
      )
      .run(accountId, JSON.stringify(boards), fetchedAt);
    return { boards, fetchedAt };
  }

  /** Adds a board just made, keeping when the rest was listed. */
  add(accountId: string, board: Board): void {
    const known = this.get(accountId);
    if (!known) return void this.put(accountId, [board]);
    this.db
      .prepare('UPDATE account_boards SET boards = ? WHERE account_id = ?')
      .run(JSON.stringify([...known.boards.filter((b) => b.id !== board.id), board]), accountId);
  }
}
