// The outbox worker: publishes queued targets when their time comes, concurrently across accounts
// (bounded) and one at a time per account, resumes after a restart, holds targets while offline or
// while their account needs reconnecting, retries with backoff, and never re-sends a request that
// may already have reached a platform unless the platform dedupes it or can be asked.
//
// State lives in SQLite only (PostStore): this class keeps nothing a restart would need. What it
// keeps in memory is which accounts are busy now, and which are paused by a rate limit.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Account, MissedSchedulePolicy, Platform, Post } from '../../../src-preload/contract';
import { partsFor, type PartsTarget } from '../../../src-shared/compose/postParts';
import { platformRules } from '../../../src-shared/platforms';
import type { AccountStore } from '../accounts/accountStore';
import type { ComposeService } from '../compose/composeService';
import type { DraftStore } from '../compose/draftStore';
import type { TargetUploadProgress } from '../coreEvents';
import { AppError } from '../errors';
import { fileRangeBody, fileUnreadable } from '../http/fileRangeBody';
import { findAppError } from '../http/httpClient';
import type { Logger } from '../log/logger';
import { systemTimers, type Timers } from '../oauth/refreshScheduler';
import { unidentifiable, type OutgoingImage, type OutgoingPost, type PlatformAdapter, type PostReference, type PublishedPost } from '../platforms/adapter';
import type { PostContent } from '../compose/postContent';
import type { Clock, NetworkState, Notifier } from '../ports';
import { backoffDelay, defaultRetryPolicy, judgeFailure, type RetryPolicy } from './retryPolicy';
import type { DueTarget, PostStore, TargetChain } from './postStore';
import { formatInZone, scheduleAt } from './schedule';
import type { UploadProgress } from './uploadProgress';

export interface OutboxDeps {
  store: PostStore;
  compose: ComposeService;
  drafts: DraftStore;
  accounts: AccountStore;
  adapters: Record<Platform, PlatformAdapter>;
  network: NetworkState;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  /** Where each post keeps its copy of its files: `<postsMediaDir>/<postId>/`. */
  postsMediaDir: string;
  missedSchedulePolicy(): MissedSchedulePolicy;
  onChanged(profileId: string): void;
  /** Bytes sent of each uploading target, for the posts the bridge shows (in memory only). */
  progress: UploadProgress;
  /** A target's upload moved on: not a change of the post (`onChanged`), only of its bar. */
  onProgress(profileId: string, progress: TargetUploadProgress): void;
  onAccountChanged(account: Account): void;
  /** True while the vault cannot be read (its key store is locked): nothing is attempted, since
   *  no sign-in can be read, and the targets wait instead of failing. Wake the outbox once it opens. */
  vaultLocked(): boolean;
  timers?: Timers;
  policy?: RetryPolicy;
  /** Targets in flight at once, across accounts (default 16: ten accounts go out together). */
  concurrency?: number;
  /** A schedule later than this when first seen was missed (closed, asleep), not merely busy. */
  missedGraceMs?: number;
  /** The longest the worker sleeps without looking again (clock changes, sleep). */
  maxSleepMs?: number;
}

const offlineError = new AppError('network_unreachable', 'This computer is offline.', {
  action: 'It goes out by itself when you are back online.',
}).toBridge();

const vaultLockedError = new AppError('vault_locked', 'Your sign-ins are locked, so nothing can be sent yet.', {
  action: 'It goes out by itself once Settings → Sign-in storage opens them again.',
}).toBridge();

const pausedError = (platform: Platform, until: number) =>
  new AppError('rate_limited', `${platformRules[platform].name} allows no more requests from this account until its rate limit resets.`, {
    action: 'It goes out by itself then.',
    retryAt: until,
  }).toBridge();

/** How long lookups of an `unknown` target go on before the user is asked. */
const lookupWindowMs = 60 * 60 * 1000;

/** How long the outbox waits after the last post it queued before it adds the new posts to the
 *  search index (a search adds them itself first, so none is ever missing from its results). */
const indexAfterIdleMs = 1_000;

export class Outbox {
  readonly #busyAccounts = new Set<string>();
  /** Accounts a rate limit holds, until when, and their platform (to say whose limit it is). */
  readonly #paused = new Map<string, { until: number; platform: Platform }>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #timers: Timers;
  readonly #policy: RetryPolicy;
  #timer: unknown;
  #indexTimer: unknown;
  #running = false;
  /** Counts pumps, so a pump asked for later can tell whether one has run since. */
  #pumps = 0;
  #pumpsWhenAsked = 0;
  #pumpPending = false;
  #unsubscribeNetwork: (() => void) | undefined;

