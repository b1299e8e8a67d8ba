// The Bluesky slice against a real PDS on loopback: connect, errors, session reuse and refresh,
// revocation, publishing with facets, images and link cards, disconnect, profiles.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createLogger } from '../../src-main/core/log/logger';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { secretIdFor } from '../../src-main/core/accounts/accountStore';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { startCore, type BridgeCallError, type CoreClient } from '../harness/coreClient';
import { forgeExpiredAccessJwt, startPds, type TestPds } from '../harness/pds';
import { startPdsProxy } from '../harness/pdsProxy';
import { testKeyWrapper } from '../harness/testPorts';
import { noisyJpeg, smallPng } from '../fixtures/images';

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let bob: Awaited<ReturnType<TestPds['createAccount']>>;
let pages: http.Server;
let pagesUrl: string;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  bob = await pds.createAccount('bob');
  // A web page with Open Graph tags, for link cards.
  const cardImage = await smallPng(400, 210);
  pages = http.createServer((request, response) => {
    if (request.url === '/card.png') return void response.writeHead(200, { 'content-type': 'image/png' }).end(cardImage);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html><head><title>Fallback</title>
       <meta property="og:title" content="Local-first &amp; proud">
       <meta property="og:description" content="Why posting from your own machine matters.">
       <meta property="og:image" content="/card.png"></head><body>hello</body></html>`,
    );
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
});

after(async () => {
  pages.close();
  await pds.close();
});

/** Expires the stored access token, as two hours of waiting would; returns the refresh token. */
async function expireStoredAccessToken(dataDir: string, accountId: string): Promise<string> {
  const db = openDatabase(dataDir);
  const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
  await vault.open();
  const stored = JSON.parse(vault.get(secretIdFor(accountId))!);
  stored.session.accessJwt = forgeExpiredAccessJwt(pds, stored.session.accessJwt);
  vault.put(secretIdFor(accountId), JSON.stringify(stored));
  db.close();
  return stored.session.refreshJwt;
}

/** What the vault keeps for the account. */
async function savedSession(dataDir: string, accountId: string) {
  const db = openDatabase(dataDir);
  try {
    const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
    await vault.open();
    return JSON.parse(vault.get(secretIdFor(accountId))!) as { session: { service?: string; didDoc?: unknown; refreshJwt: string }; pdsUrl: string | null };
  } finally {
    db.close();
  }
}

/** The account's stored credential as it sits in the database (ciphertext), to prove it did not change. */
function storedCredential(dataDir: string, accountId: string): Buffer | undefined {
  const db = new Database(path.join(dataDir, 'localpost.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT ciphertext FROM secrets WHERE id = ?').get(secretIdFor(accountId)) as { ciphertext: Buffer } | undefined)?.ciphertext;
  } finally {
    db.close();
  }
}

async function connect(app: CoreClient, who: { handle: string; appPassword: string }) {
  // The PDS runs on this machine: a self-hoster's yes to the private-address question.
  return app.call('accounts.connect', { platform: 'bluesky', handle: who.handle, appPassword: who.appPassword, service: pds.url, confirm: ['private_address'] });
}

async function draftWith(app: CoreClient, text: string, accountIds: string[], langs = ['en']) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds, langs });
  return draft.id;
}

describe('connecting a Bluesky account', () => {
  it('connects with an app password, normalizing the handle, and stores only the session', async () => {
    const app = await startCore();
    const logins = pds.requestCount('com.atproto.server.createSession');
    const { account, updatedExisting } = await app.call('accounts.connect', {
      platform: 'bluesky',
      handle: `  @${alice.handle.toUpperCase()} `,
      appPassword: alice.appPassword,
      service: pds.url,
      confirm: ['private_address'],
    });
    assert.equal(updatedExisting, false);
    assert.equal(account.handle, alice.handle);
    assert.equal(account.remoteId, alice.did);
    assert.equal(account.status, 'connected');
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins + 1);
    app.close();
  });

  it("keeps the account's picture, the avatar blob of its profile record, fetched from its own PDS", async () => {
    const carol = await pds.createAccount('carol-avatar');
    await pds.setAvatar(carol, await smallPng(200, 200));
    // The PDS runs on this machine: allowed, as a hosting provider on the web would be.
    const app = await startCore({ allowPrivateAddressesFor: [new URL(pds.url).origin] });
    const { account } = await connect(app, carol);
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/);
    assert.equal((await app.call('accounts.list', {})).find((a) => a.id === account.id)?.avatar, account.avatar, 'kept, not only answered');
    // Without a picture, the platform's mark stands in: nothing kept, nothing failed.
    const { account: plain } = await connect(app, alice);
    assert.equal(plain.avatar, null);
    app.close();
  });

  it('refuses a handle without a domain before any network call', async () => {
    const app = await startCore();
    const logins = pds.requestCount('com.atproto.server.createSession');
    await assert.rejects(app.call('accounts.connect', { platform: 'bluesky', handle: '@alice', appPassword: alice.appPassword, service: pds.url }), (error: any) => {
      assert.equal(error.code, 'invalid_handle');
      assert.match(error.error.action, /alice\.bsky\.social/);
      return true;
    });
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins);
    app.close();
  });

  it('asks before connecting to a hosting provider on a non-public address, and connects once the user says yes', async () => {
    const app = await startCore();
    const logins = pds.requestCount('com.atproto.server.createSession');
    await assert.rejects(app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url }), (error: any) => {
      assert.equal(error.code, 'address_private');
      assert.match(error.error.message, /(localhost resolves to 127\.0\.0\.1, an|127\.0\.0\.1 is an) address on this computer\. Connect only if you run this server yourself\./);
      return true;
    });
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins, 'no password was sent before the yes');
    const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: pds.url, confirm: ['private_address'] });
    assert.equal(account.handle, alice.handle);
    app.close();
  });

  it('refuses plain http for a hosting provider that is not on this machine', async () => {
    const app = await startCore();
    await assert.rejects(
      app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: 'http://pds.example.com' }),
      { code: 'invalid_service_url' },
    );
    app.close();
  });

  it('a wrong password is invalid_credentials and creates nothing', async () => {
    const app = await startCore();
    await assert.rejects(
      app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: 'aaaa-bbbb-cccc-dddd', service: pds.url, confirm: ['private_address'] }),
      { code: 'invalid_credentials' },
    );
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('an unreachable hosting provider is network_unreachable', async () => {
    const app = await startCore();
    await assert.rejects(
      app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: 'http://127.0.0.1:9', confirm: ['private_address'] }),
      { code: 'network_unreachable' },
    );
    app.close();
  });

  it('connecting the same DID again updates the account instead of duplicating it', async () => {
    const app = await startCore();
    const first = await connect(app, alice);
    const second = await connect(app, alice);
    assert.equal(second.updatedExisting, true);
    assert.equal(second.account.id, first.account.id);
    assert.equal((await app.call('accounts.list', {})).length, 1);
    app.close();
  });
});

describe('an account belongs to its server', () => {
  it('the same DID from another hosting provider asks first, and changes nothing until the user says yes', async () => {
    // A provider that passes everything through to the account's real PDS: the DID really is the
    // account's, as when an account moved or is reached through an entryway.
    const elsewhere = await startPdsProxy(pds.url);
    // The account's own PDS (named by its DID document) is on this machine too: a test fixture.
    const app = await startCore({ allowPrivateAddressesFor: [pds.url] });
    try {
      const { account } = await connect(app, bob);
      const credential = storedCredential(app.dataDir, account.id);
      const again = { platform: 'bluesky' as const, handle: bob.handle, appPassword: bob.appPassword, service: elsewhere.url, confirm: ['private_address' as const] };
      await assert.rejects(app.call('accounts.connect', again), (error: BridgeCallError) => {
        assert.equal(error.code, 'account_server_changed');
        assert.ok(error.error.message.includes(pds.url) && error.error.message.includes(elsewhere.url), error.error.message);
        return true;
      });
      const [unchanged] = await app.call('accounts.list', {});
      assert.deepEqual(unchanged, account);
      assert.deepEqual(storedCredential(app.dataDir, account.id), credential);

      const confirmed = await app.call('accounts.connect', { ...again, confirm: ['private_address', 'server_change'] });
      assert.equal(confirmed.updatedExisting, true);
      assert.equal(confirmed.account.id, account.id);
      assert.equal(confirmed.account.service, elsewhere.url);
      assert.notDeepEqual(storedCredential(app.dataDir, account.id), credential);
      assert.equal((await app.call('accounts.list', {})).length, 1);
    } finally {
      app.close();
      await elsewhere.close();
    }
  });

  it("a hosting provider that answers with another account's DID is refused, even when the user confirms a server change", async () => {
    // Alice signs in for real through this server, which then claims she is Bob.
    const liar = await startPdsProxy(pds.url, { claimDid: bob.did });
    const app = await startCore();
    try {
      const asAlice = { platform: 'bluesky' as const, handle: alice.handle, appPassword: alice.appPassword, service: liar.url, confirm: ['private_address' as const] };
      await assert.rejects(app.call('accounts.connect', asAlice), (error: BridgeCallError) => {
        assert.equal(error.code, 'identity_mismatch');
        assert.match(error.error.message, new RegExp(liar.url.replace(/[.:/]/g, '\\$&')));
        return true;
      });
      assert.deepEqual(await app.call('accounts.list', {}), []);

      const { account: bobAccount } = await connect(app, bob);
      const credential = storedCredential(app.dataDir, bobAccount.id);
      await assert.rejects(app.call('accounts.connect', { ...asAlice, confirm: ['private_address', 'server_change'] }), { code: 'identity_mismatch' });
      assert.deepEqual(await app.call('accounts.list', {}), [bobAccount]);
      assert.deepEqual(storedCredential(app.dataDir, bobAccount.id), credential);
    } finally {
      app.close();
      await liar.close();
    }
  });
});

describe('publishing to Bluesky', () => {
  it('publishes text with a link, a mention, a hashtag, two images with alt text and a language', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    const text = `Héllo 👋 @${bob.handle} see https://example.com/path?q=1 #localfirst`;
    const draftId = await draftWith(app, text, [account.id], ['fr']);
    // One image far over 1 MB, one small PNG with transparency.
    const big = await noisyJpeg(3000, 2000);
    assert.ok(big.length > 1_000_000);
    const first = await app.call('drafts.addImage', { draftId, fileName: 'big.jpg', bytes: new Uint8Array(big) });
    const second = await app.call('drafts.addImage', { draftId, fileName: 'small.png', bytes: new Uint8Array(await smallPng()) });
    assert.ok(first.bytes <= 1_000_000, `resized to ${first.bytes} bytes`);
    assert.ok(Math.abs(first.width / first.height - 1.5) < 0.01, `aspect ratio kept: ${first.width}x${first.height}`);
    await app.call('drafts.setImageAlt', { draftId, imageId: first.id, alt: 'Static, as far as the eye can see' });
    await app.call('drafts.setImageAlt', { draftId, imageId: second.id, alt: 'A blue square' });

    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    const record = await pds.getRecord(target.uri!);
    assert.equal(record.text, text);
    assert.deepEqual(record.langs, ['fr']);
    const bytes = Buffer.from(text);
    const facetText = (f: any) => bytes.subarray(f.index.byteStart, f.index.byteEnd).toString();
    const byType = Object.fromEntries(record.facets.map((f: any) => [f.features[0].$type, f]));
    assert.equal(facetText(byType['app.bsky.richtext.facet#mention']), `@${bob.handle}`);
    assert.equal(byType['app.bsky.richtext.facet#mention'].features[0].did, bob.did);
    assert.equal(facetText(byType['app.bsky.richtext.facet#link']), 'https://example.com/path?q=1');
    assert.equal(byType['app.bsky.richtext.facet#link'].features[0].uri, 'https://example.com/path?q=1');
    assert.equal(facetText(byType['app.bsky.richtext.facet#tag']), '#localfirst');
    assert.equal(byType['app.bsky.richtext.facet#tag'].features[0].tag, 'localfirst');
    assert.equal(record.embed.$type, 'app.bsky.embed.images');
    assert.deepEqual(
      record.embed.images.map((i: any) => i.alt),
      ['Static, as far as the eye can see', 'A blue square'],
    );
    assert.deepEqual(record.embed.images[0].aspectRatio, { width: first.width, height: first.height });
    assert.ok(record.embed.images[0].image.size <= 1_000_000);
    // Published everywhere: the draft is gone, history has it.
    assert.deepEqual(await app.call('drafts.list', {}), []);
    const history = await app.call('history.list', {});
    assert.equal(history[0]!.targets[0]!.uri, target.uri);
    app.close();
  });

  it('attaches a link card built from the page’s Open Graph tags', async () => {
    const app = await startCore({ allowPrivateAddressesFor: [pagesUrl] });
    const { account } = await connect(app, alice);
    const draftId = await draftWith(app, `Read this ${pagesUrl}/article`, [account.id]);
    const { linkCard } = await app.call('drafts.refreshLinkCard', { draftId });
    assert.equal(linkCard?.title, 'Local-first & proud');
    assert.equal(linkCard?.description, 'Why posting from your own machine matters.');
    assert.match(linkCard?.imageDataUrl ?? '', /^data:image\/jpeg;base64,/);
    const post = await app.call('publish.now', { draftId });
    const record = await pds.getRecord(post.targets[0]!.uri!);
    assert.equal(record.embed.$type, 'app.bsky.embed.external');
    assert.equal(record.embed.external.uri, `${pagesUrl}/article`);
    assert.equal(record.embed.external.title, 'Local-first & proud');
    assert.ok(record.embed.external.thumb, 'the card image is uploaded as its thumb');
    app.close();
  });

  it('a removed link card stays removed and is not published', async () => {
    const app = await startCore({ allowPrivateAddressesFor: [pagesUrl] });
    const { account } = await connect(app, alice);
    const draftId = await draftWith(app, `No card please ${pagesUrl}/other`, [account.id]);
    assert.ok((await app.call('drafts.refreshLinkCard', { draftId })).linkCard);
    await app.call('drafts.removeLinkCard', { draftId });
    assert.equal((await app.call('drafts.refreshLinkCard', { draftId })).linkCard, null);
    const post = await app.call('publish.now', { draftId });
    assert.equal((await pds.getRecord(post.targets[0]!.uri!)).embed, undefined);
    app.close();
  });

  it('reuses the session for every post and across restarts: one login in all', async () => {
    const app = await startCore();
    const logins = pds.requestCount('com.atproto.server.createSession');
    const { account } = await connect(app, alice);
    for (let i = 0; i < 3; i++) await app.call('publish.now', { draftId: await draftWith(app, `post ${i}`, [account.id]) });
    app.close();
    const again = await startCore({ dataDir: app.dataDir });
    const post = await again.call('publish.now', { draftId: await draftWith(again, 'after restart', [account.id]) });
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins + 1);
    again.close();
  });

  it('refreshes an expired session without logging in again, storing the rotated refresh token', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    app.close();
    const oldRefresh = await expireStoredAccessToken(app.dataDir, account.id);

    const logins = pds.requestCount('com.atproto.server.createSession');
    const refreshes = pds.requestCount('com.atproto.server.refreshSession');
    const again = await startCore({ dataDir: app.dataDir });
    const post = await again.call('publish.now', { draftId: await draftWith(again, 'after expiry', [account.id]) });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins, 'no new login');
    assert.equal(pds.requestCount('com.atproto.server.refreshSession'), refreshes + 1, 'exactly one refresh');
    again.close();

    const db2 = openDatabase(app.dataDir);
    const vault2 = new Vault({ db: db2, keyWrapper: testKeyWrapper(app.dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
    await vault2.open();
    assert.notEqual(JSON.parse(vault2.get(secretIdFor(account.id))!).session.refreshJwt, oldRefresh, 'rotated token stored');
    db2.close();
  });

  it('concurrent posts after expiry never run two refreshes at once, nor log in again', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    app.close();
    await expireStoredAccessToken(app.dataDir, account.id);
    // Watch the refresh calls the core makes: how many are in flight at the same moment.
    let inFlight = 0;
    let maxInFlight = 0;
    let refreshes = 0;
    const watchingFetch: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('com.atproto.server.refreshSession')) return fetch(input, init);
      refreshes++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const logins = pds.requestCount('com.atproto.server.createSession');
    const again = await startCore({ dataDir: app.dataDir, fetch: watchingFetch });
    const drafts = await Promise.all([0, 1, 2, 3].map((i) => draftWith(again, `concurrent ${i}`, [account.id])));
    await Promise.all(drafts.map((draftId) => again.call('publish.now', { draftId })));
    // One account's targets go one after another; wait for the outbox to finish them all.
    await again.core.outbox.idle();
    const posts = await again.call('history.list', {});
    assert.deepEqual(posts.map((p) => p.targets[0]!.status), ['published', 'published', 'published', 'published']);
    assert.ok(refreshes >= 1, 'the expired token was refreshed');
    assert.equal(maxInFlight, 1, 'one refresh at a time per account');
    assert.equal(pds.requestCount('com.atproto.server.createSession'), logins, 'no new login');
    again.close();
  });

  it('signed in through an entryway, session calls go to the entryway and the others to the PDS the DID document names', async () => {
    const entryway = await startPdsProxy(pds.url);
    const { calls, watchingFetch } = recordXrpcCalls();
    const app = await startCore({ allowPrivateAddressesFor: [pds.url], fetch: watchingFetch });
    try {
      const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword: alice.appPassword, service: entryway.url, confirm: ['private_address'] });
      app.close();
      await expireStoredAccessToken(app.dataDir, account.id);
      calls.length = 0;
      const again = await startCore({ dataDir: app.dataDir, allowPrivateAddressesFor: [pds.url], fetch: watchingFetch });
      const post = await again.call('publish.now', { draftId: await draftWith(again, 'through an entryway', [account.id]) });
      again.close();
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      const pdsOrigin = new URL(pds.url).origin;
      const entrywayOrigin = new URL(entryway.url).origin;
      // After a refresh, the PDS is the one the refreshed session's DID document names; this test
      // PDS leaves the document out of its answers, and a session without one calls the entryway.
      const refreshedPds = (await savedSession(app.dataDir, account.id)).session.didDoc ? pdsOrigin : entrywayOrigin;
      assert.deepEqual(
        calls.filter(([nsid]) => nsid !== 'com.atproto.server.getSession'),
        [
          ['com.atproto.repo.createRecord', pdsOrigin], // the expired token, refused
          ['com.atproto.server.refreshSession', entrywayOrigin],
          ['com.atproto.repo.createRecord', refreshedPds],
        ],
      );
    } finally {
      await entryway.close();
    }
  });

  it('a session saved before it kept its service and DID document still reaches the account’s PDS, and keeps reaching it after a refresh and a restart', async () => {
    const entryway = await startPdsProxy(pds.url);
    const { calls, watchingFetch } = recordXrpcCalls();
    const app = await startCore({ allowPrivateAddressesFor: [pds.url], fetch: watchingFetch });
    try {
      const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: bob.handle, appPassword: bob.appPassword, service: entryway.url, confirm: ['private_address'] });
      app.close();
      // As the vault kept it before: the createSession answer's tokens and names, the PDS beside them.
      const db = openDatabase(app.dataDir);
      const vault = new Vault({ db, keyWrapper: testKeyWrapper(app.dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
      await vault.open();
      const { session, pdsUrl } = JSON.parse(vault.get(secretIdFor(account.id))!);
      assert.equal(pdsUrl, new URL(pds.url).origin);
      const legacy = { did: session.did, handle: session.handle, accessJwt: forgeExpiredAccessJwt(pds, session.accessJwt), refreshJwt: session.refreshJwt, active: true };
      vault.put(secretIdFor(account.id), JSON.stringify({ session: legacy, pdsUrl }));
      db.close();

      calls.length = 0;
      const again = await startCore({ dataDir: app.dataDir, allowPrivateAddressesFor: [pds.url], fetch: watchingFetch });
      const post = await again.call('publish.now', { draftId: await draftWith(again, 'from an old session', [account.id]) });
      again.close();
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      const pdsOrigin = new URL(pds.url).origin;
      assert.deepEqual(calls.filter(([nsid]) => nsid !== 'com.atproto.server.getSession').slice(0, 2), [
        ['com.atproto.repo.createRecord', pdsOrigin],
        ['com.atproto.server.refreshSession', new URL(entryway.url).origin],
      ]);
      const saved = await savedSession(app.dataDir, account.id);
      assert.equal(saved.session.service, entryway.url);
      assert.equal(saved.pdsUrl, pdsOrigin);
      assert.notEqual(saved.session.refreshJwt, legacy.refreshJwt);

      calls.length = 0;
      const third = await startCore({ dataDir: app.dataDir, allowPrivateAddressesFor: [pds.url], fetch: watchingFetch });
      assert.equal((await third.call('publish.now', { draftId: await draftWith(third, 'after a restart', [account.id]) })).targets[0]!.status, 'published');
      third.close();
      assert.deepEqual(calls, [['com.atproto.repo.createRecord', pdsOrigin]]);
    } finally {
      await entryway.close();
    }
  });

  it('one failing target does not affect the others, and the draft stays', async () => {
    const app = await startCore();
    const a = (await connect(app, alice)).account;
    const b = (await connect(app, bob)).account;
    // 301 graphemes pass nowhere, so make one target fail at the PDS instead: bob's session is
    // revoked behind the app's back.
    const bobPassword = await pds.createAppPassword(bob.handle, bob.password, 'to-revoke');
    await app.call('accounts.connect', { platform: 'bluesky', handle: bob.handle, appPassword: bobPassword, service: pds.url, confirm: ['private_address'] });
    await pds.revokeAppPassword(bob.handle, bob.password, 'to-revoke');
    await app.call('accounts.check', { id: b.id });
    const draftId = await draftWith(app, 'to both', [a.id]);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published');
    // Bob now needs reauth, so preflight refuses a post that targets him, naming the rule.
    const draft2 = await draftWith(app, 'to bob', [b.id]);
    await assert.rejects(app.call('publish.now', { draftId: draft2 }), (error: any) => /account\.status/.test(error.message));
    assert.equal((await app.call('drafts.get', { id: draft2 })).text, 'to bob');
    app.close();
  });
});

