// Keeps tokens alive ahead of time instead of failing a publish on an expired one: each tracked
// account is refreshed a lead time before its access token expires, and a token that cannot be
// refreshed gets a `token.expiring` notice ahead of its end (LinkedIn will use 7 days). Generic:
// it knows accounts, times and callbacks, nothing else of the core. The clock and the timer
// functions are injected so tests run hours in milliseconds.
//
// Nothing the server or the clock says can make it loop:
// - the lead time fits the token's lifetime (at most a quarter of it), so a token that lives
//   20 seconds is refreshed after 15, not "5 minutes before its end", which is at once;
// - two refreshes of one account are at least `minRefreshIntervalMs` apart, whatever the token
//   says (`expires_in: 0` included);
// - a refresh is due when the wall clock says so OR when the token's own lifetime, measured on
//   the timers' monotonic time since it arrived, says so: a clock set back an hour does not let a
//   token expire unrefreshed, and a clock set forward costs one refresh, not one per wake-up.
import type { Clock } from '../ports';
import type { TokenSet } from './tokenSet';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic milliseconds, the time the timers run on (never set back, unlike the clock). */
  now?(): number;
}

/** Real timers that do not keep the process alive on their own. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export const defaultRefreshLeadMs = 5 * 60 * 1000;
/** The lead time is at most this share of the token's lifetime. */
export const maxLeadShareOfLifetime = 1 / 4;
/** The least time between two refreshes of one account, whatever its tokens say. */
export const minRefreshIntervalMs = 10 * 1000;
export const defaultExpiringNoticeMs = 7 * 24 * 60 * 60 * 1000;
const defaultRetryDelayMs = 60 * 1000;
// Node's timers take at most 2^31-1 ms (about 24.8 days); a longer delay fires after 1 ms. Long
// waits (a 60-day token's notice) are done in steps, re-checking the clock at each wake-up.
const maxTimerDelayMs = 2 ** 31 - 1;

export interface TrackedToken {
  accountId: string;
  /** Epoch ms; a token without expiry (Mastodon) needs no schedule. */
  expiresAt?: number;
  /** Whether a refresh token exists. */
  canRefresh: boolean;
  /** The platform renews the access token itself, without a refresh token (TokenPolicy.renew):
   *  it stays refreshable after a refresh that brings none. */
  renews?: boolean;
  /** How long the token was issued for (`expires_in`), when known. */
  lifetimeMs?: number;
  refreshLeadMs?: number;
  expiringNoticeMs?: number;
}

export interface RefreshSchedulerDeps {
  clock: Clock;
  timers?: Timers;
  /** TokenRefresher.refresh: stores before it resolves. */
  refresh(accountId: string): Promise<TokenSet>;
  /** Emit `token.expiring`: this token will end and cannot be renewed without the user. */
  onExpiring(accountId: string, expiresAt: number): void;
  onRefreshFailed?(accountId: string, error: unknown): void;
  retryDelayMs?: number;
}

export interface RefreshScheduler {
  /** Starts (or replaces) the schedule for an account; call again after tokens change. */
  track(token: TrackedToken): void;
  untrack(accountId: string): void;
  /** Re-arms every timer from the clock (after the computer wakes from sleep). */
  recheck(): void;
  stop(): void;
  /** When the next refresh or notice is due, for tests and diagnostics. */
  nextRunAt(accountId: string): number | undefined;
}

interface Schedule {
  token: TrackedToken;
  action: 'refresh' | 'notice';
  /** When the wall clock says it is due (epoch ms). */
  dueAt: number;
  /** When the token's own lifetime says it is due, on the timers' monotonic time. */
  dueAtMonotonic: number;
  /** Not before this, on the monotonic time: the floor between two refreshes of one account. */
  notBeforeMonotonic: number;
  handle?: unknown;
  /** Bumped on every change, so a refresh that finishes after an untrack or re-track is ignored. */
  generation: number;
}