  constructor(private readonly deps: OutboxDeps) {
    this.#timers = deps.timers ?? systemTimers;
    this.#policy = deps.policy ?? defaultRetryPolicy;
  }

  /** Resumes: settles what a previous run left mid-request, then publishes what is due. */
  start(): void {
    this.#running = true;
    for (const { accountId, ...pause } of this.deps.store.heldAccounts(this.deps.clock.now())) this.#paused.set(accountId, pause);
    this.#recoverInterrupted();
    this.deps.store.indexNewPosts();
    this.#sweepMedia();
    this.#unsubscribeNetwork = this.deps.network.onChange?.(() => this.wake());
    this.wake();
  }

  stop(): void {
    this.#running = false;
    this.#unsubscribeNetwork?.();
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#indexTimer !== undefined) {
      this.#timers.clearTimeout(this.#indexTimer);
      this.#indexTimer = undefined;
      this.#indexNewPosts();
    }
  }

  /** Looks for due work now (a new post, the network back, a retry time reached). */
  wake(): void {
    if (!this.#running) return;
    this.#pump();
  }

  /** Whether a request to a platform is under way right now (its outcome is not known yet). */
  isSending(): boolean {
    return this.#inFlight.size > 0;
  }

  /** Resolves when nothing is in flight and nothing due could start (tests, benchmarks, quit). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#pumpPending) {
      if (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Moves a draft into the outbox: preflight, a copy of its content and files, one queued target
   * per account with its idempotency key, and the draft deleted, all in one transaction.
   */
  enqueue(profileId: string, draftId: string, schedule: { local: string; zone: string } | null): string {
    const entry = this.#entry(profileId, draftId, schedule);
    entry.write();
    entry.written();
    return entry.postId;
  }

  /** Queues the draft for now and waits for the first attempt of each target that could start. */
  async publishNow(profileId: string, draftId: string): Promise<Post> {
    const entry = this.#entry(profileId, draftId, null);
    // The post enters the outbox in the same commit that claims its targets: one fsync before the
    // requests leave, not two. A crash after it is recovered like any claimed target.
    const started = this.#pump(entry.write);
    // The rest (the draft's files, the log, the announcement) is not needed for the requests:
    // it runs once they have left, while the platforms answer.
    const written = new Promise<void>((resolve) =>
      setImmediate(() => {
        try {
          entry.written();
        } catch (error) {
          this.deps.log.error('Tidying after queueing a post failed', { post: entry.postId, error });
        }
        resolve();
      }),
    );
    await Promise.allSettled([written, ...started.filter((s) => s.postId === entry.postId).map((s) => s.attempt)]);
    return this.#post(profileId, entry.postId);
  }

  /**
   * Everything of enqueue that can fail before the database is touched (preflight, the time, the
   * copy of the files), then `write` (the rows, in a transaction of their own or the caller's)
   * and `written` (what follows once they are committed).
   */
  #entry(profileId: string, draftId: string, schedule: { local: string; zone: string } | null) {
    const { issues, accounts, copyTo } = this.deps.compose.prepareSend(profileId, draftId);
    if (issues.length > 0) {
      throw new AppError('preflight_failed', issues.map((i) => `${i.ruleId}: ${i.message}`).join(' '), {
        action: 'Fix what the composer points out, then publish again.',
      });
    }
    const now = this.deps.clock.now();
    const when = schedule ? scheduleAt(schedule.local, schedule.zone) : null;
    if (when && when.at <= now) {
      throw new AppError('invalid_input', `${formatInZone(when.at, when.zone)} has already passed.`, {
        action: 'Choose a later time, or publish now.',
      });
    }
    const postId = crypto.randomUUID();
    const content = copyTo(this.#mediaDir(postId));
    return {
      postId,
      write: () => {
        try {
          this.deps.store.enqueue(
            {
              postId,
              profileId,
              draftId,
              content,
              schedule: when,
              createdAt: now,
              targets: accounts.map((account) => ({
                accountId: account.id,
                idempotencyKey: this.#newKey(account),
                chain: this.#chainFor(content, account),
              })),
            },
            () => this.deps.drafts.delete(profileId, draftId),
          );
        } catch (error) {
          // Not queued: the draft is untouched, and the copy of its files goes.
          fs.rmSync(this.#mediaDir(postId), { recursive: true, force: true });
          throw error;
        }
      },
      written: () => {
        this.#indexWhenIdle();
        this.deps.compose.removeMedia(draftId);
        this.deps.log.info('Post queued', { post: postId, targets: accounts.length, scheduled: when !== null });
        this.deps.onChanged(profileId);
      },
    };
  }

  schedule(profileId: string, draftId: string, schedule: { local: string; zone: string }): Post {
    const postId = this.enqueue(profileId, draftId, schedule);
    this.wake();
    return this.#post(profileId, postId);
  }

  /** Cancels every target not gone out yet (one being sent right now finishes). */
  cancel(profileId: string, postId: string): Post {
    const post = this.#post(profileId, postId);
    this.deps.store.transaction(() => {
      for (const target of post.targets) {
        this.deps.store.setState(postId, target.accountId, { from: ['queued', 'failed_retryable', 'unknown'], to: 'cancelled' });
      }
      this.deps.store.clearMissed(postId);
    });
    return this.#changed(profileId, postId);
  }

  reschedule(profileId: string, postId: string, schedule: { local: string; zone: string }): Post {
    const post = this.#post(profileId, postId);
    const when = scheduleAt(schedule.local, schedule.zone);
    if (post.phase !== 'scheduled' && post.phase !== 'missed')
      throw new AppError('invalid_input', 'This post has started going out; its time can no longer change.');
    if (when.at <= this.deps.clock.now()) {
      throw new AppError('invalid_input', `${formatInZone(when.at, when.zone)} has already passed.`, { action: 'Choose a later time.' });
    }
    this.deps.store.reschedule(postId, when);
    const changed = this.#changed(profileId, postId);
    this.wake();
    return changed;
  }

  /** A scheduled post goes back to the drafts (same text, files and accounts) to be edited. */
  backToDraft(profileId: string, postId: string): string {
    const post = this.#post(profileId, postId);
    if (post.phase !== 'scheduled' && post.phase !== 'missed')
      throw new AppError('invalid_input', 'This post has started going out; it can no longer be edited.');
    const content = this.deps.store.content(postId);
    const draftId = this.deps.store.transaction(() => {
      const id = this.deps.compose.restoreDraft(
        profileId,
        content,
        this.#mediaDir(postId),
        post.targets.map((t) => t.accountId),
      );
      this.deps.store.deleteUnstarted(postId);
      return id;
    });
    fs.rmSync(this.#mediaDir(postId), { recursive: true, force: true });
    this.deps.onChanged(profileId);
    return draftId;
  }

  /** Queues the failed targets again, and only those; the published ones are never touched. */
  retry(profileId: string, postId: string): Post {
    const post = this.#post(profileId, postId);
    this.deps.store.content(postId); // a post from before the outbox has nothing to send again
    this.deps.store.transaction(() => {
      for (const target of post.targets) {
        this.deps.store.setState(postId, target.accountId, {
          from: ['failed_retryable', 'failed_permanent'],
          to: 'queued',
          resetAttempts: true,
        });
      }
    });
    const changed = this.#changed(profileId, postId);
    this.wake();
    return changed;
  }

  resolveUnknown(profileId: string, postId: string, accountId: string, resolution: 'was_published' | 'send_again'): Post {
    this.#post(profileId, postId);
    if (resolution === 'was_published') {
      const target = this.deps.store.target(postId, accountId);
      // The user saw it there, but Localpost has no id for it: the chain's next post answers the
      // latest post it knows.
      if (target) this.#foundPublished(target, { uri: null, cid: null, url: null });
    } else {
      this.deps.store.setState(postId, accountId, { from: ['unknown'], to: 'queued' });
    }
    const changed = this.#changed(profileId, postId);
    this.wake();
    return changed;
  }

  decideMissed(profileId: string, postId: string, decision: 'publish' | 'skip'): Post {
    const post = this.#post(profileId, postId);
    if (post.phase !== 'missed') throw new AppError('invalid_input', 'This post is not waiting for a decision.');
    if (decision === 'skip') return this.cancel(profileId, postId);
    this.deps.store.transaction(() => {
      this.deps.store.clearMissed(postId);
      this.deps.store.markStarted(postId, this.deps.clock.now());
    });
    const changed = this.#changed(profileId, postId);
    this.wake();
    return changed;
  }

  // ------------------------------------------------------------------------------------------

  /**
   * A pump once the current turn of the event loop is over, so whoever waits on the attempt that
   * asked for it (a publish's caller) has its answer first; skipped when a pump runs meanwhile (the
   * next publish), as that one saw everything this one would have.
   */
  #pumpSoon(): void {
    this.#pumpsWhenAsked = this.#pumps;
    if (this.#pumpPending) return;
    this.#pumpPending = true;
    setImmediate(() => {
      this.#pumpPending = false;
      if (this.#pumps === this.#pumpsWhenAsked) this.#pump();
    });
  }

  /**
   * Starts every due target it can, up to the concurrency bound, one per account. The targets are
   * claimed in one transaction, however many go out, with `alongside` (publishNow's new post) in
   * it too. Returns the attempts it started.
   */
  #pump(alongside?: () => void): Array<{ postId: string; attempt: Promise<void> }> {
    this.#pumps++;
    if (!this.#running) {
      alongside?.();
      return [];
    }
    const now = this.deps.clock.now();
    this.#startDueSchedules(now);
    const { claimed, gone } = this.deps.store.transaction(() => {
      alongside?.();
      return this.#claimDue(now);
    });
    for (const target of gone) this.#settled(target);
    const started = claimed.map(({ target, account }) => ({ postId: target.postId, attempt: this.#start(target, account) }));
    this.#arm(now);
    return started;
  }

  /**
   * Claims what may start now: the next due target of each account that is not busy or paused,
   * up to the bound. A queued target becomes `publishing` here, before its request leaves; an
   * `unknown` one is only looked up. `gone`: targets whose account was disconnected meanwhile.
   */
  #claimDue(now: number): { claimed: Array<{ target: DueTarget; account: Account }>; gone: DueTarget[] } {
    const claimed: Array<{ target: DueTarget; account: Account }> = [];
    const gone: DueTarget[] = [];
    if (!this.deps.network.isOnline()) {
      // Nothing is attempted; the waiting targets say why.
      this.deps.store.noteOffline(offlineError);
      return { claimed, gone };
    }
    if (this.deps.vaultLocked()) {
      this.deps.store.noteOffline(vaultLockedError);
      return { claimed, gone };
    }
    const excluded = [...this.#busyAccounts];
    for (const [accountId, { until, platform }] of this.#paused) {
      if (until <= now) {
        this.#paused.delete(accountId);
        continue;
      }
      excluded.push(accountId);
      // Posts queued since the pause began wait for it too, and say so.
      this.deps.store.holdAccount(accountId, until, pausedError(platform, until));
    }
    const free = this.#concurrency() - this.#inFlight.size;
    for (const target of free > 0 ? this.deps.store.dueTargets(now, free, excluded) : []) {
      const account = this.deps.accounts.findAny(target.accountId);
      if (!account) {
        this.deps.store.setState(target.postId, target.accountId, {
          from: ['queued', 'unknown'],
          to: 'failed_permanent',
          error: new AppError('not_found', 'This account was disconnected before the post went out.').toBridge(),
        });
        gone.push(target);
        continue;
      }
      // Held until the account is reconnected (its status says why); not an attempt.
      if (account.status !== 'connected') continue;
      if (target.status === 'queued' && !this.deps.store.claim(target.postId, target.accountId, now)) continue;
      claimed.push({ target, account });
    }
    return { claimed, gone };
  }

  #start(target: DueTarget, account: Account): Promise<void> {
    this.#busyAccounts.add(account.id);
    this.deps.onChanged(target.profileId);
    const attempt = (target.status === 'unknown' ? this.#lookUp(target, account) : this.#publish(target, account))
      .catch((error: unknown) => this.deps.log.error('Outbox attempt crashed', { post: target.postId, account: target.accountId, error }))
      .finally(() => {
        this.#busyAccounts.delete(account.id);
        this.#inFlight.delete(attempt);
        this.#settled(target);
        this.#pumpSoon();
      });
    this.#inFlight.add(attempt);
    return attempt;
  }

  /**
   * Sends a claimed target: its one post, or its reply chain from the first post not yet out, each
   * recorded before the next leaves. A failure stops the chain where it is; the target's state
   * then says what happens to that post (retry, look it up, ask), and the rest follow it.
   */
  async #publish(target: DueTarget, account: Account): Promise<void> {
    const adapter = this.deps.adapters[account.platform];
    const { postId, accountId } = target;
    const chainPublished = [...target.chainPublished];
    const total = target.chain?.parts.length ?? 1;
    // Attempts count for the post being sent: once one is out, this claim is the next one's first.
    let attempts = target.attempts;
    try {
      for (let index = chainPublished.length; index < total; index++) {
        const post = this.#outgoing(target, account, chainPublished);
        const published = await adapter.publish(account, post).finally(() => this.deps.progress.clear(postId, accountId));
        const quotaSpent = published.quotaResetAt !== undefined && published.quotaResetAt > this.deps.clock.now();
        if (index === total - 1) {
          this.#finishTarget(target, chainPublished, published);
          this.deps.log.info('Target published', { post: postId, account: account.id, posts: total });
        } else {
          this.deps.store.markChainPartPublished(postId, accountId, published);
          chainPublished.push(published);
          attempts = 0;
          this.deps.onChanged(target.profileId);
          if (quotaSpent) {
            // The rest of the chain waits for the platform's window, like any post would; the
            // next post was not tried.
            this.deps.store.setState(postId, accountId, {
              from: ['publishing'],
              to: 'queued',
              nextAttemptAt: published.quotaResetAt!,
              refundAttempt: true,
              error: pausedError(account.platform, published.quotaResetAt!),
            });
          }
        }
        // The platform said that was the last request it takes for now: wait instead of a 429.
        if (quotaSpent) {
          this.#pause(account, published.quotaResetAt!);
          return;
        }
      }
    } catch (error) {
      this.#failed({ ...target, attempts, chainPublished }, account, adapter, toAppError(error));
    }
  }

  /** The target is out: a chain's link is its first post's. */
  #finishTarget(target: DueTarget, chainPublished: PublishedPost[], last: PublishedPost): void {
    this.deps.store.markPublished(target.postId, target.accountId, chainPublished[0] ?? last, this.deps.clock.now());
  }

  #failed(target: DueTarget, account: Account, adapter: PlatformAdapter, error: AppError): void {
    const now = this.deps.clock.now();
    const attempts = target.attempts + 1;
    const verdict = judgeFailure(error, {
      attempts,
      now,
      safeToResend: this.#safeToResend(adapter, target),
      online: this.deps.network.isOnline(),
      policy: this.#policy,
    });
    const { postId, accountId } = target;
    const bridgeError = error.toBridge();
    this.deps.log.warn('Target attempt failed', { post: postId, account: accountId, code: error.code, verdict: verdict.kind, attempts });
    switch (verdict.kind) {
      case 'retry':
        this.deps.store.setState(postId, accountId, { from: ['publishing'], to: 'queued', error: bridgeError, nextAttemptAt: verdict.at });
        if (error.code === 'rate_limited') this.#pause(account, verdict.at);
        return;
      case 'hold':
        // Offline before anything left, or the vault locked: not an attempt. Refused credentials:
        // wait for reconnect.
        this.deps.store.setState(postId, accountId, {
          from: ['publishing'],
          to: 'queued',
          error: bridgeError,
          refundAttempt: verdict.until !== 'reconnect',
        });
        // The adapter's token lifecycle may have said so already (OAuth's token.revoked): once.
        if (verdict.until === 'reconnect' && this.deps.accounts.findAny(accountId)?.status === 'connected') {
          this.deps.accounts.setStatus(accountId, 'needs_reauth', error.message);
          this.deps.onAccountChanged(account);
          this.deps.notifier.notify(`${account.handle} needs to be reconnected`, 'Its posts wait in the queue until it is.');
        }
        return;
      case 'unknown': {
        const canLookUp = adapter.findPublished !== undefined;
        this.deps.store.setState(postId, accountId, {
          from: ['publishing'],
          to: 'unknown',
          error: bridgeError,
          nextAttemptAt: canLookUp ? now + backoffDelay(this.#policy, 1) : null,
        });
        if (!canLookUp) this.#notifyUnknown(account);
        return;
      }
      case 'failed_retryable':
      case 'failed_permanent':
        this.deps.store.setState(postId, accountId, { from: ['publishing'], to: verdict.kind, error: bridgeError });
        this.deps.notifier.notify(`A post to ${account.handle} failed`, error.message);
        return;
    }
  }

  /** An `unknown` target the platform can be asked about: found, not there (send again), or ask later. */
  async #lookUp(target: DueTarget, account: Account): Promise<void> {
    const adapter = this.deps.adapters[account.platform];
    const now = this.deps.clock.now();
    let found: Awaited<ReturnType<NonNullable<PlatformAdapter['findPublished']>>>;
    try {
      found = await adapter.findPublished?.(account, this.#outgoing(target, account, target.chainPublished), target.attemptedAt - 60_000);
    } catch (error) {
      this.deps.log.warn('Lookup failed', { post: target.postId, account: account.id, error });
      found = undefined;
    }
    if (found === unidentifiable) {
      // Nothing on the platform could tell this post apart: looking again would not help.
      this.deps.store.setState(target.postId, target.accountId, { from: ['unknown'], to: 'unknown', keepError: true, nextAttemptAt: null });
      this.#notifyUnknown(account);
    } else if (found) {
      this.#foundPublished(target, found);
      this.deps.log.info('Unknown target found published', { post: target.postId, account: account.id });
    } else if (found === null) {
      this.deps.store.setState(target.postId, target.accountId, { from: ['unknown'], to: 'queued' });
    } else if (now - target.attemptedAt < lookupWindowMs) {
      this.deps.store.setState(target.postId, target.accountId, {
        from: ['unknown'],
        to: 'unknown',
        keepError: true,
        nextAttemptAt: now + backoffDelay(this.#policy, 3),
      });
    } else {
      this.deps.store.setState(target.postId, target.accountId, { from: ['unknown'], to: 'unknown', keepError: true, nextAttemptAt: null });
      this.#notifyUnknown(account);
    }
  }

  /** At start: a target left `publishing` was cut off mid-request. */
  #recoverInterrupted(): void {
    for (const target of this.deps.store.interrupted()) {
      const account = this.deps.accounts.findAny(target.accountId);
      const adapter = account && this.deps.adapters[account.platform];
      const cutOff = new AppError('network_unreachable', 'Localpost stopped while this post was being sent.', {
        delivery: 'maybe_sent',
      }).toBridge();
      if (adapter && this.#safeToResend(adapter, target)) {
        this.deps.store.setState(target.postId, target.accountId, { from: ['publishing'], to: 'queued', error: cutOff });
      } else {
        const canLookUp = adapter?.findPublished !== undefined;
        this.deps.store.setState(target.postId, target.accountId, {
          from: ['publishing'],
          to: 'unknown',
          error: cutOff,
          nextAttemptAt: canLookUp ? this.deps.clock.now() : null,
        });
        if (account && !canLookUp) this.#notifyUnknown(account);
      }
      this.deps.log.warn('Interrupted target recovered', { post: target.postId, account: target.accountId });
    }
  }

  /** Removes post folders nothing will send again: a post published or cancelled everywhere, or
   *  one never queued (a crash between copying a draft's files and the queuing transaction). */
  #sweepMedia(): void {
    if (!fs.existsSync(this.deps.postsMediaDir)) return;
    for (const postId of fs.readdirSync(this.deps.postsMediaDir)) {
      if (!this.deps.store.needsFiles(postId)) fs.rmSync(this.#mediaDir(postId), { recursive: true, force: true });
    }
  }

  /** Starts scheduled posts whose time has come, or applies the missed-schedule setting. */
  #startDueSchedules(now: number): void {
    for (const post of this.deps.store.dueUnstarted(now)) {
      const late = now - post.scheduledAt > (this.deps.missedGraceMs ?? 2 * 60_000);
      const policy: MissedSchedulePolicy = late ? this.deps.missedSchedulePolicy() : 'publish';
      if (policy === 'publish') {
        this.deps.store.markStarted(post.postId, now);
      } else if (policy === 'skip') {
        this.deps.store.transaction(() => {
          this.deps.store.markStarted(post.postId, now);
          this.deps.store.cancelQueued(post.postId);
        });
        this.deps.notifier.notify(
          'A scheduled post was skipped',
          `Its time (${formatInZone(post.scheduledAt, post.zone)}) passed while Localpost was not running.`,
        );
      } else {
        this.deps.store.markMissed(post.postId);
        this.deps.notifier.notify(
          'A scheduled post missed its time',
          `${formatInZone(post.scheduledAt, post.zone)} passed while Localpost was not running: publish it or skip it.`,
        );
      }
      this.deps.onChanged(post.profileId);
    }
  }

  /** Holds every post to this account until `until`: its platform's rate limit says so. */
  #pause(account: Account, until: number): void {
    this.#paused.set(account.id, { until, platform: account.platform });
    this.deps.store.holdAccount(account.id, until, pausedError(account.platform, until));
  }

  /** Sleeps until the next schedule or retry time, but never longer than maxSleepMs. */
  #arm(now: number): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#running) return;
    const maxSleep = this.deps.maxSleepMs ?? 60_000;
    const next = this.deps.store.nextWakeAt(now);
    const pause = Math.min(...[...this.#paused.values()].map((p) => p.until).filter((at) => at > now), Infinity);
    const at = Math.min(next ?? Infinity, pause, now + maxSleep);
    this.#timer = this.#timers.setTimeout(() => this.#pump(), Math.max(0, at - now));
  }

  #settled(target: DueTarget): void {
    this.#dropFilesIfDone(target.postId);
    this.deps.onChanged(target.profileId);
  }

  /**
   * Adds the posts queued meanwhile to the search index once the outbox has been quiet for a while:
   * indexing a post (its text, replies and variants through FTS5, then a commit) is work its
   * requests need not wait on, nor share the machine with while the platforms answer. A burst of
   * posts is indexed once, after it. Pending posts are listed in the database, so a crash before
   * this loses nothing: the next start indexes them.
   */
  #indexWhenIdle(): void {
    if (this.#indexTimer !== undefined) this.#timers.clearTimeout(this.#indexTimer);
    this.#indexTimer = this.#timers.setTimeout(() => {
      this.#indexTimer = undefined;
      // Requests still out: wait for them to be answered first.
      if (this.#inFlight.size > 0) this.#indexWhenIdle();
      else this.#indexNewPosts();
    }, indexAfterIdleMs);
  }

  #indexNewPosts(): void {
    try {
      this.deps.store.indexNewPosts();
    } catch (error) {
      // Only the search is behind: the posts stay listed, and the next search or start indexes them.
      this.deps.log.error('Adding new posts to the search index failed', { error });
    }
  }

  /** A post's files go once nothing will send it again (a failed target keeps them for Retry). */
  #dropFilesIfDone(postId: string): void {
    // Most posts are text alone and have no folder: nothing to ask the database about.
    const dir = this.#mediaDir(postId);
    if (fs.existsSync(dir) && !this.deps.store.needsFiles(postId)) fs.rmSync(dir, { recursive: true, force: true });
  }

  /** An uncertain post of the target turned out to be out: the target is done, or its chain goes on. */
  #foundPublished(target: DueTarget, found: PublishedPost): void {
    const total = target.chain?.parts.length ?? 1;
    if (target.chainPublished.length >= total - 1) {
      this.#finishTarget(target, target.chainPublished, found);
      return;
    }
    this.deps.store.transaction(() => {
      this.deps.store.markChainPartPublished(target.postId, target.accountId, found);
      // The next post of the chain has not been tried yet.
      this.deps.store.setState(target.postId, target.accountId, { from: ['unknown', 'publishing'], to: 'queued', resetAttempts: true });
    });
  }

  /** A reply chain for this account, when the post is one there (cut as postParts says). */
  #chainFor(content: PostContent, account: Account): TargetChain | null {
    const parts = partsFor(content, partsTarget(account), hasMedia(content));
    if (parts.length < 2) return null;
    return { parts, keys: parts.slice(1).map(() => this.#newKey(account)) };
  }

  #newKey(account: Account): string {
    return this.deps.adapters[account.platform].newIdempotencyKey?.() ?? crypto.randomUUID();
  }

  /**
   * What the target sends next: its one post, or the first post of its chain not yet out (after
   * `chainPublished`), under that post's own key and answering the one before. Media go with the
   * first post alone.
   */
  #outgoing(target: DueTarget, account: Account, chainPublished: PublishedPost[]): OutgoingPost {
    const store = this.deps.store;
    const content = store.content(target.postId);
    const dir = this.#mediaDir(target.postId);
    const index = target.chain ? chainPublished.length : 0;
    const first = index === 0;
    // A single post was cut (or not) when it was queued: not cut then, it is its text now, as one post.
    const text = target.chain
      ? target.chain.parts[index]!
      : partsFor({ ...content, splitLongPosts: false }, partsTarget(account), hasMedia(content))[0]!;
    return {
      text,
      langs: content.langs,
      contentWarning: content.contentWarning,
      visibility: content.visibility,
      platformOptions: content.platformOptions ?? {},
      images: first ? content.images.map((image) => outgoingImage(path.join(dir, image.file), image)) : [],
      linkCard:
        first && content.linkCard
          ? {
              url: content.linkCard.url,
              title: content.linkCard.title,
              description: content.linkCard.description,
              image: content.linkCard.imageFile
                ? { bytes: fs.readFileSync(path.join(dir, content.linkCard.imageFile)), mime: content.linkCard.imageMime! }
                : null,
            }
          : null,
      video:
        first && content.video
          ? {
              path: path.join(dir, content.video.file),
              mime: content.video.mime,
              bytes: content.video.bytes,
              durationSeconds: content.video.durationSeconds,
              width: content.video.width,
              height: content.video.height,
              alt: content.video.alt ?? '',
            }
          : null,
      reportProgress: (sentBytes, totalBytes) => {
        this.deps.progress.set(target.postId, target.accountId, { sentBytes, totalBytes });
        // Throttled by the announcer: a fast upload reports thousands of pieces, the renderer hears a few.
        this.deps.onProgress(target.profileId, { postId: target.postId, accountId: target.accountId, sentBytes, totalBytes });
      },
      uploadHandle: {
        // Read when an adapter asks (one that uploads media): a text post has no use for it.
        get saved() {
          return store.uploadHandle(target.postId, target.accountId);
        },
        save: async (handle) => store.saveUploadHandle(target.postId, target.accountId, handle),
      },
      createdAt: this.deps.clock.now(),
      idempotencyKey: first ? target.idempotencyKey : target.chain!.keys[index - 1]!,
      replyTo: first ? null : replyReferences(chainPublished),
    };
  }

  /** Whether the platform, or the adapter from what the target's last attempt left, makes a re-send harmless. */
  #safeToResend(adapter: PlatformAdapter, target: DueTarget): boolean {
    if (adapter.dedupesRetries) return true;
    if (!adapter.resendIsSafe) return false;
    return adapter.resendIsSafe({
      // A chain's video goes with its first post: the replies after it carry none.
      hasVideo: target.chainPublished.length === 0 && Boolean(this.deps.store.content(target.postId).video),
      uploadHandle: this.deps.store.uploadHandle(target.postId, target.accountId),
    });
  }

  #notifyUnknown(account: Account): void {
    this.deps.notifier.notify(`Did the post to ${account.handle} go out?`, 'Localpost could not tell. Open the queue to check and decide.');
  }

  #post(profileId: string, postId: string): Post {
    const post = this.deps.store.get(profileId, postId);
    if (!post) throw new AppError('not_found', 'That post is not in this profile.');
    return this.deps.progress.apply(post);
  }

  #changed(profileId: string, postId: string): Post {
    this.deps.onChanged(profileId);
    this.#dropFilesIfDone(postId);
    return this.#post(profileId, postId);
  }

  #mediaDir(postId: string): string {
    return path.join(this.deps.postsMediaDir, postId);
  }

  #concurrency(): number {
    return this.deps.concurrency ?? 16;
  }
}

