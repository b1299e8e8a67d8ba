// What the Settings form and the "no app saved" refusal tell the user to register, from each kind of
// redirect a developer app's platform accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { developerAppSpecList, redirectToRegister, type AnyLoopbackPortRedirect, type HttpsLoopbackPortRedirect } from '../../src-shared/developerApps';
import { redirectStrategyFor } from '../../src-main/core/platforms/developerAppSignIn';
import { readPastedAddress } from '../../src-main/core/oauth/redirectStrategies';

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

  it('is https://localhost on the chosen port where the platform takes only https addresses, and the sign-in listens there over TLS', () => {
    const https: HttpsLoopbackPortRedirect = { kind: 'httpsLoopbackPort', defaultPort: 53682, path: '/callback', registerAs: 'Valid OAuth Redirect URIs' };
    assert.deepEqual(redirectToRegister(https, 50123), { uri: 'https://localhost:50123/callback', as: 'Valid OAuth Redirect URIs' });
    assert.deepEqual(redirectStrategyFor(https, 50123), { httpsPort: 50123 });
    assert.deepEqual(redirectStrategyFor({ kind: 'fixedLoopbackPort', defaultPort: 53682, path: '/callback', registerAs: 'callback URI' }, 50123), { fixedPort: 50123 });
    assert.equal(redirectStrategyFor({ kind: 'anyLoopbackPort', path: '/', register: null }, 50123), 'loopback');
  });
});

describe('a pasted address', () => {
  it("loses Instagram's trailing #_ and Facebook's #_=_, which are not part of the answer", () => {
    const answer = 'https://localhost:53682/callback?code=AQBx-abc&state=s1';
    assert.equal(readPastedAddress(`${answer}#_`)?.href, answer);
    assert.equal(readPastedAddress(`  ${answer}#_=_ \n`)?.href, answer);
    assert.equal(readPastedAddress(`${answer}#_`)?.searchParams.get('code'), 'AQBx-abc');
  });

  it('keeps any other fragment as pasted, and is null when it is not an address', () => {
    assert.equal(readPastedAddress('https://localhost:53682/callback?code=c&state=s#other')?.hash, '#other');
    assert.equal(readPastedAddress('code=c&state=s#_'), null);
  });
});