describe('account status, revocation and disconnect', () => {
  it('a revoked app password turns the account needs_reauth; reconnect keeps its history', async () => {
    const app = await startCore();
    const appPassword = await pds.createAppPassword(alice.handle, alice.password, 'revoke-me');
    const { account } = await app.call('accounts.connect', { platform: 'bluesky', handle: alice.handle, appPassword, service: pds.url, confirm: ['private_address'] });
    await app.call('publish.now', { draftId: await draftWith(app, 'before revocation', [account.id]) });
    assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');

    await pds.revokeAppPassword(alice.handle, alice.password, 'revoke-me');
    const checked = await app.call('accounts.check', { id: account.id });
    assert.equal(checked.status, 'needs_reauth');
    assert.equal(checked.nextAction, 'reconnect');
    assert.ok(checked.statusReason);

    const { account: reconnected, updatedExisting } = await connect(app, alice);
    assert.equal(reconnected.id, account.id);
    assert.equal(updatedExisting, true);
    assert.equal(reconnected.status, 'connected');
    assert.equal((await app.call('history.list', {}))[0]!.targets[0]!.accountId, account.id);
    app.close();
  });

  it('disconnect deletes the session at the PDS and the credentials, and keeps history', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    await app.call('publish.now', { draftId: await draftWith(app, 'kept in history', [account.id]) });
    const deletes = pds.requestCount('com.atproto.server.deleteSession');
    await app.call('accounts.disconnect', { id: account.id });
    assert.equal(pds.requestCount('com.atproto.server.deleteSession'), deletes + 1);
    assert.deepEqual(await app.call('accounts.list', {}), []);
    const history = await app.call('history.list', {});
    assert.equal(history[0]!.text, 'kept in history');
    assert.equal(history[0]!.targets[0]!.handle, alice.handle);
    app.close();
    const db = openDatabase(app.dataDir);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM secrets').get() as { n: number }).n, 0);
    db.close();
  });

  it('offline, the post waits in the outbox with its text intact', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    const draftId = await draftWith(app, 'written on a plane', [account.id]);
    app.setOnline(false);
    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'queued');
    const [waiting] = await app.call('outbox.list', {});
    assert.equal(waiting!.text, 'written on a plane');
    assert.equal(waiting!.targets[0]!.attempts, 0);
    app.close();
  });
});

