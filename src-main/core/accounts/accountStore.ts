// Accounts in SQLite. Each belongs to one profile; disconnect soft-deletes, so history that names
// an account keeps its handle. Credentials are not here: they live in the vault under
// `secretIdFor(account)`.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import crypto from 'node:crypto';
import type { Account, AccountStatus } from '../../../src-preload/contract';
import { platformRules } from '../../../src-shared/platforms';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import type { Clock } from '../ports';

interface AccountRow {
  id: string;
  profile_id: string;
  platform: Account['platform'];
  remote_id: string;
  handle: string;
  service: string;
  display_name: string | null;
  status: AccountStatus;
  status_reason: string | null;
  next_action: Account['nextAction'];
  checked_at: number | null;
  created_at: number;
  deleted_at: number | null;
  limits: string | null;
  spending_cap: number | null;
  avatar: string | null;
  /** Posts counted against the spending cap in the rolling 30 days (selected with the row). */
  recent_posts: number;
}

/** The rolling window of the spending cap. */
export const spendingCapWindowMs = 30 * 24 * 60 * 60 * 1000;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    profileId: row.profile_id,
    platform: row.platform,
    handle: row.handle,
    remoteId: row.remote_id,
    service: row.service,
    displayName: row.display_name,
    status: row.status,
    statusReason: row.status_reason,
    nextAction: row.next_action,
    checkedAt: row.checked_at,
    createdAt: row.created_at,
    limits: row.limits ? (JSON.parse(row.limits) as Account['limits']) : null,
    spendingCap: spendingCapOf(row),
    avatar: row.avatar,
  };
}

function spendingCapOf(row: AccountRow): Account['spendingCap'] {
  const defaultCap = platformRules[row.platform].defaultSpendingCap;
  if (defaultCap === undefined) return null;
  return { limit: row.spending_cap ?? defaultCap, used: row.recent_posts };
}

/** The platforms whose posts cost the user money (X), as an SQL list of literals from our own ids. */
const cappedPlatforms = Object.entries(platformRules)
  .filter(([, rules]) => rules.defaultSpendingCap !== undefined)
  .map(([platform]) => `'${platform}'`)
  .join(', ');

export function secretIdFor(accountId: string): string {
  return `account:${accountId}:session`;
}

