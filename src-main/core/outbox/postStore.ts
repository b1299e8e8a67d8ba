// Posts and their targets in SQLite: the outbox and the history are the same rows. Every change
// of a target's state is one transaction, guarded by the state it leaves (a target is claimed
// only from `queued`, finished only from `publishing`), so two workers or a restart can never
// both act on it; a published target's remote id and link are written in the same statement as
// its state.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import crypto from 'node:crypto';
import type { BridgeError, Platform, Post, PostPhase, TargetStatus } from '../../../src-preload/contract';
import type { Statement } from 'better-sqlite3';
import { compareCodeUnits } from '../../../src-shared/codeUnitOrder';
import type { PostContent } from '../compose/postContent';
import { withoutFsync, type Db } from '../db/openDatabase';
import { AppError } from '../errors';
import type { PublishedPost } from '../platforms/adapter';
import { decodePageCursor, encodePageCursor } from '../db/pageCursor';
import { decodeCursor, encodeCursor, ftsMatchExpression } from './historyQuery';
import type { Schedule } from './schedule';

interface PostRow {
  id: string;
  profile_id: string;
  draft_id: string | null;
  text: string;
  created_at: number;
  content: string | null;
  scheduled_at: number | null;
  schedule_zone: string | null;
  schedule_local: string | null;
  started_at: number | null;
  missed: number;
  history_key: number;
}

type TargetWithAccount = TargetRow & { handle: string; platform: Post['targets'][number]['platform'] };

interface TargetRow {
  post_id: string;
  account_id: string;
  status: TargetStatus;
  uri: string | null;
  cid: string | null;
  url: string | null;
  error_code: string | null;
  error_message: string | null;
  error_action: string | null;
  error_retry_at: number | null;
  attempted_at: number;
  idempotency_key: string | null;
  attempts: number;
  next_attempt_at: number | null;
  /** JSON of TargetChain, for a target publishing a reply chain. */
  chain: string | null;
  /** JSON of PublishedPost[]: the chain's posts that went out, in order. */
  chain_published: string | null;
}

/** A reply chain as one target publishes it, cut when it was queued: every post's text, and an
 *  idempotency key for each reply (the first post has the target's own). */
export interface TargetChain {
  parts: string[];
  keys: string[];
}

/** A target ready for the worker, with what it needs to act. */
export interface DueTarget {
  postId: string;
  profileId: string;
  accountId: string;
  status: TargetStatus;
  attempts: number;
  idempotencyKey: string;
  attemptedAt: number;
  scheduledAt: number | null;
  startedAt: number | null;
  chain: TargetChain | null;
  /** The chain's posts already out, in order (none for a single post). */
  chainPublished: PublishedPost[];
}

/** States the user can still act on or the worker will still move. */
const openStates: TargetStatus[] = ['queued', 'publishing', 'failed_retryable', 'unknown'];

/** Below this many targets in a status, a History filtered by it starts from those targets (PostStore.page). */
const rareStatusTargets = 2_000;

/** Where each phase of a post that is not done stands in the Queue: what needs the user first. */
const queueUrgency: Record<Exclude<PostPhase, 'done'>, number> = { missed: 0, needs_attention: 1, sending: 2, scheduled: 3 };

/** What the worker reads of a target it may start (see toDueTarget). */
const dueColumns =
  't.post_id, t.account_id, t.status, t.attempts, t.idempotency_key, t.attempted_at, t.due_at, t.chain, t.chain_published, p.profile_id, p.scheduled_at, p.started_at';

/** What one page of the history asks for (see PostStore.page). */
export interface HistoryFilter {
  cursor?: string | null;
  limit: number;
  query?: string;
  accountIds?: string[];
  platforms?: Platform[];
  statuses?: TargetStatus[];
  /** created_at bounds, from inclusive, to exclusive. */
  from?: number;
  to?: number;
}

export class PostStore {
  // The worker's hot queries, prepared once.
  readonly #accountsWithOpenTargets: Statement;
  readonly #nextQueued: Statement;
  readonly #nextLookup: Statement;

