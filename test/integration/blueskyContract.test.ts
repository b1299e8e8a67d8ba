// Answers the reference PDS cannot give on loopback, from the contract mock: email sign-in codes,
// rate limiting, a taken-down account.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emailCode, startBlueskyContractMock, type BlueskyContractMock } from '../harness/blueskyContractMock';
import { startCore } from '../harness/coreClient';

let mock: BlueskyContractMock;
before(async () => {
  mock = await startBlueskyContractMock();
});
after(() => mock.close());

describe('Bluesky sign-in answers from the contract mock', () => {
  it('auth_factor_required asks for the email code, and the code completes the connection', async () => {
    const app = await startCore({ env: mock.env });
    const input = { platform: 'bluesky' as const, handle: 'email.test', appPassword: 'abcd-efgh-ijkl-mnop', service: mock.url, confirm: ['private_address' as const] };
    await assert.rejects(app.call('accounts.connect', input), (error: any) => {
      assert.equal(error.code, 'auth_factor_required');
      assert.match(error.error.action, /code/);
      return true;
    });
    const { account } = await app.call('accounts.connect', { ...input, authFactorToken: ` ${emailCode} ` });
    assert.equal(account.remoteId, 'did:plc:emailuser');
    app.close();
  });

  it('rate_limited says when to retry', async () => {
    const app = await startCore();
    await assert.rejects(app.call('accounts.connect', { platform: 'bluesky', handle: 'busy.test', appPassword: 'abcd-efgh-ijkl-mnop', service: mock.url, confirm: ['private_address'] }), (error: any) => {
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.error.retryAt, mock.rateLimitResetAt * 1000);
      assert.match(error.error.action, /Try again after/);
      return true;
    });
    app.close();
  });

  it('anything else the PDS refuses is platform_rejected with its message', async () => {
    const app = await startCore();
    await assert.rejects(app.call('accounts.connect', { platform: 'bluesky', handle: 'takedown.test', appPassword: 'abcd-efgh-ijkl-mnop', service: mock.url, confirm: ['private_address'] }), (error: any) => {
      assert.equal(error.code, 'platform_rejected');
      assert.match(error.message, /Account has been taken down/);
      return true;
    });
    app.close();
  });
});
