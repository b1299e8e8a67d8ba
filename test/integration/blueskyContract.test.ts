// Answers the reference PDS cannot give on loopback, from a contract mock built on the documented
// shapes (lexicon com.atproto.server.createSession: AuthFactorTokenRequired; docs.bsky.app rate
// limits: 429 with RateLimit-* headers): email sign-in codes and rate limiting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCore } from '../harness/coreClient';

let server: http.Server;
let url: string;
const resetAt = Math.floor(Date.now() / 1000) + 300;

before(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const input = body ? JSON.parse(body) : {};
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      if (!request.url?.startsWith('/xrpc/com.atproto.server.createSession')) return json(404, { error: 'MethodNotImplemented' });
      if (input.identifier === 'busy.test') {
        return json(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, {
          'ratelimit-limit': '30',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(resetAt),
          'ratelimit-policy': '30;w=300',
        });
      }
      if (input.identifier === 'takedown.test') return json(401, { error: 'AccountTakedown', message: 'Account has been taken down' });
      if (input.authFactorToken !== '123456') {
        return json(401, { error: 'AuthFactorTokenRequired', message: 'A sign in code has been sent to your email address' });
      }
      return json(200, { did: 'did:plc:emailuser', handle: 'email.test', accessJwt: 'a.b.c', refreshJwt: 'd.e.f', active: true, emailConfirmed: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

describe('Bluesky sign-in answers from the contract mock', () => {
  it('auth_factor_required asks for the email code, and the code completes the connection', async () => {
    const app = await startCore();
    const input = { handle: 'email.test', appPassword: 'abcd-efgh-ijkl-mnop', service: url };
    await assert.rejects(app.call('accounts.connectBluesky', input), (error: any) => {
      assert.equal(error.code, 'auth_factor_required');
      assert.match(error.error.action, /code/);
      return true;
    });
    const { account } = await app.call('accounts.connectBluesky', { ...input, authFactorToken: ' 123456 ' });
    assert.equal(account.did, 'did:plc:emailuser');
    app.close();
  });

  it('rate_limited says when to retry', async () => {
    const app = await startCore();
    await assert.rejects(app.call('accounts.connectBluesky', { handle: 'busy.test', appPassword: 'abcd-efgh-ijkl-mnop', service: url }), (error: any) => {
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.error.retryAt, resetAt * 1000);
      assert.match(error.error.action, /Try again after/);
      return true;
    });
    app.close();
  });

  it('anything else the PDS refuses is platform_rejected with its message', async () => {
    const app = await startCore();
    await assert.rejects(app.call('accounts.connectBluesky', { handle: 'takedown.test', appPassword: 'abcd-efgh-ijkl-mnop', service: url }), (error: any) => {
      assert.equal(error.code, 'platform_rejected');
      assert.match(error.message, /Account has been taken down/);
      return true;
    });
    app.close();
  });
});