function hasMedia(content: PostContent): boolean {
  return content.images.length > 0 || Boolean(content.video);
}

/** What a chain's next post answers: its first post, and the latest post with an id (one the user
 *  marked as out has none). */
function replyReferences(chainPublished: PublishedPost[]): { root: PostReference; parent: PostReference } {
  const known = chainPublished.filter((part): part is PublishedPost & { uri: string } => part.uri !== null);
  const root = known[0];
  const parent = known[known.length - 1];
  if (!root || !parent) {
    throw new AppError('not_found', 'The first post of this thread has no id Localpost could reply to.', {
      action: 'Post the rest of the thread by hand.',
    });
  }
  return { root: { uri: root.uri, cid: root.cid }, parent: { uri: parent.uri, cid: parent.cid } };
}

function partsTarget(account: Account): PartsTarget {
  return { accountId: account.id, platform: account.platform, limits: account.limits };
}

function toAppError(error: unknown): AppError {
  return findAppError(error) ?? new AppError('internal', 'Publishing failed unexpectedly.', { cause: error });
}

/** How much of an image one read of its streamed body takes. */
const imagePieceBytes = 64 * 1024;

/** An image of the post as an adapter gets it: read from disk only when and as the adapter sends it. */
function outgoingImage(file: string, image: PostContent['images'][number]): OutgoingImage {
  const { mime, alt, width, height } = image;
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    // Gone from the post's folder since it was queued: sending again cannot bring it back.
    throw fileUnreadable(file, error);
  }
  return {
    path: file,
    size,
    mime,
    alt,
    width,
    height,
    read: () => fs.promises.readFile(file),
    // Not a file-backed Blob (fs.openAsBlob), which Node 22 crashes on when taking a heap snapshot
    // once one has been a fetch body (a profiler's snapshot of the app would end it); nor the
    // file read whole into a Blob, a copy or two of the photo per request that the allocator
    // keeps once freed. Pieces of 64 KiB stay below glibc's mmap threshold (mallopt(3)), so
    // they come from memory the next piece reuses.
    body: () => fileRangeBody({ path: file, start: 0, end: size }, undefined, imagePieceBytes),
  };
}
