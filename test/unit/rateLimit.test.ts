// Reading when a platform's rate limit lets an account post again, from every header family the
// adapters meet: a refusal's Retry-After, and a success that spent the last request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quotaExhaustedUntil, retryAtFrom } from '../../src-main/core/http/rateLimit';

const now = Date.parse('2026-12-02T10:00:00Z');

describe('quotaExhaustedUntil', () => {
  it('is undefined while requests remain, or when the platform does not say', () => {
    assert.equal(quotaExhaustedUntil(new Headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '2026-12-02T10:05:00Z' }), now), undefined);
    assert.equal(quotaExhaustedUntil(new Headers({ 'content-type': 'application/json' }), now), undefined);
  });

  it('reads Bluesky (RateLimit-*, epoch seconds) and X (x-rate-limit-*, epoch seconds)', () => {
    const reset = now / 1000 + 900;
    assert.equal(quotaExhaustedUntil(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) }), now), reset * 1000);
    assert.equal(quotaExhaustedUntil(new Headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) }), now), reset * 1000);
  });

  it('reads Mastodon (an ISO 8601 reset time)', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-12-02T11:30:00.000Z' });
    assert.equal(quotaExhaustedUntil(headers, now), Date.parse('2026-12-02T11:30:00Z'));
  });

  it('reads Discord (reset-after in seconds, preferred to the epoch reset)', () => {
    const headers = new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1.5', 'x-ratelimit-reset': String(now / 1000 + 99) });
    assert.equal(quotaExhaustedUntil(headers, now), now + 1500);
  });

  it('ignores a reset that has already passed or cannot be read', () => {
    assert.equal(quotaExhaustedUntil(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 - 5) }), now), undefined);
    assert.equal(quotaExhaustedUntil(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }), now), undefined);
  });
});

describe('retryAtFrom', () => {
  it('prefers Retry-After (seconds or an HTTP date), then X’s x-rate-limit-reset', () => {
    assert.equal(retryAtFrom(new Headers({ 'retry-after': '30' }), now), now + 30_000);
    assert.equal(retryAtFrom(new Headers({ 'retry-after': 'Wed, 02 Dec 2026 10:01:00 GMT' }), now), now + 60_000);
    assert.equal(retryAtFrom(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 60) }), now), now + 60_000);
    assert.equal(retryAtFrom(new Headers({}), now), undefined);
  });
});
