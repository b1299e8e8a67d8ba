// What the Settings form and the "no app saved" refusal tell the user to register, from each kind of
// redirect a developer app's platform accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { developerAppSpecList, redirectToRegister, type AnyLoopbackPortRedirect } from '../../src-shared/developerApps';

describe('the redirect to register', () => {
  it('is the exact loopback URI on the chosen port where the platform compares it character for character', () => {
    for (const spec of developerAppSpecList.filter((s) => s.redirect.kind === 'fixedLoopbackPort')) {
      assert.deepEqual(redirectToRegister(spec.redirect, 50123), {
        uri: `http://127.0.0.1:50123${spec.redirect.path}`,
        as: spec.redirect.kind === 'fixedLoopbackPort' ? spec.redirect.registerAs : '',
      });
    }
  });

  it('ignores the port where any port is accepted: the wildcard the portal wants, or nothing', () => {
    const wildcard: AnyLoopbackPortRedirect = { kind: 'anyLoopbackPort', path: '/callback/', register: { uri: 'http://127.0.0.1:*/callback/', as: 'Redirect URI' } };
    assert.deepEqual(redirectToRegister(wildcard, 50123), { uri: 'http://127.0.0.1:*/callback/', as: 'Redirect URI' });
    assert.equal(redirectToRegister({ kind: 'anyLoopbackPort', path: '/callback', register: null }, 50123), null);
  });
});
