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
  let now = start;
  let nextId = 0;
  const pending = new Map<number, { at: number; ms: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++nextId;
      pending.set(id, { at: now + ms, ms, callback });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    clock: { now: () => now },
    timers,
    delays: () => [...pending.values()].map((timer) => timer.ms),
    /** Moves time to `at`, running each timer when its time comes. */
    async advanceTo(at: number) {
      for (;;) {
        const due = [...pending].filter(([, timer]) => timer.at <= at).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await new Promise((resolve) => setImmediate(resolve)); // let a refresh settle
      }
      now = at;
    },
  };
}

function tokens(expiresAt: number | undefined, refreshToken: string | undefined = 'r'): TokenSet {
  return {
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
});
