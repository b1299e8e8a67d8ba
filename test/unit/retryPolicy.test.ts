import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { backoffDelay, judgeFailure, type RetryPolicy } from '../../src-main/core/outbox/retryPolicy';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000, random: () => 1 };
const now = 1_000_000;
const judge = (error: AppError, attempts = 1, safeToResend = false, online = true) => judgeFailure(error, { attempts, now, safeToResend, online, policy });

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.equal(backoffDelay({ ...policy, random: () => 0.25 }, 3), 1000);
  });

  it('holds for the network when offline, and backs off from a refused connection while online', () => {
    const refused = new AppError('network_unreachable', 'refused', { delivery: 'not_sent' });
    assert.deepEqual(judge(refused, 3, false, false), { kind: 'hold', until: 'network' });
    assert.deepEqual(judge(refused, 2), { kind: 'retry', at: now + 2000 });
    assert.deepEqual(judge(refused, 3), { kind: 'failed_retryable' });
  });

  it('never re-sends an uncertain request unless the platform dedupes it', () => {
    const lost = new AppError('network_unreachable', 'timeout', { delivery: 'maybe_sent' });
    assert.deepEqual(judge(lost), { kind: 'unknown' });
    assert.deepEqual(judge(lost, 1, true), { kind: 'retry', at: now + 1000 });
    assert.deepEqual(judge(lost, 3, true), { kind: 'failed_retryable' });
  });

  it('holds for the vault when it is locked: not a failure, not an attempt, no reconnect', () => {
    assert.deepEqual(judge(new AppError('vault_locked', 'locked'), 3), { kind: 'hold', until: 'vault' });
  });

  it("waits for the platform's reset time on a rate limit", () => {
    const limited = new AppError('rate_limited', 'slow down', { retryAt: now + 60_000 });
    assert.deepEqual(judge(limited), { kind: 'retry', at: now + 60_000 + 250 });
    assert.deepEqual(judge(new AppError('rate_limited', 'slow down'), 2), { kind: 'retry', at: now + 2000 });
    assert.deepEqual(judge(limited, 3), { kind: 'failed_retryable' });
  });

  it('retries a server error up to the maximum, then leaves it for the Retry button', () => {
    const failing = new AppError('platform_rejected', '503', { transient: true });
    assert.deepEqual(judge(failing, 2), { kind: 'retry', at: now + 2000 });
    assert.deepEqual(judge(failing, 3), { kind: 'failed_retryable' });
  });

  it('fails refused content at once, and holds refused credentials for a reconnect', () => {
    assert.deepEqual(judge(new AppError('platform_rejected', 'too long')), { kind: 'failed_permanent' });
    assert.deepEqual(judge(new AppError('media_too_large', 'big')), { kind: 'failed_permanent' });
    assert.deepEqual(judge(new AppError('platform_auth_failed', 'revoked')), { kind: 'hold', until: 'reconnect' });
  });
});
