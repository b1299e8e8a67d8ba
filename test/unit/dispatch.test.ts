import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isTrustedSender } from '../../src-main/core/bridge/dispatch';
import { methods } from '../../src-preload/contract';
import { startCore, testAppOrigin } from '../harness/coreClient';

const app = await startCore();
after(() => app.close());

describe('the bridge dispatch', () => {
  it('compares sender origins by parsing, not by prefix', () => {
    assert.equal(isTrustedSender('app://localpost/index.html', 'app://localpost'), true);
    assert.equal(isTrustedSender('app://localpost.evil.com/index.html', 'app://localpost'), false);
    assert.equal(isTrustedSender('https://evil.example/', 'app://localpost'), false);
    assert.equal(isTrustedSender(undefined, 'app://localpost'), false);
    assert.equal(isTrustedSender('not a url', 'app://localpost'), false);
  });

  it('refuses every method from an untrusted sender', async () => {
    for (const method of Object.keys(methods)) {
      const result = await app.core.dispatch(method, {}, 'https://evil.example/');
      assert.deepEqual(result, { ok: false, error: { code: 'untrusted_sender', message: 'This page may not talk to Localpost.' } }, method);
    }
  });

  it('validates every argument at run time, with a stable code', async () => {
    const from = `${testAppOrigin}/index.html`;
    const cases: Array<[string, unknown]> = [
      ['accounts.connect', { platform: 'bluesky', handle: 1, appPassword: 'x', service: '' }],
      ['accounts.connect', { platform: 'bluesky', handle: 'a.b', appPassword: 'x', service: '', extra: true }],
      ['accounts.connect', { handle: 'a.b', appPassword: 'x', service: '' }],
      ['accounts.connect', { platform: 'myspace', handle: 'a.b' }],
      ['accounts.connect', { platform: 'discord', webhookUrl: 'https://discord.com/api/webhooks/1/x', handle: 'a.b' }],
      ['drafts.save', { id: 'x', text: 'hi', targetAccountIds: 'all', langs: [] }],
      ['profiles.create', { name: '   ' }],
      ['drafts.addImage', { draftId: 'x', fileName: 'a.png', bytes: 'not bytes' }],
      ['no.such', {}],
    ];
    for (const [method, input] of cases) {
      const result = await app.core.dispatch(method, input, from);
      assert.equal(result.ok, false, method);
      assert.equal(!result.ok && result.error.code, 'invalid_input', `${method} ${JSON.stringify(input)}`);
    }
  });

  it('answers unknown failures without internals', async () => {
    const result = await app.core.dispatch('drafts.get', { id: 'missing' }, `${testAppOrigin}/`);
    assert.deepEqual(result.ok ? null : result.error.code, 'not_found');
  });
});
