// How OAuth failures map to stable codes, from the error shapes the platforms document.
// Run: npx tsx --test test/unit/oauthErrors.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { AppError } from '../../src-main/core/errors';
import { retryAtFrom } from '../../src-main/core/http/rateLimit';
import { toOAuthAppError } from '../../src-main/core/oauth/oauthErrors';

const server: oauth.AuthorizationServer = { issuer: 'https://as.example', token_endpoint: 'https://as.example/token' };
const client: oauth.Client = { client_id: 'c' };

/** What oauth4webapi throws for this token-endpoint answer. */
async function tokenEndpointError(status: number, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  try {
    await oauth.processRefreshTokenResponse(server, client, response);
  } catch (error) {
    return error;
  }
  assert.fail('expected oauth4webapi to throw');
}

function authorizationError(params: Record<string, string>): unknown {
  try {
    oauth.validateAuthResponse(server, client, new URLSearchParams({ state: 's', ...params }), 's');
  } catch (error) {
    return error;
  }
  assert.fail('expected an authorization error');
}

describe('OAuth error mapping', () => {
  it('a denied consent is platform_rejected with the platform’s words', () => {
    const error = toOAuthAppError(authorizationError({ error: 'access_denied', error_description: 'User said no.' }), {
      platformName: 'X',
      stage: 'authorization',
    });
    assert.equal(error.code, 'platform_rejected');
    assert.match(error.message, /User said no\./);
  });

  it('a redirect problem is redirect_mismatch naming the URI to register', async () => {
    const shapes = [
      // X's token endpoint, as X answers (docs.x.com does not list the wording)
      await tokenEndpointError(400, { error: 'invalid_request', error_description: 'Value passed for the redirect uri parameter was invalid.' }),
      // Doorkeeper (Mastodon)
      authorizationError({ error: 'invalid_redirect_uri', error_description: 'The redirect uri included is not valid.' }),
    ];
    for (const shape of shapes) {
      const error = toOAuthAppError(shape, { platformName: 'X', stage: 'token', redirectUri: 'http://127.0.0.1:53682/callback' });
      assert.equal(error.code, 'redirect_mismatch');
      assert.match(error.message, /Register exactly http:\/\/127\.0\.0\.1:53682\/callback/);
    }
  });

  it('invalid_grant is a refused code during sign-in, a lost grant during refresh', async () => {
    const refused = await tokenEndpointError(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
    assert.equal(toOAuthAppError(refused, { platformName: 'X', stage: 'token' }).code, 'platform_rejected');
    assert.equal(toOAuthAppError(refused, { platformName: 'X', stage: 'refresh' }).code, 'platform_auth_failed');
  });

  it('429 is rate_limited, with or without an OAuth body', async () => {
    const now = 1_700_000_000_000;
    const oauthBody = await tokenEndpointError(429, { error: 'slow_down' }, { 'retry-after': '120' });
    const problem = await tokenEndpointError(429, { title: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded' }, {
      'x-rate-limit-reset': String(now / 1000 + 900),
    });
    assert.deepEqual(
      [oauthBody, problem].map((error) => {
        const mapped = toOAuthAppError(error, { platformName: 'X', stage: 'refresh', now });
        return [mapped.code, mapped.retryAt];
      }),
      [
        ['rate_limited', now + 120_000],
        ['rate_limited', now + 900_000],
      ],
    );
  });

  it('a server error is platform_rejected, an unreachable server network_unreachable', async () => {
    const serverError = await tokenEndpointError(503, { oops: true });
    assert.equal(toOAuthAppError(serverError, { platformName: 'X', stage: 'token' }).code, 'platform_rejected');
    assert.equal(toOAuthAppError(new TypeError('fetch failed'), { platformName: 'X', stage: 'token' }).code, 'network_unreachable');
    const ours = new AppError('network_unreachable', 'This computer is offline.');
    assert.equal(toOAuthAppError(new Error('wrapped', { cause: ours }), { platformName: 'X', stage: 'token' }), ours, 'our own errors pass through');
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(retryAtFrom(new Headers({ 'retry-after': '5' }), now), now + 5000);
    assert.equal(retryAtFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' }), now), now + 60_000);
    assert.equal(retryAtFrom(new Headers(), now), undefined);
  });
});