export function createRefreshScheduler(deps: RefreshSchedulerDeps): RefreshScheduler {
  const { clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const retryDelayMs = deps.retryDelayMs ?? defaultRetryDelayMs;
  const monotonic = timers.now ? () => timers.now!() : () => performance.now();
  const schedules = new Map<string, Schedule>();
  // When each account's last refresh started, on the monotonic time.
  const lastRefreshAt = new Map<string, number>();
  // Notices already given, per account and expiry, so a re-track does not repeat them.
  const noticed = new Map<string, number>();
  let generation = 0;

  function clear(accountId: string): void {
    const schedule = schedules.get(accountId);
    if (schedule?.handle !== undefined) timers.clearTimeout(schedule.handle);
    schedules.delete(accountId);
  }

  /** How long until the schedule is due: the earlier of the two clocks, never before the floor. */
  function delayOf(schedule: Schedule): number {
    const untilDue = Math.min(schedule.dueAt - clock.now(), schedule.dueAtMonotonic - monotonic());
    return Math.max(untilDue, schedule.notBeforeMonotonic - monotonic(), 0);
  }

  function arm(schedule: Schedule): void {
    schedule.handle = timers.setTimeout(() => fire(schedule), Math.min(delayOf(schedule), maxTimerDelayMs));
  }

  function fire(schedule: Schedule): void {
    if (schedules.get(schedule.token.accountId) !== schedule) return;
    schedule.handle = undefined;
    if (delayOf(schedule) > 0) return arm(schedule);
    if (schedule.action === 'notice') {
      const { accountId, expiresAt } = schedule.token;
      schedules.delete(accountId);
      noticed.set(accountId, expiresAt!);
      deps.onExpiring(accountId, expiresAt!);
      return;
    }
    runRefresh(schedule);
  }

  function runRefresh(schedule: Schedule): void {
    const { token } = schedule;
    const startedGeneration = schedule.generation;
    const current = () => schedules.get(token.accountId)?.generation === startedGeneration;
    lastRefreshAt.set(token.accountId, monotonic());
    deps.refresh(token.accountId).then(
      (tokens) => {
        if (!current()) return;
        const next: TrackedToken = { ...token, canRefresh: !!tokens.refreshToken || token.renews === true };
        if (tokens.expiresAt === undefined) delete next.expiresAt;
        else next.expiresAt = tokens.expiresAt;
        const lifetimeMs = lifetimeOf(tokens);
        if (lifetimeMs === undefined) delete next.lifetimeMs;
        else next.lifetimeMs = lifetimeMs;
        track(next);
      },
      (error: unknown) => {
        if (!current()) return;
        deps.onRefreshFailed?.(token.accountId, error);
        const code = (error as { code?: string }).code;
        // The grant is gone (onRevoked has fired) or the account is: nothing left to schedule.
        if (code === 'platform_auth_failed' || code === 'not_found') return clear(token.accountId);
        // The vault is locked: no token can be read until it opens, which tracks the account again.
        if (code === 'vault_locked') return clear(token.accountId);
        const retryAt = (error as { retryAt?: number }).retryAt;
        const retryInMs = retryAt !== undefined && retryAt > clock.now() ? retryAt - clock.now() : retryDelayMs;
        schedule.dueAt = clock.now() + retryInMs;
        schedule.dueAtMonotonic = monotonic() + retryInMs;
        arm(schedule);
      },
    );
  }

  function track(token: TrackedToken): void {
    clear(token.accountId);
    if (token.expiresAt === undefined) return;
    const schedule: Schedule = token.canRefresh ? refreshSchedule(token) : noticeSchedule(token);
    if (schedule.action === 'notice' && noticed.get(token.accountId) === token.expiresAt) return;
    schedules.set(token.accountId, schedule);
    arm(schedule);
  }

  function refreshSchedule(token: TrackedToken): Schedule {
    const { expiresAt, lifetimeMs } = token as TrackedToken & { expiresAt: number };
    const knownLifetime = lifetimeMs !== undefined && lifetimeMs >= 0 ? lifetimeMs : undefined;
    const leadMs = Math.min(token.refreshLeadMs ?? defaultRefreshLeadMs, (knownLifetime ?? Infinity) * maxLeadShareOfLifetime);
    const last = lastRefreshAt.get(token.accountId);
    return {
      token,
      action: 'refresh',
      dueAt: expiresAt - leadMs,
      // Counted from now, the lifetime is never earlier than the true due time (the token arrived
      // now or before), so it only matters when the wall clock was set back.
      dueAtMonotonic: knownLifetime !== undefined ? monotonic() + knownLifetime - leadMs : Infinity,
      notBeforeMonotonic: last === undefined ? -Infinity : last + minRefreshIntervalMs,
      generation: ++generation,
    };
  }

  function noticeSchedule(token: TrackedToken): Schedule {
    return {
      token,
      action: 'notice',
      dueAt: token.expiresAt! - (token.expiringNoticeMs ?? defaultExpiringNoticeMs),
      dueAtMonotonic: Infinity,
      notBeforeMonotonic: -Infinity,
      generation: ++generation,
    };
  }

  return {
    track,
    untrack(accountId) {
      clear(accountId);
      noticed.delete(accountId);
      lastRefreshAt.delete(accountId);
    },
    recheck() {
      for (const schedule of schedules.values()) {
        if (schedule.handle === undefined) continue; // a refresh is running
        timers.clearTimeout(schedule.handle);
        arm(schedule);
      }
    },
    stop() {
      for (const accountId of [...schedules.keys()]) clear(accountId);
    },
    nextRunAt: (accountId) => schedules.get(accountId)?.dueAt,
  };
}

/** How long a token set was issued for, when the server said (`expires_in`). */
export function lifetimeOf(tokens: TokenSet): number | undefined {
  return tokens.expiresAt !== undefined && tokens.obtainedAt !== undefined ? tokens.expiresAt - tokens.obtainedAt : undefined;
}
