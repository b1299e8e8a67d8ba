// The refresh scheduler with a fake clock and fake timers: refresh ahead of expiry, expiring
// notices for tokens that cannot be refreshed, long waits in steps, retries, and stopping when the
// grant is gone. Run: npx tsx --test test/unit/oauthRefreshScheduler.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { createRefreshScheduler, type Timers } from '../../src-main/core/oauth/refreshScheduler';
import type { TokenSet } from '../../src-main/core/oauth/tokenSet';

const minute = 60 * 1000;
const hour = 60 * minute;
const day = 24 * hour;

function fakeTime(start = 1_700_000_000_000) {
  // The wall clock and the timers' monotonic time advance together, except when the test sets
  // the wall clock itself (jumpClock), as a user or a sleeping laptop does.
  let now = start;
  let monotonic = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; ms: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++nextId;
      pending.set(id, { at: monotonic + ms, ms, callback });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
    now: () => monotonic,
  };
  return {
    clock: { now: () => now },
    timers,
    delays: () => [...pending.values()].map((timer) => timer.ms),
    jumpClock(ms: number) {
      now += ms;
    },
    /** Moves time to `at` (on the wall clock), running each timer when its time comes. */
    async advanceTo(at: number) {
      const end = monotonic + (at - now);
      for (;;) {
        const due = [...pending].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        if (due[1].at > monotonic) {
          now += due[1].at - monotonic;
          monotonic = due[1].at;
        }
        due[1].callback();
        await new Promise((resolve) => setImmediate(resolve)); // let a refresh settle
      }
      now += end - monotonic;
      monotonic = end;
    },
  };
}

function tokens(expiresAt: number | undefined, refreshToken: string | undefined = 'r', obtainedAt?: number): TokenSet {
  return {
    ...(obtainedAt !== undefined ? { obtainedAt } : {}),
    accessToken: 'a',
    scope: 's',
    tokenType: 'bearer',
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(refreshToken ? { refreshToken } : {}),
  };
}

