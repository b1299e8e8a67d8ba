// Meta's Graph API error object as Localpost's stable codes (src-main/core/platforms/meta/metaGraphErrors.ts),
// with the examples of developers.facebook.com/docs/graph-api/guides/error-handling.
// Run: npx tsx --test test/unit/metaGraphErrors.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metaGraphErrorOf, metaGraphRefusal, metaRegainAccessAt } from '../../src-main/core/platforms/meta/metaGraphErrors';

const now = 1_700_000_000_000;
const refusal = (error: Record<string, unknown>, status = 400, headers?: Headers) => metaGraphRefusal('Threads', metaGraphErrorOf({ error }), status, headers, now);

describe('Meta Graph API errors', () => {
  it('190 and its subcodes (app removed, password changed, expired, invalid session) ask for a reconnect', () => {
    for (const subcode of [458, 460, 463, 467, undefined]) {
      const error = refusal({ message: 'Error validating access token', type: 'OAuthException', code: 190, error_subcode: subcode, fbtrace_id: 'Atrace' });
      assert.equal(error.code, 'platform_auth_failed', String(subcode));
      assert.equal(error.action, 'Reconnect the account.');
      assert.match(error.message, /Atrace/);
    }
  });

  it('a missing permission (10, 200-series) is refused naming the permission, the account left as it is', () => {
    const error = refusal({ message: '(#10) The user has not granted the threads_content_publish permission.', type: 'OAuthException', code: 10 }, 403);
    assert.equal(error.code, 'platform_rejected');
    assert.match(error.message, /threads_content_publish/);
    assert.match(error.action!, /threads_content_publish/);
    assert.equal(refusal({ message: '(#200) Requires threads_basic permission', code: 200 }).code, 'platform_rejected');
  });

  it('rate limits (4, 17, 32, 613) wait for the time Meta’s usage headers give, else 15 minutes', () => {
    const headers = new Headers({ 'x-business-use-case-usage': JSON.stringify({ '123': [{ type: 'threads', call_count: 100, estimated_time_to_regain_access: 7 }] }) });
    const limited = refusal({ message: 'User request limit reached', code: 17 }, 400, headers);
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAt, now + 7 * 60_000);
    for (const code of [4, 32, 613]) assert.equal(refusal({ message: 'limit', code }).retryAt, now + 15 * 60_000, String(code));
    assert.equal(metaRegainAccessAt(new Headers({ 'x-app-usage': '{"call_count":100,"estimated_time_to_regain_access":3}' }), now), now + 3 * 60_000);
    assert.equal(metaRegainAccessAt(new Headers({ 'x-app-usage': 'not json' }), now), undefined);
  });

  it('the rest: passing trouble is transient, a refusal keeps Meta’s words and codes', () => {
    assert.equal(refusal({ message: 'Service temporarily unavailable', code: 2, is_transient: true }).transient, true);
    const image = refusal({ message: "Media download has failed. The media URI doesn't meet our requirements.", code: 1, error_subcode: 2207052 });
    assert.equal(image.code, 'platform_rejected');
    assert.equal(image.transient, false);
    assert.match(image.message, /code 1\/2207052/);
    assert.equal(metaGraphErrorOf({ data: [] }), null);
    assert.equal(metaGraphRefusal('Threads', null, 503, undefined, now).transient, true);
  });
});
