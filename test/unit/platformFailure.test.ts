// One classification of a platform's HTTP failure into Localpost's stable codes: every adapter
// hands it the status, the headers and the platform's own words, and says which statuses mean
// what for its platform.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { classifyHttpFailure, failureActions, type PlatformFailureRules } from '../../src-main/core/http/platformFailure';
import { blueskyError } from '../../src-main/core/platforms/bluesky/errors';
import { Client } from '@atproto/lex-client';
import { mastodonProblem } from '../../src-main/core/platforms/mastodon/mastodonErrors';

const now = Date.parse('2026-12-02T10:00:00Z');
const account: PlatformFailureRules = { platformName: 'example.social', authFailed: [401], tooLarge: [413] };
const webhook: PlatformFailureRules = {
  platformName: 'Hooks',
  authFailed: [401, 404],
  tooLarge: [],
  lostAccess: { message: 'Hooks no longer knows this webhook.', action: 'Copy the webhook URL again and reconnect.' },
};

describe('classifyHttpFailure', () => {
  it('429: rate_limited, at the time the platform gave in its body, else from its headers, else unknown', () => {
    const fromBody = classifyHttpFailure({ status: 429, retryAt: now + 2500, headers: new Headers({ 'retry-after': '3' }) }, account, now);
    assert.equal(fromBody.code, 'rate_limited');
    assert.equal(fromBody.retryAt, now + 2500, 'the body is more precise than the header');
    assert.equal(fromBody.message, 'example.social is limiting requests right now.');
    assert.match(fromBody.action ?? '', /Nothing was posted/);

    assert.equal(classifyHttpFailure({ status: 429, headers: new Headers({ 'retry-after': '30' }) }, account, now).retryAt, now + 30_000);
    // Mastodon's reset is an ISO 8601 time (docs.joinmastodon.org/api/rate-limits).
    const mastodonReset = new Headers({ 'x-ratelimit-reset': '2026-12-02T10:05:00.000000Z' });
    assert.equal(classifyHttpFailure({ status: 429, headers: mastodonReset }, account, now).retryAt, now + 300_000);
    // Bluesky's is epoch seconds (docs.bsky.app, rate limits).
    const blueskyReset = new Headers({ 'ratelimit-reset': String(now / 1000 + 600) });
    assert.equal(classifyHttpFailure({ status: 429, headers: blueskyReset }, account, now).retryAt, now + 600_000);

    const unknown = classifyHttpFailure({ status: 429 }, account, now);
    assert.equal(unknown.retryAt, undefined);
    assert.match(unknown.action ?? '', /in a few minutes/);
  });

  it('the statuses the platform names as a lost sign-in: platform_auth_failed with its words, or the platform’s own sentence', () => {
    const signIn = classifyHttpFailure({ status: 401, said: 'The access token is invalid' }, account, now);
    assert.equal(signIn.code, 'platform_auth_failed');
    assert.equal(signIn.message, 'example.social no longer accepts this account’s sign-in: The access token is invalid');
    assert.equal(signIn.action, failureActions.reconnect);
    assert.equal(classifyHttpFailure({ status: 401 }, account, now).message, 'example.social no longer accepts this account’s sign-in.');

    // 404 means the sign-in is gone only where the platform says so (a deleted webhook).
    assert.equal(classifyHttpFailure({ status: 404 }, account, now).code, 'platform_rejected');
    const gone = classifyHttpFailure({ status: 404, said: 'Unknown Webhook' }, webhook, now);
    assert.equal(gone.code, 'platform_auth_failed');
    assert.equal(gone.message, 'Hooks no longer knows this webhook.');
    assert.equal(gone.action, 'Copy the webhook URL again and reconnect.');
  });

  it('too large where the platform says 413 means it; a refusal like any other where it does not', () => {
    const tooLarge = classifyHttpFailure({ status: 413 }, account, now);
    assert.equal(tooLarge.code, 'media_too_large');
    assert.equal(tooLarge.message, 'example.social refused the upload as too large.');
    assert.equal(tooLarge.action, failureActions.smallerImages);
    assert.equal(classifyHttpFailure({ status: 413 }, { ...account, tooLargeAction: 'At most 5 MB each.' }, now).action, 'At most 5 MB each.');
    assert.equal(classifyHttpFailure({ status: 413, said: 'Request Entity Too Large' }, webhook, now).code, 'platform_rejected');
  });

  it('what the body means wins over a status that says nothing (an error code in a 400 or a 403)', () => {
    assert.equal(classifyHttpFailure({ status: 403, means: 'auth_failed' }, webhook, now).code, 'platform_auth_failed');
    assert.equal(classifyHttpFailure({ status: 400, means: 'too_large' }, webhook, now).code, 'media_too_large');
    const limited = classifyHttpFailure({ status: 400, means: 'rate_limited', headers: new Headers({ 'x-rate-limit-reset': String(now / 1000 + 60) }) }, account, now);
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAt, now + 60_000);
  });

  it('5xx: platform_rejected, transient, and the outbox tries again by itself', () => {
    const down = classifyHttpFailure({ status: 502, said: 'Bad Gateway' }, account, now);
    assert.equal(down.code, 'platform_rejected');
    assert.equal(down.transient, true);
    assert.equal(down.message, 'example.social had a problem (Bad Gateway).');
    assert.equal(down.action, failureActions.tryLater);
    assert.equal(classifyHttpFailure({ status: 503 }, account, now).message, 'example.social had a problem (HTTP 503).');
    assert.equal(down.delivery, undefined, 'delivery is only for a request that got no answer');
  });

  it('any other refusal: platform_rejected in the platform’s words, not transient, with the platform’s advice if it has one', () => {
    const refused = classifyHttpFailure({ status: 422, said: '  Validation failed: Text too long  ' }, account, now);
    assert.ok(refused instanceof AppError);
    assert.equal(refused.code, 'platform_rejected');
    assert.equal(refused.transient, false);
    assert.equal(refused.message, 'example.social refused: Validation failed: Text too long');
    assert.equal(refused.action, failureActions.changeAndRetry);
    assert.equal(classifyHttpFailure({ status: 400, said: '' }, account, now).message, 'example.social refused: HTTP 400');
    assert.equal(classifyHttpFailure({ status: 403 }, { ...account, refusedAction: 'Add the bot back.' }, now).action, 'Add the bot back.');
    assert.equal(classifyHttpFailure({ status: 500 }, { ...account, refusedAction: 'Add the bot back.' }, now).action, failureActions.tryLater);
  });
});

