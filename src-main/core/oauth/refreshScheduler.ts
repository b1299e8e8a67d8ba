// Keeps tokens alive ahead of time instead of failing a publish on an expired one: each tracked
// account is refreshed a lead time before its access token expires (X: 5 minutes before its 2
// hours, issue 4 item 6), and a token that cannot be refreshed gets a `token.expiring` notice
// ahead of its end (LinkedIn will use 7 days). Generic: it knows accounts, times and callbacks,
// nothing else of the core. The clock and the timer functions are injected so tests run hours in
// milliseconds.
import type { Clock } from '../ports';
import type { TokenSet } from './tokenSet';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that do not keep the process alive on their own. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const defaultRefreshLeadMs = 5 * 60 * 1000;
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
  dueAt: number;
  handle?: unknown;
  /** Bumped on every change, so a refresh that finishes after an untrack or re-track is ignored. */
  generation: number;
}

export function createRefreshScheduler(deps: RefreshSchedulerDeps): RefreshScheduler {
  const { clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const retryDelayMs = deps.retryDelayMs ?? defaultRetryDelayMs;
  const schedules = new Map<string, Schedule>();
  // Notices already given, per account and expiry, so a re-track does not repeat them.
  const noticed = new Map<string, number>();
  let generation = 0;

  function clear(accountId: string): void {
    const schedule = schedules.get(accountId);
    if (schedule?.handle !== undefined) timers.clearTimeout(schedule.handle);
    schedules.delete(accountId);
  }

  function arm(schedule: Schedule): void {
    const delay = Math.min(Math.max(schedule.dueAt - clock.now(), 0), maxTimerDelayMs);
    schedule.handle = timers.setTimeout(() => fire(schedule), delay);
  }

  function fire(schedule: Schedule): void {
    if (schedules.get(schedule.token.accountId) !== schedule) return;
    schedule.handle = undefined;
    if (clock.now() < schedule.dueAt) return arm(schedule);
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
    deps.refresh(token.accountId).then(
      (tokens) => {
        if (!current()) return;
        const next: TrackedToken = { ...token, canRefresh: !!tokens.refreshToken };
        if (tokens.expiresAt === undefined) delete next.expiresAt;
        else next.expiresAt = tokens.expiresAt;
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
        schedule.dueAt = retryAt !== undefined && retryAt > clock.now() ? retryAt : clock.now() + retryDelayMs;
        arm(schedule);
      },
    );
  }

  function track(token: TrackedToken): void {
    clear(token.accountId);
    if (token.expiresAt === undefined) return;
    const schedule: Schedule = token.canRefresh
      ? { token, action: 'refresh', dueAt: token.expiresAt - (token.refreshLeadMs ?? defaultRefreshLeadMs), generation: ++generation }
      : { token, action: 'notice', dueAt: token.expiresAt - (token.expiringNoticeMs ?? defaultExpiringNoticeMs), generation: ++generation };
    if (schedule.action === 'notice' && noticed.get(token.accountId) === token.expiresAt) return;
    schedules.set(token.accountId, schedule);
    arm(schedule);
  }

  return {
    track,
    untrack(accountId) {
      clear(accountId);
      noticed.delete(accountId);
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