describe('refresh scheduler', () => {
  it('refreshes a lead time before expiry, then again from the new expiry', async () => {
    const time = fakeTime();
    const start = time.clock.now();
    const refreshedAt: number[] = [];
    const scheduler = createRefreshScheduler({
      clock: time.clock,
      timers: time.timers,
      refresh: async () => {
        refreshedAt.push(time.clock.now());
        return tokens(time.clock.now() + 2 * hour);
      },
      onExpiring: () => assert.fail('no notice for a refreshable token'),
    });
    scheduler.track({ accountId: 'x1', expiresAt: start + 2 * hour, canRefresh: true, refreshLeadMs: 5 * minute });
    await time.advanceTo(start + 2 * hour - 5 * minute - 1);
    assert.deepEqual(refreshedAt, []);
    await time.advanceTo(start + 2 * hour - 5 * minute);
    assert.deepEqual(refreshedAt, [start + 2 * hour - 5 * minute]);
    assert.equal(scheduler.nextRunAt('x1'), refreshedAt[0]! + 2 * hour - 5 * minute);
    await time.advanceTo(start + 4 * hour);
    assert.equal(refreshedAt.length, 2);
    scheduler.stop();
    assert.equal(scheduler.nextRunAt('x1'), undefined);
  });

  it('gives a token that cannot be refreshed one expiring notice, ahead of time', async () => {
    const time = fakeTime();
    const start = time.clock.now();
    const notices: Array<[string, number]> = [];
    const scheduler = createRefreshScheduler({
      clock: time.clock,
      timers: time.timers,
      refresh: async () => assert.fail('nothing to refresh with'),
      onExpiring: (id, expiresAt) => void notices.push([id, expiresAt]),
    });
    // LinkedIn-like: 60 days, notice 7 days ahead. 53 days is more than a Node timer can wait.
    const expiresAt = start + 60 * day;
    scheduler.track({ accountId: 'li', expiresAt, canRefresh: false, expiringNoticeMs: 7 * day });
    assert.ok(Math.max(...time.delays()) <= 2 ** 31 - 1, 'long waits are split');
    await time.advanceTo(start + 53 * day - 1);
    assert.deepEqual(notices, []);
    await time.advanceTo(start + 53 * day);
    assert.deepEqual(notices, [['li', expiresAt]]);
    scheduler.track({ accountId: 'li', expiresAt, canRefresh: false, expiringNoticeMs: 7 * day });
    await time.advanceTo(start + 61 * day);
    assert.equal(notices.length, 1, 'tracking the same token again does not repeat the notice');
  });

  it('ignores tokens that never expire (Mastodon)', () => {
    const time = fakeTime();
    const scheduler = createRefreshScheduler({ clock: time.clock, timers: time.timers, refresh: async () => assert.fail(), onExpiring: () => assert.fail() });
    scheduler.track({ accountId: 'm', canRefresh: false });
    assert.equal(scheduler.nextRunAt('m'), undefined);
    assert.deepEqual(time.delays(), []);
  });

  it('retries after a network failure, and stops when the grant is gone', async () => {
    const time = fakeTime();
    const start = time.clock.now();
    const failures: string[] = [];
    const answers = [
      new AppError('network_unreachable', 'offline'),
      new AppError('rate_limited', 'slow down', { retryAt: start + 2 * hour - 5 * minute + 10 * minute }),
      new AppError('platform_auth_failed', 'revoked'),
    ];
    const scheduler = createRefreshScheduler({
      clock: time.clock,
      timers: time.timers,
      retryDelayMs: minute,
      refresh: async () => {
        throw answers.shift();
      },
      onExpiring: () => assert.fail(),
      onRefreshFailed: (_id, error) => void failures.push((error as AppError).code),
    });
    const due = start + 2 * hour - 5 * minute;
    scheduler.track({ accountId: 'x', expiresAt: start + 2 * hour, canRefresh: true, refreshLeadMs: 5 * minute });
    await time.advanceTo(due);
    assert.deepEqual(failures, ['network_unreachable']);
    assert.equal(scheduler.nextRunAt('x'), due + minute, 'retry after the retry delay');
    await time.advanceTo(due + minute);
    assert.deepEqual(failures, ['network_unreachable', 'rate_limited']);
    assert.equal(scheduler.nextRunAt('x'), due + 10 * minute, 'retry when the platform said');
    await time.advanceTo(due + 10 * minute);
    assert.deepEqual(failures, ['network_unreachable', 'rate_limited', 'platform_auth_failed']);
    assert.equal(scheduler.nextRunAt('x'), undefined, 'nothing left to schedule');
  });

  it('stops asking while the vault is locked (its opening tracks the account again), instead of retrying every minute', async () => {
    const time = fakeTime();
    const start = time.clock.now();
    let refreshes = 0;
    const scheduler = createRefreshScheduler({
      clock: time.clock,
      timers: time.timers,
      retryDelayMs: minute,
      refresh: async () => {
        refreshes++;
        throw new AppError('vault_locked', 'locked');
      },
      onExpiring: () => assert.fail(),
    });
    scheduler.track({ accountId: 'x', expiresAt: start + 2 * hour, canRefresh: true, refreshLeadMs: 5 * minute });
    await time.advanceTo(start + 3 * hour);
    assert.equal(refreshes, 1);
    assert.equal(scheduler.nextRunAt('x'), undefined);
  });

  it('drops the result of a refresh that finishes after the account was untracked', async () => {
    const time = fakeTime();
    const start = time.clock.now();
    let finish!: (value: TokenSet) => void;
    const scheduler = createRefreshScheduler({
      clock: time.clock,
      timers: time.timers,
      refresh: () => new Promise<TokenSet>((resolve) => (finish = resolve)),
      onExpiring: () => assert.fail(),
    });
    scheduler.track({ accountId: 'x', expiresAt: start + hour, canRefresh: true, refreshLeadMs: 5 * minute });
    await time.advanceTo(start + hour - 5 * minute);
    scheduler.untrack('x');
    finish(tokens(start + 3 * hour));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(scheduler.nextRunAt('x'), undefined);
  });

  describe('never loops, whatever the server or the clock says', () => {
    /** A scheduler whose server issues tokens of `lifetimeMs`; refreshes are counted (and cut
     *  off at 1,000, so a loop fails the test instead of hanging it). */
    function shortLivedTokens(lifetimeMs: number) {
      const time = fakeTime();
      const refreshedAt: number[] = [];
      const scheduler = createRefreshScheduler({
        clock: time.clock,
        timers: time.timers,
        refresh: async () => {
          refreshedAt.push(time.timers.now!());
          if (refreshedAt.length > 1000) throw new AppError('platform_auth_failed', 'a refresh loop');
          return tokens(time.clock.now() + lifetimeMs, 'r', time.clock.now());
        },
        onExpiring: () => assert.fail('no notice for a refreshable token'),
      });
      const now = time.clock.now();
      // X's policy: five minutes ahead, meant for 2-hour tokens.
      scheduler.track({ accountId: 'x', expiresAt: now + lifetimeMs, lifetimeMs, canRefresh: true, refreshLeadMs: 5 * minute });
      return { time, scheduler, refreshedAt, start: now };
    }

    it('tokens that live 20 seconds: one refresh per 15 seconds, a quarter of the lifetime ahead', async () => {
      const { time, refreshedAt, start } = shortLivedTokens(20_000);
      await time.advanceTo(start + 10 * minute);
      assert.equal(refreshedAt.length, 40, `refreshes in 10 minutes: ${refreshedAt.length}`);
      const gaps = refreshedAt.slice(1).map((at, i) => at - refreshedAt[i]!);
      assert.ok(gaps.every((gap) => gap === 15_000), `gaps: ${[...new Set(gaps)].join(', ')}`);
    });

    it('tokens that expire at once (expires_in 0) are refreshed at most every 10 seconds', async () => {
      const { time, refreshedAt, start } = shortLivedTokens(0);
      await time.advanceTo(start + 10 * minute);
      assert.ok(refreshedAt.length <= 61, `refreshes in 10 minutes: ${refreshedAt.length}`);
      const gaps = refreshedAt.slice(1).map((at, i) => at - refreshedAt[i]!);
      assert.ok(gaps.every((gap) => gap >= 10_000), `gaps: ${[...new Set(gaps)].join(', ')}`);
    });

    it('a clock set back an hour does not let the token run out unrefreshed', async () => {
      const { time, scheduler, refreshedAt } = shortLivedTokens(20 * minute);
      time.jumpClock(-hour);
      scheduler.recheck();
      // Wall-clock due is now 1 h 15 min away; the token's own lifetime says 15 minutes.
      await time.advanceTo(time.clock.now() + 15 * minute);
      assert.deepEqual(refreshedAt, [15 * minute]);
    });

    it('a clock set forward an hour costs one refresh, then the usual cadence', async () => {
      const { time, scheduler, refreshedAt } = shortLivedTokens(20 * minute);
      await time.advanceTo(time.clock.now() + minute);
      time.jumpClock(hour);
      scheduler.recheck();
      await time.advanceTo(time.clock.now() + 1000);
      assert.deepEqual(refreshedAt, [minute], 'one refresh right after the jump');
      await time.advanceTo(time.clock.now() + 16 * minute);
      assert.deepEqual(refreshedAt, [minute, minute + 15 * minute]);
    });
  });
});