describe('a platform’s own cases, on top of the shared classification', () => {
  it('Bluesky: a sign-in code, a suspended account and a wrong app password at connect are its own; the rest is shared', async () => {
    // The error lex-client throws for a call the server answered with this status and body.
    const failure = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Client(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers } }))
        .getRecord('app.bsky.feed.post', '3jzfcijpj2z2a', { repo: 'did:plc:alice' })
        .then(() => assert.fail('the call succeeded'), (error: unknown) => error);
    assert.equal(blueskyError(await failure(401, { error: 'AuthFactorTokenRequired', message: 'A sign in code has been sent' }), 'connect', now).code, 'auth_factor_required');
    const suspended = blueskyError(await failure(400, { error: 'AccountTakedown', message: 'Account has been taken down' }), 'publish', now);
    assert.equal(suspended.code, 'platform_rejected');
    assert.match(suspended.action ?? '', /suspended/);
    assert.equal(blueskyError(await failure(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' }), 'connect', now).code, 'invalid_credentials');

    // After connect, the same refusal means the saved session is gone, by status or by name.
    const expired = blueskyError(await failure(400, { error: 'ExpiredToken', message: 'Token has expired' }), 'publish', now);
    assert.equal(expired.code, 'platform_auth_failed');
    assert.match(expired.action ?? '', /app password/);
    assert.equal(blueskyError(await failure(401, 'Unauthorized'), 'check', now).code, 'platform_auth_failed');

    const limited = blueskyError(await failure(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'ratelimit-reset': String(now / 1000 + 300) }), 'publish', now);
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAt, now + 300_000);
    const down = blueskyError(await failure(502, '<html>Bad gateway</html>'), 'publish', now);
    assert.equal(down.code, 'platform_rejected');
    assert.equal(down.transient, true);
    const refused = blueskyError(await failure(400, { error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' }), 'publish', now);
    assert.equal(refused.code, 'platform_rejected');
    assert.equal(refused.transient, false);
    assert.match(refused.message, /300 graphemes/);

    // No answer at all, or one that is not what the call returns: the hosting provider is unreachable.
    const offline = await new Client(async () => Promise.reject(new TypeError('fetch failed'))).getRecord('app.bsky.feed.post', '3jzfcijpj2z2a', { repo: 'did:plc:alice' }).catch((error: unknown) => error);
    assert.equal(blueskyError(offline, 'publish', now).code, 'network_unreachable');
    assert.equal(blueskyError(await failure(200, '<html>a captive portal</html>'), 'publish', now).code, 'network_unreachable');
    // Anything else is not Bluesky's answer.
    assert.equal(blueskyError(new Error('a bug'), 'publish', now).code, 'internal');
  });

  it('Mastodon: its `{ error }` body in the message, its ISO reset time as retryAt', async () => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      mastodonProblem(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }), 'example.social', now);
    const refused = await answer(422, { error: 'Validation failed: Text character limit of 500 exceeded' });
    assert.equal(refused.code, 'platform_rejected');
    assert.equal(refused.message, 'example.social refused: Validation failed: Text character limit of 500 exceeded');
    const limited = await answer(429, { error: 'Too many requests' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-12-02T10:05:00.000Z' });
    assert.equal(limited.retryAt, now + 300_000);
    assert.equal((await answer(401, { error: 'The access token is invalid' })).code, 'platform_auth_failed');
    assert.equal((await answer(413, {})).code, 'media_too_large');
    assert.equal((await answer(503, {})).transient, true);
  });
});
