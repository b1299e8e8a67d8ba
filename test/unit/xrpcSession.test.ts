// XrpcSession, Bluesky's app-password session, against a scripted server: where each call goes,
// the one refresh an expired token gets (however many calls find it expired at once), the rotated
// tokens handed over before any call uses them, and the end of a session whose refresh token is
// refused. The same rules against a real PDS: test/integration/bluesky.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pdsEndpointOf, XrpcError, XrpcSession, type SessionData, type SessionEvent } from '../../src-main/core/platforms/bluesky/xrpcSession';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const didDoc = (pds: string) => ({ id: 'did:plc:alice', service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pds }] });

/** A server issuing `access-<n>` and `refresh-<n>`: only the latest of each is accepted, the access token until it expires. */
function scripted() {
  let issued = 1;
  let accessExpired = false;
  const seen: Array<{ url: string; authorization: string | null }> = [];
  let refreshes = 0;
  let refuseRefresh = false;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const authorization = new Headers(init?.headers).get('authorization');
    seen.push({ url: url.href, authorization });
    const nsid = url.pathname.slice('/xrpc/'.length);
    if (nsid === 'com.atproto.server.createSession') {
      return json(200, { did: 'did:plc:alice', handle: 'alice.test', accessJwt: 'access-1', refreshJwt: 'refresh-1', didDoc: didDoc('https://pds.example') });
    }
    if (nsid === 'com.atproto.server.refreshSession') {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (refuseRefresh || authorization !== `Bearer refresh-${issued}`) return json(400, { error: 'ExpiredToken', message: 'Token has expired' });
      issued++;
      accessExpired = false;
      return json(200, { did: 'did:plc:alice', handle: 'alice.test', accessJwt: `access-${issued}`, refreshJwt: `refresh-${issued}`, emailConfirmed: true, didDoc: didDoc('https://pds.example') });
    }
    if (accessExpired || authorization !== `Bearer access-${issued}`) return json(400, { error: 'ExpiredToken', message: 'Token has expired' });
    return json(200, { ok: nsid });
  }) as typeof globalThis.fetch;
  return {
    fetch,
    seen,
    refreshes: () => refreshes,
    expireAccess: () => void (accessExpired = true),
    refuseRefresh: () => void (refuseRefresh = true),
  };
}

describe('XrpcSession', () => {
  it('signs in at the service, then calls the PDS its DID document names, with the access token', async () => {
    const server = scripted();
    const events: SessionEvent[] = [];
    const session = new XrpcSession(new URL('https://entryway.example'), server.fetch, (event) => events.push(event));
    const signedIn = await session.login({ identifier: 'alice.test', password: 'app-password' });
    assert.equal(signedIn.did, 'did:plc:alice');
    assert.deepEqual(await session.query('com.atproto.server.getSession'), { data: { ok: 'com.atproto.server.getSession' }, headers: { 'content-type': 'application/json' } });
    assert.deepEqual(
      server.seen.map(({ url, authorization }) => [url, authorization]),
      [
        ['https://entryway.example/xrpc/com.atproto.server.createSession', null],
        ['https://pds.example/xrpc/com.atproto.server.getSession', 'Bearer access-1'],
      ],
    );
    assert.deepEqual(events, ['create']);
  });

  it('an expired access token gets one refresh, however many calls find it expired, and each call is sent again with the new one', async () => {
    const server = scripted();
    const persisted: Array<SessionData | undefined> = [];
    const session = new XrpcSession(new URL('https://entryway.example'), server.fetch, (event, data) => event === 'update' && persisted.push(data));
    await session.login({ identifier: 'alice.test', password: 'app-password' });
    server.expireAccess();
    const answers = await Promise.all([1, 2, 3].map(() => session.procedure<{ ok: string }>('com.atproto.repo.createRecord', { json: { record: {} } })));
    assert.deepEqual(
      answers.map(({ data }) => data.ok),
      ['com.atproto.repo.createRecord', 'com.atproto.repo.createRecord', 'com.atproto.repo.createRecord'],
    );
    assert.equal(server.refreshes(), 1, 'one refresh at a time, shared by the three calls');
    assert.equal(persisted.length, 1);
    assert.equal(persisted[0]!.refreshJwt, 'refresh-2', 'the rotated refresh token handed over to be stored');
  });

  it('a refresh token the server refuses ends the session, and the call fails with the server\u2019s error', async () => {
    const server = scripted();
    const events: SessionEvent[] = [];
    const session = new XrpcSession(new URL('https://entryway.example'), server.fetch, (event) => events.push(event));
    await session.login({ identifier: 'alice.test', password: 'app-password' });
    server.expireAccess();
    server.refuseRefresh();
    await assert.rejects(session.query('com.atproto.repo.getRecord', { repo: 'did:plc:alice' }), (error: unknown) => {
      assert.ok(error instanceof XrpcError);
      assert.deepEqual([error.status, error.error], [400, 'ExpiredToken']);
      return true;
    });
    assert.deepEqual(events, ['create', 'expired']);
    assert.equal(session.session, undefined);
  });

  it('reads the PDS from a DID document only as an http(s) endpoint of the #atproto_pds service', () => {
    assert.equal(pdsEndpointOf(didDoc('https://pds.example')), 'https://pds.example');
    assert.equal(pdsEndpointOf({ id: 'did:plc:a', service: [{ id: 'did:plc:a#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: 'http://127.0.0.1:2583' }] }), 'http://127.0.0.1:2583');
    assert.equal(pdsEndpointOf({ id: 'did:plc:a', service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: 'file:///etc/passwd' }] }), undefined);
    assert.equal(pdsEndpointOf({ id: 'did:plc:a', service: [{ id: '#atproto_pds', type: 'Other', serviceEndpoint: 'https://pds.example' }] }), undefined);
    assert.equal(pdsEndpointOf({ service: [] }), undefined);
    assert.equal(pdsEndpointOf(null), undefined);
  });
});
