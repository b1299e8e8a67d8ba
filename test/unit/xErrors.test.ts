// How X's refusals map to stable codes, from the shapes X documents (docs.x.com,
// x-api/fundamentals/response-codes-and-errors): RFC 7807 problem details, `errors[]` on a 400,
// rate limits with `x-rate-limit-reset` in epoch seconds.
// Run: npx tsx --test test/unit/xErrors.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemName, xProblem } from '../../src-main/core/platforms/x/xErrors';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  xProblem(new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } }), now);

describe("X's problem details", () => {
  it('names the problem from either API host, and nothing for about:blank', () => {
    assert.equal(problemName('https://api.x.com/2/problems/usage-capped'), 'usage-capped');
    assert.equal(problemName('https://api.twitter.com/2/problems/client-forbidden'), 'client-forbidden');
    assert.equal(problemName('about:blank'), undefined);
    assert.equal(problemName(undefined), undefined);
  });

  it('429: rate_limited at x-rate-limit-reset (epoch seconds), or Retry-After when that is what came', async () => {
    const reset = now / 1000 + 900;
    const limited = await problem(429, { title: 'Too Many Requests', type: 'about:blank', status: 429 }, { 'x-rate-limit-reset': String(reset) });
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAt, reset * 1000);
    const retryAfter = await problem(429, {}, { 'retry-after': '30' });
    assert.equal(retryAfter.retryAt, now + 30_000);
    // A rate-limit problem type counts even under another status.
    assert.equal((await problem(400, { type: 'https://api.x.com/2/problems/rate-limit-exceeded' })).code, 'rate_limited');
  });

  it('usage-capped is rate_limited, said as the app’s cap', async () => {
    const capped = await problem(429, { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped' });
    assert.equal(capped.code, 'rate_limited');
    assert.match(capped.message, /usage cap: Usage cap exceeded: Monthly product cap/);
  });

  it("400 gives the messages of errors[], not the generic detail", async () => {
    const refused = await problem(400, {
      errors: [{ parameters: { 'media.media_ids': ['1'] }, message: 'Your media IDs are invalid.' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.x.com/2/problems/invalid-request',
    });
    assert.equal(refused.code, 'platform_rejected');
    assert.equal(refused.message, 'X refused: Your media IDs are invalid.');
  });

  it('401 is platform_auth_failed; 413 media_too_large; 403 and 5xx platform_rejected; a non-JSON body still maps', async () => {
    assert.equal((await problem(401, { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank' })).code, 'platform_auth_failed');
    assert.equal((await problem(413, '')).code, 'media_too_large');
    const duplicate = await problem(403, { title: 'Forbidden', type: 'about:blank', detail: 'You are not allowed to create a Tweet with duplicate content.' });
    assert.equal(duplicate.code, 'platform_rejected');
    assert.match(duplicate.message, /duplicate content/);
    const down = await problem(502, '<html>Bad Gateway</html>');
    assert.equal(down.code, 'platform_rejected');
    assert.match(down.message, /HTTP 502/);
    assert.equal(down.transient, true, 'a 5xx is worth trying again');
    assert.equal(duplicate.transient, false, 'a refusal is not');
  });
});
