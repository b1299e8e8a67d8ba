// Platform endpoints (each platform's defaults, kept in its folder), their environment overrides,
// and which addresses are accepted.
// Run: npx tsx --test test/unit/oauthEndpoints.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, isLoopbackHttp } from '../../src-main/core/oauth/endpoints';
import { mastodonEndpoints, parseMastodonInstance } from '../../src-main/core/platforms/mastodon/instanceEndpoints';
import { pinterestEndpoints, pinterestSandboxEndpoints } from '../../src-main/core/platforms/pinterest/pinterestAdapter';
import { xEndpoints } from '../../src-main/core/platforms/x/xAdapter';

describe('X endpoints', () => {
  it('are X’s documented ones by default', () => {
    assert.deepEqual(xEndpoints({}), {
      authorizeUrl: 'https://x.com/i/oauth2/authorize',
      tokenUrl: 'https://api.x.com/2/oauth2/token',
      revokeUrl: 'https://api.x.com/2/oauth2/revoke',
      apiBase: 'https://api.x.com',
      issuer: 'https://x.com',
    });
  });

  it('follow LOCALPOST_X_* overrides from the injected environment', () => {
    const endpoints = xEndpoints({
      LOCALPOST_X_AUTHORIZE_URL: 'http://127.0.0.1:4000/oauth/authorize',
      LOCALPOST_X_TOKEN_URL: 'http://127.0.0.1:4000/oauth/token',
      LOCALPOST_X_REVOKE_URL: 'http://127.0.0.1:4000/oauth/revoke',
      LOCALPOST_X_API_BASE: 'http://127.0.0.1:4001/',
      LOCALPOST_MASTODON_TOKEN_URL: 'https://ignored.example/token',
    });
    assert.deepEqual(endpoints, {
      authorizeUrl: 'http://127.0.0.1:4000/oauth/authorize',
      tokenUrl: 'http://127.0.0.1:4000/oauth/token',
      revokeUrl: 'http://127.0.0.1:4000/oauth/revoke',
      apiBase: 'http://127.0.0.1:4001',
      issuer: 'http://127.0.0.1:4000',
    });
    assert.equal(xEndpoints({ LOCALPOST_X_TOKEN_URL: '' }).tokenUrl, 'https://api.x.com/2/oauth2/token', 'an empty variable is no override');
    assert.equal(xEndpoints({ LOCALPOST_X_ISSUER: 'https://issuer.example' }).issuer, 'https://issuer.example');
  });

  it('refuse an override that would send tokens over plain http to another machine', () => {
    assert.throws(() => xEndpoints({ LOCALPOST_X_TOKEN_URL: 'http://sandbox.example/token' }), { code: 'invalid_input' });
    assert.throws(() => xEndpoints({ LOCALPOST_X_AUTHORIZE_URL: 'not a url' }), { code: 'invalid_input' });
    assert.throws(() => xEndpoints({ LOCALPOST_X_API_BASE: 'file:///etc/passwd' }), { code: 'invalid_input' });
  });
});

describe('Pinterest endpoints', () => {
  it('are production’s by default, and the sandbox moves only the token endpoint and the API', () => {
    assert.deepEqual(pinterestEndpoints({}), {
      authorizeUrl: 'https://www.pinterest.com/oauth/',
      tokenUrl: 'https://api.pinterest.com/v5/oauth/token',
      apiBase: 'https://api.pinterest.com/v5',
      issuer: 'https://www.pinterest.com',
    });
    assert.deepEqual(pinterestSandboxEndpoints({}), {
      authorizeUrl: 'https://www.pinterest.com/oauth/',
      tokenUrl: 'https://api-sandbox.pinterest.com/v5/oauth/token',
      apiBase: 'https://api-sandbox.pinterest.com/v5',
      issuer: 'https://www.pinterest.com',
    });
  });

  it('follow their own overrides: the sandbox’s never move production, and the consent page is the one of production', () => {
    const env = {
      LOCALPOST_PINTEREST_AUTHORIZE_URL: 'http://127.0.0.1:4000/oauth/',
      LOCALPOST_PINTEREST_TOKEN_URL: 'http://127.0.0.1:4000/v5/oauth/token',
      LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL: 'http://127.0.0.1:4000/sandbox/v5/oauth/token',
      LOCALPOST_PINTEREST_SANDBOX_API_BASE: 'http://127.0.0.1:4000/sandbox/v5/',
    };
    assert.equal(pinterestEndpoints(env).apiBase, 'https://api.pinterest.com/v5');
    assert.deepEqual(pinterestSandboxEndpoints(env), {
      authorizeUrl: 'http://127.0.0.1:4000/oauth/',
      tokenUrl: 'http://127.0.0.1:4000/sandbox/v5/oauth/token',
      apiBase: 'http://127.0.0.1:4000/sandbox/v5',
      issuer: 'http://127.0.0.1:4000',
    });
    assert.throws(() => pinterestSandboxEndpoints({ LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL: 'http://sandbox.example/token' }), { code: 'invalid_input' });
  });
});

describe('Mastodon instances', () => {
  it('accept a domain, a full address, or a handle', () => {
    for (const input of ['mastodon.social', ' https://mastodon.social/about ', '@alice@mastodon.social', 'alice@mastodon.social', 'MASTODON.social']) {
      assert.equal(parseMastodonInstance(input).origin, 'https://mastodon.social', input);
    }
    assert.equal(parseMastodonInstance('http://127.0.0.1:3000').origin, 'http://127.0.0.1:3000');
    assert.equal(parseMastodonInstance('http://localhost:3000/').origin, 'http://localhost:3000');
  });

  it('refuse http except on loopback, and things that are not instances', () => {
    for (const input of ['http://mastodon.social', 'ftp://mastodon.social', '', 'mastodon', 'https://user:pw@mastodon.social', 'javascript:alert(1)']) {
      assert.throws(() => parseMastodonInstance(input), { code: 'invalid_service_url' }, input);
    }
  });

  it('give the instance’s /oauth endpoints, overridable like every platform’s', () => {
    assert.deepEqual(mastodonEndpoints('@alice@fosstodon.org', {}), {
      authorizeUrl: 'https://fosstodon.org/oauth/authorize',
      tokenUrl: 'https://fosstodon.org/oauth/token',
      revokeUrl: 'https://fosstodon.org/oauth/revoke',
      apiBase: 'https://fosstodon.org',
      issuer: 'https://fosstodon.org',
    });
    assert.equal(mastodonEndpoints('fosstodon.org', { LOCALPOST_MASTODON_API_BASE: 'http://127.0.0.1:9/' }).apiBase, 'http://127.0.0.1:9');
  });
});

describe('loopback', () => {
  it('is 127.0.0.0/8, ::1 and localhost, and nothing that merely looks like them', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '[::1]', '::1', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['127.0.0.1.evil.example', 'localhost.example', '10.0.0.1', '0.0.0.0', '128.0.0.1']) assert.ok(!isLoopbackHost(host), host);
    assert.ok(isLoopbackHttp('http://127.0.0.1:8080/token'));
    assert.ok(!isLoopbackHttp('https://127.0.0.1/token'), 'https needs no exception');
    assert.ok(!isLoopbackHttp('http://example.com/token'));
  });
});