describe('profiles', () => {
  it('accounts, drafts and posts of one profile never show in another', async () => {
    const app = await startCore();
    const { account } = await connect(app, alice);
    const draftId = await draftWith(app, 'personal draft', [account.id]);
    await app.call('publish.now', { draftId: await draftWith(app, 'personal post', [account.id]) });

    const work = await app.call('profiles.create', { name: 'Work' });
    await app.call('profiles.switch', { id: work.id });
    assert.deepEqual(await app.call('accounts.list', {}), []);
    assert.deepEqual(await app.call('drafts.list', {}), []);
    assert.deepEqual(await app.call('history.list', {}), []);
    await assert.rejects(app.call('drafts.get', { id: draftId }), { code: 'not_found' });
    await assert.rejects(app.call('accounts.check', { id: account.id }), { code: 'not_found' });
    // The same Bluesky account may be connected in both profiles, as two separate accounts.
    const inWork = (await connect(app, alice)).account;
    assert.notEqual(inWork.id, account.id);
    await app.call('profiles.rename', { id: work.id, name: 'Day job' });
    assert.ok((await app.call('profiles.list', {})).profiles.some((p) => p.name === 'Day job'));

    await app.call('profiles.switch', { id: 'default' });
    assert.equal((await app.call('accounts.list', {}))[0]!.id, account.id);
    assert.equal((await app.call('drafts.list', {}))[0]!.text, 'personal draft');
    app.close();
  });
});

/** A fetch that records where each XRPC call goes, as [nsid, origin], and sends it on. */
function recordXrpcCalls(): { calls: Array<[string, string]>; watchingFetch: typeof fetch } {
  const calls: Array<[string, string]> = [];
  const watchingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/xrpc/')) calls.push([url.pathname.slice('/xrpc/'.length), url.origin]);
    return fetch(input, init);
  };
  return { calls, watchingFetch };
}