  constructor(private readonly db: Db) {
    // Which of the two open states each account has, so only the walks that can find something
    // are made (the accounts are a handful; those with neither are dropped in code). One EXISTS per
    // status rather than `status IN (...)`: each is then a seek down post_targets_next_of_account,
    // where an IN list would be walked from a temporary b-tree opened (page cache and all) at
    // every look at the queue.
    this.#accountsWithOpenTargets = db.prepare(
      `SELECT a.id AS account_id,
         EXISTS (SELECT 1 FROM post_targets t WHERE t.account_id = a.id AND t.status = 'queued') AS queued,
         EXISTS (SELECT 1 FROM post_targets t WHERE t.account_id = a.id AND t.status = 'unknown') AS unknown
       FROM accounts a`,
    );
    this.#nextQueued = db.prepare(
      `SELECT ${dueColumns} FROM post_targets t JOIN posts p ON p.id = t.post_id
       WHERE t.account_id = +@accountId AND t.status = 'queued' AND t.due_at <= @now
         AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= @now) AND p.missed = 0 AND p.started_at IS NOT NULL
       ORDER BY t.due_at, t.post_id LIMIT 1`,
    );
    // INDEXED BY: the index by status finds the few unknown targets as fast, but then sorts them
    // in a temporary b-tree (a page cache allocated and freed at every look at the queue).
    this.#nextLookup = db.prepare(
      `SELECT ${dueColumns} FROM post_targets t INDEXED BY post_targets_next_of_account JOIN posts p ON p.id = t.post_id
       WHERE t.account_id = +@accountId AND t.status = 'unknown' AND t.next_attempt_at <= @now
       ORDER BY t.due_at, t.post_id LIMIT 1`,
    );
  }

  /** Adds a post with one queued target per account; `alsoInTransaction` (deleting the draft)
   *  commits with it, so the post is either in the drafts or in the outbox, never both or neither. */
  enqueue(
    input: {
      profileId: string;
      draftId: string;
      content: PostContent;
      targets: Array<{ accountId: string; idempotencyKey: string; chain?: TargetChain | null }>;
      schedule: Schedule | null;
      createdAt: number;
      postId?: string;
    },
    alsoInTransaction: () => void = () => {},
  ): string {
    const postId = input.postId ?? crypto.randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare(
          // The history key is given here, as the trigger would give it after the insert: one
          // write of the row and its indexes, not two. A key this cannot give (a 1,025th post in one
          // millisecond) is left to the trigger, which refuses it.
          `INSERT INTO posts (id, profile_id, draft_id, text, created_at, content, scheduled_at, schedule_zone, schedule_local, started_at, history_key)
           VALUES (@postId, @profileId, @draftId, @text, @createdAt, @content, @at, @zone, @local, @startedAt, (
             SELECT CASE WHEN latest IS NULL THEN @createdAt * 1024 WHEN latest + 1 < (@createdAt + 1) * 1024 THEN latest + 1 END
             FROM (SELECT MAX(history_key) AS latest FROM posts WHERE history_key >= @createdAt * 1024 AND history_key < (@createdAt + 1) * 1024)
           ))`,
        )
        .run({
          postId,
          profileId: input.profileId,
          draftId: input.draftId,
          text: input.content.text,
          createdAt: input.createdAt,
          content: JSON.stringify(input.content),
          at: input.schedule?.at ?? null,
          zone: input.schedule?.zone ?? null,
          local: input.schedule?.local ?? null,
          // A post for "now" has started; a scheduled one starts when its time is honoured.
          startedAt: input.schedule ? null : input.createdAt,
        });
      const insert = this.db.prepare(
        `INSERT INTO post_targets (post_id, account_id, status, idempotency_key, attempts, attempted_at, due_at, chain)
         VALUES (?, ?, 'queued', ?, 0, ?, ?, ?)`,
      );
      const dueAt = input.schedule?.at ?? input.createdAt;
      for (const target of input.targets) {
        insert.run(postId, target.accountId, target.idempotencyKey, input.createdAt, dueAt, target.chain ? JSON.stringify(target.chain) : null);
      }
      alsoInTransaction();
    })();
    return postId;
  }

  /**
   * Puts the posts added since the last call into the search index. The commit that queues a
   * post only lists it (see migration 0230): the index's pages stay out of that fsync, and this
   * runs once the outbox is quiet, before any search, and at start for whatever a crash left listed.
   */
  indexNewPosts(): void {
    if (this.db.prepare('SELECT 1 FROM posts_fts_pending LIMIT 1').get() === undefined) return;
    // Not fsynced: lost to a power cut, the posts are still listed, and indexed at the next start.
    withoutFsync(this.db, () => this.db.prepare('DELETE FROM posts_fts_pending').run());
  }

  content(postId: string): PostContent {
    const row = this.db.prepare('SELECT content FROM posts WHERE id = ?').get(postId) as { content: string | null } | undefined;
    if (!row?.content) throw new AppError('not_found', 'This post has no stored content to send (it was recorded before the outbox).');
    return JSON.parse(row.content) as PostContent;
  }

  /**
   * The next target of each account whose time has come: queued (its post started, any retry
   * time passed), or unknown with a lookup due. One per account, oldest first, so a long queue on
   * one account never holds back another's; `excludedAccounts` are busy or paused. Each account's
   * next target is one step down the (account, status, due_at) index, however long its queue.
   */
  dueTargets(now: number, limit: number, excludedAccounts: string[] = []): DueTarget[] {
    const excluded = new Set(excludedAccounts);
    const accounts = this.#accountsWithOpenTargets.all() as Array<{ account_id: string; queued: number; unknown: number }>;
    const due: Array<DueTarget & { dueAt: number }> = [];
    for (const { account_id: accountId, queued, unknown } of accounts) {
      if ((!queued && !unknown) || excluded.has(accountId)) continue;
      const candidates: Array<Record<string, unknown>> = [];
      const nextQueued = queued ? this.#nextQueued.get({ accountId, now }) : undefined;
      const nextLookup = unknown ? this.#nextLookup.get({ accountId, now }) : undefined;
      if (nextQueued) candidates.push(nextQueued as Record<string, unknown>);
      if (nextLookup) candidates.push(nextLookup as Record<string, unknown>);
      const first = candidates.sort((a, b) => (a.due_at as number) - (b.due_at as number))[0];
      if (first) due.push({ ...toDueTarget(first), dueAt: first.due_at as number });
    }
    return due
      .sort((a, b) => a.dueAt - b.dueAt || compareCodeUnits(a.postId, b.postId))
      .slice(0, limit)
      .map(({ dueAt: _dueAt, ...target }) => target);
  }

  /** Scheduled posts whose time has come and that have not started. */
  dueUnstarted(now: number): Array<{ postId: string; profileId: string; scheduledAt: number; zone: string }> {
    return (
      this.db
        .prepare(
          'SELECT id, profile_id, scheduled_at, schedule_zone FROM posts WHERE started_at IS NULL AND missed = 0 AND scheduled_at <= ?',
        )
        .all(now) as Array<{ id: string; profile_id: string; scheduled_at: number; schedule_zone: string }>
    ).map((row) => ({ postId: row.id, profileId: row.profile_id, scheduledAt: row.scheduled_at, zone: row.schedule_zone }));
  }

  /** When the worker next has something to do: the earliest schedule or retry time ahead. */
  nextWakeAt(now: number): number | undefined {
    // One statement, asked after every pump: per status (a seek down post_targets_by_status
    // each), not `status IN (...)`, which is walked from a temporary b-tree.
    const next = this.db
      .prepare(
        `SELECT MIN(at) AS at FROM (
           SELECT MIN(next_attempt_at) AS at FROM post_targets WHERE status = 'queued' AND next_attempt_at > @now
           UNION ALL SELECT MIN(next_attempt_at) FROM post_targets WHERE status = 'unknown' AND next_attempt_at > @now
           UNION ALL SELECT MIN(scheduled_at) FROM posts WHERE started_at IS NULL AND scheduled_at > @now AND missed = 0)`,
      )
      .get({ now }) as { at: number | null };
    return next.at ?? undefined;
  }

  /** One target, as the worker reads it. */
  target(postId: string, accountId: string): DueTarget | undefined {
    const row = this.db
      .prepare(`SELECT ${dueColumns} FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.post_id = +? AND t.account_id = +?`)
      .get(postId, accountId) as Record<string, unknown> | undefined;
    return row && toDueTarget(row);
  }

  /** Targets left `publishing` by a run that ended mid-request (a crash, a kill). */
  interrupted(): DueTarget[] {
    const rows = this.db
      .prepare(`SELECT ${dueColumns} FROM post_targets t JOIN posts p ON p.id = t.post_id WHERE t.status = 'publishing'`)
      .all() as Array<Record<string, unknown>>;
    return rows.map(toDueTarget);
  }

  /**
   * Gives every started queued target without an error this one (why it waits: offline). From
   * the queued targets (the status index) to their posts, never the other way: listing every
   * started post read the whole history into SQLite's cache at each pass while offline.
   */
  noteOffline(error: BridgeError): void {
    this.db
      .prepare(
        `UPDATE post_targets SET error_code = @code, error_message = @message, error_action = @action
         WHERE status = 'queued' AND error_code IS NULL
           AND EXISTS (SELECT 1 FROM posts p WHERE p.id = post_targets.post_id AND p.started_at IS NOT NULL)`,
      )
      .run({ code: error.code, message: error.message, action: error.action ?? null });
  }

  /**
   * Holds an account's waiting targets until `until` (its platform asked for a pause), saying why.
   * Kept in the rows, so a restart inside the pause honours it too.
   */
  holdAccount(accountId: string, until: number, reason: BridgeError): void {
    this.db
      .prepare(
        `UPDATE post_targets SET next_attempt_at = @until, error_code = @code, error_message = @message, error_action = @action,
           error_retry_at = @until
         WHERE account_id = @accountId AND status = 'queued' AND due_at < @until AND (next_attempt_at IS NULL OR next_attempt_at < @until)`,
      )
      .run({ accountId, until, code: reason.code, message: reason.message, action: reason.action ?? null });
  }

  /** Accounts whose waiting targets a rate limit still holds (a pause a restart must keep). */
  heldAccounts(now: number): Array<{ accountId: string; until: number; platform: Platform }> {
    return this.db
      .prepare(
        `SELECT t.account_id AS accountId, MAX(t.next_attempt_at) AS until, a.platform FROM post_targets t JOIN accounts a ON a.id = t.account_id
         WHERE t.status = 'queued' AND t.error_code = 'rate_limited' AND t.next_attempt_at > ? GROUP BY t.account_id`,
      )
      .all(now) as Array<{ accountId: string; until: number; platform: Platform }>;
  }

  /** Records that a scheduled post's time was honoured. */
  markStarted(postId: string, now: number): void {
    this.db.prepare('UPDATE posts SET started_at = ? WHERE id = ? AND started_at IS NULL').run(now, postId);
  }

  /** Holds a scheduled post whose time passed while nothing ran, until the user decides. */
  markMissed(postId: string): void {
    this.db.prepare('UPDATE posts SET missed = 1 WHERE id = ? AND started_at IS NULL').run(postId);
  }

  clearMissed(postId: string): void {
    this.db.prepare('UPDATE posts SET missed = 0 WHERE id = ?').run(postId);
  }

  /** Cancels the targets of a post that are still waiting their turn. */
  cancelQueued(postId: string): void {
    this.db
      .prepare("UPDATE post_targets SET status = 'cancelled', next_attempt_at = NULL WHERE post_id = ? AND status = 'queued'")
      .run(postId);
  }

  /** queued → publishing, counting the attempt. False when another worker took it first. */
  claim(postId: string, accountId: string, now: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE post_targets SET status = 'publishing', attempts = attempts + 1, attempted_at = ?, next_attempt_at = NULL
           WHERE post_id = ? AND account_id = ? AND status = 'queued'`,
        )
        .run(now, postId, accountId).changes === 1
    );
  }

  /** The upload handle the target's adapter saved on an earlier attempt (see saveUploadHandle). */
  uploadHandle(postId: string, accountId: string): unknown {
    const row = this.db.prepare('SELECT upload_handle FROM post_targets WHERE post_id = ? AND account_id = ?').get(postId, accountId) as
      | { upload_handle: string | null }
      | undefined;
    return row?.upload_handle ? (JSON.parse(row.upload_handle) as unknown) : null;
  }

  /**
   * Keeps what an adapter needs to continue or settle an upload (a session address, a publish id),
   * fsynced: the adapter awaits it before the first byte, so no upload is ever under way that a
   * restart could not find again.
   */
  saveUploadHandle(postId: string, accountId: string, handle: unknown): void {
    this.db
      .prepare("UPDATE post_targets SET upload_handle = ? WHERE post_id = ? AND account_id = ? AND status = 'publishing'")
      .run(handle === null ? null : JSON.stringify(handle), postId, accountId);
  }

  /** publishing or unknown → published, with the platform's id and link in the same write. */
  markPublished(postId: string, accountId: string, published: PublishedPost, now: number): void {
    // The one state change that need not be on disk before the next: lost to a power cut, the
    // target is back in `publishing` (or `unknown`), which a restart settles as it settles a crash
    // mid-request (look the post up, re-send under the same key, or ask), never by sending
    // blindly. What must be durable before a request leaves (the post queued, the target claimed)
    // is fsynced.
    withoutFsync(this.db, () =>
      this.db
        .prepare(
          `UPDATE post_targets SET status = 'published', uri = ?, cid = ?, url = ?, error_code = NULL, error_message = NULL,
             error_action = NULL, error_retry_at = NULL, next_attempt_at = NULL, attempted_at = ?, upload_handle = NULL
           WHERE post_id = ? AND account_id = ? AND status IN ('publishing', 'unknown')`,
        )
        .run(published.uri, published.cid, published.url, now, postId, accountId),
    );
  }

  /**
   * Records one post of a reply chain as out, before the next one leaves; durable (unlike the
   * final markPublished), since the next post replies to this one and a restart must know it.
   * The upload handle was that post's: the next starts without one. Attempts count per post: the
   * claim under way becomes the next post's first attempt.
   */
  markChainPartPublished(postId: string, accountId: string, published: PublishedPost): void {
    this.db
      .prepare(
        `UPDATE post_targets SET chain_published = json_insert(COALESCE(chain_published, '[]'), '$[#]', json(@part)), upload_handle = NULL,
           attempts = 1, error_code = NULL, error_message = NULL, error_action = NULL, error_retry_at = NULL
         WHERE post_id = @postId AND account_id = @accountId AND status IN ('publishing', 'unknown')`,
      )
      .run({ part: JSON.stringify({ uri: published.uri, cid: published.cid, url: published.url }), postId, accountId });
  }

  /**
   * Moves a target from one of `from` to `to`, with the error that put it there (none clears it,
   * unless `keepError`). False when the target was in none of `from` (someone else moved it).
   */
  setState(
    postId: string,
    accountId: string,
    change: {
      from: TargetStatus[];
      to: TargetStatus;
      error?: BridgeError | null;
      keepError?: boolean;
      nextAttemptAt?: number | null;
      /** Back to no attempts (Retry). */
      resetAttempts?: boolean;
      /** The claimed attempt never left this computer: it does not count. */
      refundAttempt?: boolean;
    },
  ): boolean {
    const error = change.error;
    const attempts = change.resetAttempts ? '0' : change.refundAttempt ? 'MAX(attempts - 1, 0)' : 'attempts';
    const errorColumns = change.keepError
      ? ''
      : ', error_code = @code, error_message = @message, error_action = @action, error_retry_at = @retryAt';
    // A cancelled target will never continue its upload: its session address goes with it.
    const handleColumn = change.to === 'cancelled' ? ', upload_handle = NULL' : '';
    return (
      this.db
        .prepare(
          `UPDATE post_targets SET status = @to, next_attempt_at = @next, attempts = ${attempts} ${errorColumns}${handleColumn}
           WHERE post_id = @postId AND account_id = @accountId AND status IN (SELECT value FROM json_each(@from))`,
        )
        .run({
          to: change.to,
          next: change.nextAttemptAt ?? null,
          ...(change.keepError
            ? {}
            : {
                code: error?.code ?? null,
                message: error?.message ?? null,
                action: error?.action ?? null,
                retryAt: error?.retryAt ?? null,
              }),
          postId,
          accountId,
          from: JSON.stringify(change.from),
        }).changes === 1
    );
  }

  /** Changes several targets of one post in one transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  reschedule(postId: string, schedule: Schedule): void {
    this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE posts SET scheduled_at = ?, schedule_zone = ?, schedule_local = ?, missed = 0 WHERE id = ? AND started_at IS NULL')
        .run(schedule.at, schedule.zone, schedule.local, postId).changes;
      if (changed) this.db.prepare('UPDATE post_targets SET due_at = ? WHERE post_id = ?').run(schedule.at, postId);
    })();
  }

  /** Deletes a post that never started (it went back to the drafts). */
  deleteUnstarted(postId: string): void {
    this.db.transaction(() => {
      const post = this.db.prepare('SELECT started_at FROM posts WHERE id = ?').get(postId) as { started_at: number | null } | undefined;
      const busy = this.db.prepare("SELECT COUNT(*) AS n FROM post_targets WHERE post_id = ? AND status <> 'queued'").get(postId) as {
        n: number;
      };
      if (!post || post.started_at !== null || busy.n > 0)
        throw new AppError('invalid_input', 'This post has started going out; it can no longer be edited.');
      this.db.prepare('DELETE FROM posts WHERE id = ?').run(postId);
    })();
  }

  list(profileId: string, options: { openOnly?: boolean; limit?: number } = {}): Post[] {
    const where = options.openOnly
      ? `AND EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.status IN (${openStates.map((s) => `'${s}'`).join(', ')}))`
      : '';
    const posts = this.db
      .prepare(`SELECT p.* FROM posts p WHERE p.profile_id = +? ${where} ORDER BY COALESCE(p.scheduled_at, p.created_at) DESC LIMIT +?`)
      // History shows the latest 500; the queue shows everything still waiting, however much.
      .all(profileId, options.limit ?? (options.openOnly ? -1 : 500)) as PostRow[];
    return posts.map((post) => this.#toPost(post));
  }

  /**
   * One page of the Queue: the profile's posts that are not done, most urgent first (a missed
   * time, then a target that failed or whose fate is unknown, then going out, then scheduled),
   * then by the time each is due, keyset-paged on (urgency, due, id); `waiting` counts them all
   * (the window title). Two walks, neither reading more than a page: the posts that started or
   * missed their time are found from their targets (the few being sent, failed, unknown, or
   * queued and due: the (status, due_at) index), the scheduled ones down posts_unstarted in the
   * order they are due. Thousands of scheduled posts cost what fifty do.
   */
  queuePage(profileId: string, options: { cursor?: string | null; limit: number; now: number }): { posts: Post[]; nextCursor: string | null; waiting: number } {
    const after = options.cursor ? decodePageCursor(options.cursor, ['integer', 'integer', 'string'], 'queue') : ([-1, 0, ''] as const);
    const [afterUrgency, afterDue, afterId] = after;
    const rows: Array<PostRow & { due: number; urgency: number }> = [];
    const wanted = options.limit + 1;
    if (afterUrgency < queueUrgency.scheduled) {
      rows.push(
        ...(this.db
          .prepare(
            `SELECT * FROM (
               SELECT p.*, COALESCE(p.scheduled_at, p.created_at) AS due,
                 CASE WHEN p.missed = 1 THEN ${queueUrgency.missed}
                      WHEN EXISTS (SELECT 1 FROM post_targets a WHERE a.post_id = p.id AND a.status IN ('failed_retryable', 'unknown')) THEN ${queueUrgency.needs_attention}
                      ELSE ${queueUrgency.sending} END AS urgency
               FROM (
                 SELECT post_id FROM post_targets WHERE status IN ('publishing', 'failed_retryable', 'unknown')
                 UNION SELECT post_id FROM post_targets WHERE status = 'queued' AND due_at <= @now
               -- CROSS JOIN: from those few targets to their posts, never the other way round.
               ) o CROSS JOIN posts p ON p.id = o.post_id
               WHERE p.profile_id = +@profileId AND (p.missed = 1 OR p.started_at IS NOT NULL)
             ) WHERE (urgency, due, id) > (@afterUrgency, @afterDue, @afterId)
             ORDER BY urgency, due, id LIMIT +@wanted`,
          )
          .all({ profileId, now: options.now, afterUrgency, afterDue, afterId, wanted }) as Array<PostRow & { due: number; urgency: number }>),
      );
    }
    if (rows.length < wanted) {
      const fromStart = afterUrgency < queueUrgency.scheduled;
      rows.push(
        ...(this.db
          .prepare(
            `SELECT p.*, p.scheduled_at AS due, ${queueUrgency.scheduled} AS urgency FROM posts p
             WHERE p.started_at IS NULL AND p.missed = 0 AND p.profile_id = +@profileId
               ${fromStart ? '' : 'AND (p.scheduled_at, p.id) > (@afterDue, @afterId)'}
               AND EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.status IN (${openStates.map((s) => `'${s}'`).join(', ')}))
             ORDER BY p.scheduled_at, p.id LIMIT +@wanted`,
          )
          .all({ profileId, wanted: wanted - rows.length, ...(fromStart ? {} : { afterDue, afterId }) }) as Array<PostRow & { due: number; urgency: number }>),
      );
    }
    const more = rows.length > options.limit;
    const shown = more ? rows.slice(0, options.limit) : rows;
    const last = shown[shown.length - 1];
    return {
      posts: shown.map((post) => this.#toPost(post)),
      nextCursor: more && last ? encodePageCursor([last.urgency, last.due, last.id]) : null,
      waiting: this.waitingCount(profileId),
    };
  }

  /**
   * One page of the history, newest first: keyset pagination on the posts' history key (created_at
   * and the order within a millisecond, migration 0190), so each page is one seek down
   * posts_by_profile however deep the user scrolls, and a post added meanwhile never shifts a
   * later page (it is newer than the cursor). A search walks the full-text index newest first
   * (its rowids are the history keys) and stops at a full page, so a word in thousands of posts
   * costs what a rare one does. The filters combine (all must hold); a target filter holds when
   * some target of the post matches every target filter given.
   */
  page(profileId: string, filter: HistoryFilter): { posts: Post[]; nextCursor: string | null } {
    const params: Record<string, unknown> = { profileId, limit: filter.limit + 1 };
    let from = 'posts p';
    let key = 'p.history_key';
    const where = ['p.profile_id = +@profileId'];
    const statuses = filter.statuses?.length ? JSON.stringify(filter.statuses) : undefined;
    if (statuses) params.statuses = statuses;
    // A status few targets have (failed, unknown, cancelled: a handful in a long history) would
    // leave a walk down the history or the index finding a page only after thousands of posts.
    // Then the walk starts from those targets (the status index), and sorts the few posts found.
    const rareStatus = statuses !== undefined && this.#fewTargetsIn(statuses);
    if (rareStatus) {
      from = `(SELECT DISTINCT post_id FROM post_targets WHERE status IN (SELECT value FROM json_each(@statuses))) o
              CROSS JOIN posts p ON p.id = o.post_id`;
    }
    if (filter.query !== undefined && filter.query.trim() !== '') {
      this.indexNewPosts();
      const match = ftsMatchExpression(filter.query);
      // Something typed with no word in it finds nothing, rather than everything.
      if (match === null) return { posts: [], nextCursor: null };
      params.match = match;
      if (rareStatus) {
        where.push('p.history_key IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH @match)');
      } else {
        // CROSS JOIN keeps the index outermost: its rowid order is the page's order.
        from = 'posts_fts f CROSS JOIN posts p ON p.profile_id = +@profileId AND p.history_key = f.rowid';
        key = 'f.rowid';
        where.push('posts_fts MATCH @match');
      }
    }
    if (filter.cursor) {
      where.push(`${key} < @cursor`);
      params.cursor = decodeCursor(filter.cursor);
    }
    // created_at bounds as key bounds: a millisecond's keys are created_at × 1024 and the 1023 above.
    if (filter.from !== undefined) {
      where.push(`${key} >= @from * 1024`);
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      where.push(`${key} < @to * 1024`);
      params.to = filter.to;
    }
    const targetConditions: string[] = [];
    if (filter.accountIds?.length) {
      targetConditions.push('t.account_id IN (SELECT value FROM json_each(@accountIds))');
      params.accountIds = JSON.stringify(filter.accountIds);
    }
    if (filter.platforms?.length) {
      targetConditions.push('t.account_id IN (SELECT id FROM accounts WHERE platform IN (SELECT value FROM json_each(@platforms)))');
      params.platforms = JSON.stringify(filter.platforms);
    }
    if (filter.statuses?.length) targetConditions.push('t.status IN (SELECT value FROM json_each(@statuses))');
    if (targetConditions.length > 0) {
      where.push(`EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND ${targetConditions.join(' AND ')})`);
    }
    const rows = this.db
      .prepare(`SELECT p.* FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${key} DESC LIMIT +@limit`)
      .all(params) as PostRow[];
    const more = rows.length > filter.limit;
    const shown = more ? rows.slice(0, filter.limit) : rows;
    const last = shown[shown.length - 1];
    return {
      posts: shown.map((post) => this.#toPost(post)),
      nextCursor: more && last ? encodeCursor(last.history_key) : null,
    };
  }

  /** Whether fewer than rareStatusTargets targets (of any profile) are in these states: a bounded count. */
  #fewTargetsIn(statuses: string): boolean {
    const found = this.db
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM post_targets WHERE status IN (SELECT value FROM json_each(@statuses)) LIMIT +@bound)',
      )
      .get({ statuses, bound: rareStatusTargets }) as { n: number };
    return found.n < rareStatusTargets;
  }

  get(profileId: string, postId: string): Post | undefined {
    // Not the stored content (what a post sends, variants and all): a Post does not carry it.
    const post = this.db
      .prepare(
        `SELECT id, profile_id, draft_id, text, created_at, scheduled_at, schedule_zone, schedule_local, started_at, missed, history_key
         FROM posts WHERE id = ? AND profile_id = ?`,
      )
      .get(postId, profileId) as Omit<PostRow, 'content'> | undefined;
    return post && this.#toPost(post);
  }

  /** Whether some target of the post may still be sent, now or by a Retry: it needs its files. */
  needsFiles(postId: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM post_targets WHERE post_id = ? AND status NOT IN ('published', 'cancelled') LIMIT 1").get(postId) !==
      undefined
    );
  }

  /** How many of the profile's posts are not done (the window title shows it). */
  waitingCount(profileId: string): number {
    return (
      this.db
        .prepare(
          // From the open targets (the status index), not from the profile's posts: the count is
          // asked at every change of the outbox, and a profile's history may be 50,000 posts.
          `SELECT COUNT(*) AS n FROM (SELECT DISTINCT post_id FROM post_targets WHERE status IN (${openStates.map((s) => `'${s}'`).join(', ')})) o
           CROSS JOIN posts p ON p.id = o.post_id WHERE p.profile_id = +?`,
        )
        .get(profileId) as { n: number }
    ).n;
  }

  #toPost(post: Omit<PostRow, 'content'>): Post {
    const targets = (
      this.db
        .prepare(`SELECT t.*, a.handle, a.platform FROM post_targets t JOIN accounts a ON a.id = t.account_id WHERE t.post_id = +?`)
        .all(post.id) as TargetWithAccount[]
    )
      // By handle, sorted here: a post's few targets, where ORDER BY would open a temporary b-tree
      // (no index gives the accounts' handles in the targets' order) at every read of a post.
      .sort((a, b) => compareCodeUnits(a.handle, b.handle))
      .map(postTargetOf);
    return {
      id: post.id,
      draftId: post.draft_id,
      text: post.text,
      createdAt: post.created_at,
      phase: phaseOf(
        post,
        targets.map((t) => t.status),
      ),
      scheduledAt: post.scheduled_at,
      scheduleZone: post.schedule_zone,
      scheduleLocal: post.schedule_local,
      targets,
    };
  }
}

export function phaseOf(post: Pick<PostRow, 'missed' | 'started_at'>, states: TargetStatus[]): PostPhase {
  if (states.every((s) => s === 'published' || s === 'failed_permanent' || s === 'cancelled')) return 'done';
  if (post.missed) return 'missed';
  if (post.started_at === null) return 'scheduled';
  if (states.some((s) => s === 'failed_retryable' || s === 'unknown')) return 'needs_attention';
  return 'sending';
}

function toDueTarget(row: Record<string, unknown>): DueTarget {
  return {
    postId: row.post_id as string,
    profileId: row.profile_id as string,
    accountId: row.account_id as string,
    status: row.status as TargetStatus,
    attempts: row.attempts as number,
    // Targets recorded before the outbox have none; they are final and never sent again.
    idempotencyKey: (row.idempotency_key as string | null) ?? `${row.post_id as string}:${row.account_id as string}`,
    attemptedAt: row.attempted_at as number,
    scheduledAt: row.scheduled_at as number | null,
    startedAt: row.started_at as number | null,
    chain: row.chain ? (JSON.parse(row.chain as string) as TargetChain) : null,
    chainPublished: row.chain_published ? (JSON.parse(row.chain_published as string) as PublishedPost[]) : [],
  };
}

/** The columns a Post's target is made of: the target's own and its account's handle and platform. */
export type PostTargetRow = Omit<TargetWithAccount, 'post_id' | 'cid' | 'idempotency_key'>;

/** A target as a Post carries it, from its row and its account's handle and platform. */
export function postTargetOf(t: PostTargetRow): Post['targets'][number] {
  return {
    accountId: t.account_id,
    handle: t.handle,
    platform: t.platform,
    status: t.status,
    uri: t.uri,
    url: t.url,
    error: t.error_code ? targetError(t) : null,
    attemptedAt: t.attempted_at,
    attempts: t.attempts,
    nextAttemptAt: t.next_attempt_at,
    progress: null,
    chain: chainProgress(t),
  };
}

/** How far a target's reply chain got; null for a single post. */
export function chainProgress(row: Pick<TargetRow, 'chain' | 'chain_published' | 'status'>): Post['targets'][number]['chain'] {
  if (!row.chain) return null;
  const total = (JSON.parse(row.chain) as TargetChain).parts.length;
  const published = row.status === 'published' ? total : row.chain_published ? (JSON.parse(row.chain_published) as unknown[]).length : 0;
  return { published, total };
}

export function targetError(row: Pick<TargetRow, 'error_code' | 'error_message' | 'error_action' | 'error_retry_at'>): BridgeError {
  const error: BridgeError = { code: row.error_code as BridgeError['code'], message: row.error_message ?? '' };
  if (row.error_action) error.action = row.error_action;
  if (row.error_retry_at !== null) error.retryAt = row.error_retry_at;
  return error;
}