export class AccountStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Every account column, and how many posts count against its spending cap: published in the
   * window, and those already on their way (queued, being sent, or unknown), which would
   * otherwise all pass preflight together and overshoot the cap.
   */
  #select(where: string): string {
    // Counted only for platforms with a cap: the count walks the account's whole window. The
    // statuses are matched by instr(), not IN: SQLite tests an IN list of more than two values
    // against a temporary b-tree, opened with a page cache of its own at every read of an account.
    return `SELECT a.*, CASE WHEN a.platform IN (${cappedPlatforms}) THEN (SELECT COUNT(*) FROM post_targets t WHERE t.account_id = a.id
              AND instr(',published,publishing,queued,unknown,', ',' || t.status || ',') > 0 AND t.attempted_at > @since) ELSE 0 END AS recent_posts
            FROM accounts a WHERE ${where}`;
  }

  #since(): number {
    return this.clock.now() - spendingCapWindowMs;
  }

  listActive(profileId: string): Account[] {
    const rows = this.db
      .prepare(this.#select('a.profile_id = +@profileId AND a.deleted_at IS NULL ORDER BY a.created_at, a.handle'))
      .all({ profileId, since: this.#since() }) as AccountRow[];
    return rows.map(toAccount);
  }

  /** A connected account of this profile; undefined for a disconnected one or another profile's. */
  find(profileId: string, id: string): Account | undefined {
    const row = this.db
      .prepare(this.#select('a.id = @id AND a.profile_id = @profileId AND a.deleted_at IS NULL'))
      .get({ id, profileId, since: this.#since() }) as AccountRow | undefined;
    return row && toAccount(row);
  }

  /** A connected account of any profile: for background work (token refresh) that no page asked
   *  for, never for a bridge call, which must stay inside the active profile. */
  findAny(id: string): Account | undefined {
    const row = this.db.prepare(this.#select('a.id = @id AND a.deleted_at IS NULL')).get({ id, since: this.#since() }) as AccountRow | undefined;
    return row && toAccount(row);
  }

  /** Every connected account of a platform, across profiles (to schedule token refreshes at start). */
  listPlatform(platform: Account['platform']): Account[] {
    return (this.db.prepare(this.#select('a.platform = @platform AND a.deleted_at IS NULL')).all({ platform, since: this.#since() }) as AccountRow[]).map(
      toAccount,
    );
  }

  /** Every account of a profile, disconnected ones too (history still names them), with when it
   *  was disconnected: what an export of the user's data lists. */
  listWithDisconnected(profileId: string): Array<Account & { disconnectedAt: number | null }> {
    const rows = this.db
      .prepare(this.#select('a.profile_id = +@profileId ORDER BY a.created_at, a.handle'))
      .all({ profileId, since: this.#since() }) as Array<AccountRow & { deleted_at: number | null }>;
    return rows.map((row) => ({ ...toAccount(row), disconnectedAt: row.deleted_at }));
  }

  /** Every connected account of every profile (to end each session before everything is deleted). */
  listAllConnected(): Account[] {
    return (this.db.prepare(this.#select('a.deleted_at IS NULL ORDER BY a.created_at')).all({ since: this.#since() }) as AccountRow[]).map(toAccount);
  }

  /**
   * Saves a connected account: the same platform id on the same server in the same profile is the
   * same account, updated (and brought back if it was disconnected) instead of duplicated.
   *
   * Where the id names the account on every server (`remoteIdScope: 'platform'`: a DID, which an
   * account keeps when it moves to another PDS), the same id from another server is that account,
   * moved, or a server claiming an account that is not its own. Only the user can tell: until
   * `serverChangeConfirmed`, that throws `account_server_changed` and changes nothing. Where the
   * id is only unique on its server (`'server'`: a Mastodon account id), the same id elsewhere is
   * another account, saved as one.
   */
  upsertConnected(input: {
    profileId: string;
    platform: Account['platform'];
    remoteId: string;
    handle: string;
    service: string;
    displayName: string | null;
    limits?: Account['limits'];
    remoteIdScope?: 'platform' | 'server';
    serverChangeConfirmed?: boolean;
  }): { account: Account; updatedExisting: boolean } {
    const now = this.clock.now();
    const sameId = this.db
      .prepare('SELECT id, handle, service, deleted_at FROM accounts WHERE profile_id = +? AND platform = +? AND remote_id = +? ORDER BY deleted_at IS NOT NULL, updated_at DESC')
      .all(input.profileId, input.platform, input.remoteId) as Array<{ id: string; handle: string; service: string; deleted_at: number | null }>;
    let existing = sameId.find((row) => row.service === input.service);
    if (!existing && (input.remoteIdScope ?? 'platform') === 'platform' && sameId[0]) {
      const before = sameId[0];
      if (!input.serverChangeConfirmed) {
        throw new AppError('account_server_changed', `${before.handle} was connected through ${before.service}, and this sign-in came from ${input.service}.`, {
          action: `If the account moved to ${input.service}, connect anyway. If not, cancel: that server may be claiming an account that is not its own.`,
        });
      }
      existing = before;
    }
    const values = { ...input, now, limits: input.limits ? JSON.stringify(input.limits) : null };
    const id = existing?.id ?? crypto.randomUUID();
    if (existing) {
      this.db
        .prepare(
          `UPDATE accounts SET handle = @handle, service = @service, display_name = @displayName, status = 'connected', status_reason = NULL,
             next_action = NULL, checked_at = @now, updated_at = @now, deleted_at = NULL, limits = @limits WHERE id = @id`,
        )
        .run({ ...values, id });
    } else {
      this.db
        .prepare(
          `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, display_name, status, status_reason,
             next_action, checked_at, created_at, updated_at, deleted_at, limits)
           VALUES (@id, @profileId, @platform, @remoteId, @handle, @service, @displayName, 'connected', NULL, NULL, @now, @now, @now, NULL, @limits)`,
        )
        .run({ ...values, id });
    }
    return { account: this.find(input.profileId, id)!, updatedExisting: existing !== undefined && existing.deleted_at === null };
  }

  /** The account's picture (accountAvatars.ts), or none. */
  setAvatar(id: string, avatar: string | null): void {
    this.db.prepare('UPDATE accounts SET avatar = ?, updated_at = ? WHERE id = ?').run(avatar, this.clock.now(), id);
  }

  setStatus(id: string, status: AccountStatus, reason: string | null): void {
    const nextAction = status === 'connected' ? null : status === 'error' ? 'check' : 'reconnect';
    // A check that finds a sign-in working does not make it last longer: a connected account
    // whose sign-in ends soon (markSignInEnding) keeps its Reconnect until a new sign-in.
    this.db
      .prepare(
        `UPDATE accounts SET
           status_reason = CASE WHEN @status = 'connected' AND status = 'connected' AND next_action = 'reconnect' THEN status_reason ELSE @reason END,
           next_action = CASE WHEN @status = 'connected' AND status = 'connected' AND next_action = 'reconnect' THEN next_action ELSE @nextAction END,
           status = @status, checked_at = @now, updated_at = @now
         WHERE id = @id`,
      )
      .run({ status, reason, nextAction, now: this.clock.now(), id });
  }

  /**
   * A connected account whose sign-in will end and cannot be renewed without the user (LinkedIn's
   * 60 days): it still posts, and its next action is to reconnect, for why. A new sign-in
   * (upsertConnected) clears it.
   */
  markSignInEnding(id: string, reason: string): void {
    this.db
      .prepare(`UPDATE accounts SET status_reason = ?, next_action = 'reconnect', updated_at = ? WHERE id = ? AND status = 'connected'`)
      .run(reason, this.clock.now(), id);
  }

  /** Sets the most posts the account may publish in any rolling 30 days (X bills each one). */
  setSpendingCap(id: string, postsPer30Days: number): void {
    this.db.prepare('UPDATE accounts SET spending_cap = ?, updated_at = ? WHERE id = ?').run(postsPer30Days, this.clock.now(), id);
  }

  softDelete(id: string): void {
    this.db.prepare('UPDATE accounts SET deleted_at = ?, updated_at = ? WHERE id = ?').run(this.clock.now(), this.clock.now(), id);
  }

  /** Every account whose credentials are gone (the vault lost its key, or kept them only for a
   *  session that ended) must be reconnected. */
  markAllNeedingReauth(reason: string): void {
    this.db
      .prepare("UPDATE accounts SET status = 'needs_reauth', status_reason = ?, next_action = 'reconnect' WHERE deleted_at IS NULL")
      .run(reason);
  }
}
