/**
 * Self-test of the PDS harness: if this fails, integration test failures are
 * about the harness, not the app. Run: npx tsx --test test/harness/pds.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forgeExpiredAccessJwt, startPds, type TestPds } from './pds';

let pds: TestPds;
before(async () => {
  pds = await startPds();
});
after(async () => {
  await pds?.close();
});

/** Raw XRPC call: GET without a body, POST with one; `token` is sent as a Bearer. */
async function call(nsid: string, init: { token?: string; body?: unknown; method?: 'GET' | 'POST' } = {}) {
  const res = await fetch(`${pds.url}/xrpc/${nsid}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

test('accounts, app-password login, posting and reading back', async () => {
  assert.match(pds.url, /^http:\/\/localhost:\d+$/);
  const alice = await pds.createAccount('alice');
  assert.equal(alice.handle, 'alice.test');
  assert.match(alice.did, /^did:plc:/);
  assert.match(alice.appPassword, /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);

  // The harness's own calls are not counted.
  assert.equal(pds.requestCount('com.atproto.server.createSession'), 0);
  const login = await call('com.atproto.server.createSession', {
    body: { identifier: alice.handle, password: alice.appPassword },
  });
  assert.equal(login.status, 200);
  const session = login.json;
  assert.equal(pds.requestCount('com.atproto.server.createSession'), 1);

  const created = await call('com.atproto.repo.createRecord', {
    token: session.accessJwt,
    body: {
      repo: alice.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'hello', createdAt: new Date().toISOString() },
    },
  });
  assert.equal(created.status, 200);
  const { uri } = created.json;
  assert.equal((await pds.getRecord(uri)).text, 'hello');
  assert.deepEqual(
    (await pds.listPosts(alice.did)).map((p) => p.uri),
    [uri],
  );
});

test('a forged expired access token is rejected as ExpiredToken', async () => {
  const bob = await pds.createAccount('bob');
  const session = (
    await call('com.atproto.server.createSession', { body: { identifier: bob.handle, password: bob.appPassword } })
  ).json;
  const res = await call('com.atproto.server.getSession', { token: forgeExpiredAccessJwt(pds, session.accessJwt) });
  assert.equal(res.status, 400);
  assert.equal(res.json.error, 'ExpiredToken');
});

test('a revoked app password can no longer log in or refresh', async () => {
  const carol = await pds.createAccount('carol');
  const session = (
    await call('com.atproto.server.createSession', { body: { identifier: carol.handle, password: carol.appPassword } })
  ).json;
  await pds.revokeAppPassword(carol.handle, carol.password, 'localpost');

  // The still-valid access JWT keeps working (it is not checked against the
  // app-password table); only the refresh token is revoked.
  assert.equal((await call('com.atproto.server.getSession', { token: session.accessJwt })).status, 200);

  const refresh = await call('com.atproto.server.refreshSession', { method: 'POST', token: session.refreshJwt });
  assert.equal(refresh.status, 400);
  assert.equal(refresh.json.error, 'ExpiredToken');

  const relogin = await call('com.atproto.server.createSession', {
    body: { identifier: carol.handle, password: carol.appPassword },
  });
  assert.equal(relogin.status, 401);
  assert.equal(relogin.json.error, 'AuthenticationRequired');
});
