// Mastodon end to end in Node, against a real OAuth server (oidc-provider) with a contract mock of
// Mastodon's API on the same origin (test/harness/mastodonServer.ts), reached through the
// endpoint environment overrides. The test plays the system browser with the URL the core asked
// the OS to open.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smallPng } from '../fixtures/images';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

let instance: MastodonServer;
before(async () => {
  instance = await startMastodonServer();
});
after(() => instance.close());

// The mock serves profile pictures too: allowed, as an image host on the web would be.
const start = (dataDir?: string) =>
  startCore({ env: instance.env, allowPrivateAddressesFor: [new URL(instance.env.LOCALPOST_MASTODON_API_BASE!).origin], ...(dataDir ? { dataDir } : {}) });


/** Starts a connect, answers the consent page like the user would, and returns the call's result. */
async function connect(app: CoreClient, decision: 'allow' | 'deny' = 'allow', name = 'social.example') {
  const opened = app.openedUrls.length;
  // The mock instance runs on this machine: a self-hoster's yes to the private-address question.
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: name, confirm: ['private_address'] });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { decision });
  return { pending, consentUrl, visit };
}

async function draft(app: CoreClient, accountIds: string[], text: string, images: Array<{ alt: string }> = []) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['de'] });
  for (const image of images) {
    const added = await app.call('drafts.addImage', { draftId: created.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId: created.id, imageId: added.id, alt: image.alt });
  }
  return created.id;
}

describe('Mastodon', () => {
  it('registers the app once per instance and redirect URI, signs in with PKCE and reads the account and limits', async () => {
    const app = await start();
    const appsBefore = instance.apps.length;
    const { pending, consentUrl, visit } = await connect(app);
    const { account, updatedExisting } = await pending;
    assert.equal(visit.delivered?.status, 200);
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the still picture (avatar_static), kept with the account');

    // Registered with the portless loopback URI (RFC 8252 §7.3), used with the listener's port.
    assert.equal(instance.apps.length, appsBefore + 1);
    const registered = instance.apps.at(-1)!;
    assert.deepEqual(registered.redirectUris, ['http://127.0.0.1/callback']);
    assert.equal(registered.scopes, 'read:accounts write:statuses write:media');
    const authorize = new URL(consentUrl);
    assert.equal(authorize.searchParams.get('client_id'), registered.clientId);
    assert.match(authorize.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('scope'), 'read:accounts write:statuses write:media');

    assert.equal(updatedExisting, false);
    assert.equal(account.platform, 'mastodon');
    assert.equal(account.handle, 'alice@social.example');
    assert.equal(account.remoteId, '109348');
    assert.equal(account.status, 'connected');
    // description_limit is the instance's 1200, not Mastodon's default 1500.
    // The video limits are the instance's configuration.media_attachments.
    assert.deepEqual(account.limits, {
      maxCharacters: 1000,
      maxImages: 4,
      charactersReservedPerUrl: 23,
      altTextLimit: 1200,
      videoMaxBytes: 103_809_024,
      videoMaxPixels: 8_294_400,
      videoMaxFrameRate: 120,
    });

    // The second connect reuses the cached app (a new listener port, the same registration).
    const again = await connect(app);
    assert.equal((await again.pending).updatedExisting, true);
    assert.equal(instance.apps.length, appsBefore + 1);
    assert.notEqual(new URL(again.consentUrl).searchParams.get('redirect_uri'), authorize.searchParams.get('redirect_uri'));

    // No token, code or client secret crossed the bridge.
    const traffic = app.traffic.join('\n');
    assert.ok(!traffic.includes(registered.clientSecret));
    assert.ok(!traffic.includes(new URL(visit.callbackUrl).searchParams.get('code')!));
    app.close();
  });

  it("uses the instance's limits in preflight: 1000 characters allowed, 1001 refused, a URL counts 23", async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    const check = async (text: string) => (await app.call('drafts.preflight', { id: await draft(app, [account.id], text) })).map((i) => i.ruleId);
    assert.deepEqual(await check('a'.repeat(1000)), []);
    assert.deepEqual(await check('a'.repeat(1001)), ['length.max']);
    const url = `https://example.com/${'x'.repeat(200)}`;
    assert.deepEqual(await check(`${'a'.repeat(976)} ${url}`), []);
    assert.deepEqual(await check(`${'a'.repeat(977)} ${url}`), ['length.max']);
    app.close();
  });

  it('publishes with the language and an Idempotency-Key that a retry of the same target repeats', async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    const draftId = await draft(app, [account.id], 'Hallo Fediverse');

    // The instance creates the status but the answer is lost: the outbox sends it again by itself,
    // with the same key, and the instance answers with the first status.
    const statusesBefore = instance.statuses.length;
    instance.loseNextStatusResponse();
    const first = await app.call('publish.now', { draftId });
    assert.equal(first.targets[0]!.status, 'queued');
    assert.equal(instance.statuses.length, statusesBefore + 1);

    let target = first.targets[0]!;
    for (let i = 0; i < 200 && target.status !== 'published'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      target = (await app.call('history.list', {})).find((p) => p.id === first.id)!.targets[0]!;
    }
    assert.equal(target.status, 'published');
    assert.equal(target.attempts, 2);
    // The retry got the first status back; nothing new was created.
    assert.equal(instance.statuses.length, statusesBefore + 1);
    const created = instance.statuses.at(-1)!;
    assert.equal(target.uri, created.id);
    assert.equal(target.url, `${instance.origin}/@alice/${created.id}`);
    assert.deepEqual({ status: created.status, language: created.language, visibility: created.visibility }, {
      status: 'Hallo Fediverse',
      language: 'de',
      visibility: 'public',
    });
    const sent = instance.requests.filter((r) => r.path === '/api/v1/statuses').slice(-2);
    assert.match(sent[0]!.headers['idempotency-key']!, /^[0-9a-f-]{36}$/, 'a key chosen when the post was queued');
    assert.equal(sent[1]!.headers['idempotency-key'], sent[0]!.headers['idempotency-key']);
    app.close();
  });

  it('sends the content warning and visibility chosen in the composer, and counts the warning in the limit', async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    const draftId = await draft(app, [account.id], 'The ending, explained');
    await app.call('drafts.save', { id: draftId, text: 'The ending, explained', targetAccountIds: [account.id], langs: ['en'], contentWarning: 'Film spoilers', visibility: 'unlisted' });
    const saved = await app.call('drafts.get', { id: draftId });
    assert.deepEqual({ cw: saved.contentWarning, visibility: saved.visibility }, { cw: 'Film spoilers', visibility: 'unlisted' });
    // A save that does not name them keeps them.
    await app.call('drafts.save', { id: draftId, text: 'The ending, explained.', targetAccountIds: [account.id], langs: ['en'] });
    assert.equal((await app.call('drafts.get', { id: draftId })).contentWarning, 'Film spoilers');

    // 1000 on this instance: text 990 + warning 11 is one too many.
    await app.call('drafts.save', { id: draftId, text: 'a'.repeat(990), targetAccountIds: [account.id], langs: ['en'], contentWarning: 'a'.repeat(11) });
    assert.deepEqual((await app.call('drafts.preflight', { id: draftId })).map((issue) => issue.ruleId), ['length.max']);
    await app.call('drafts.save', { id: draftId, text: 'The ending, explained', targetAccountIds: [account.id], langs: ['en'], contentWarning: 'Film spoilers' });

    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published');
    const body = instance.requests.filter((r) => r.path === '/api/v1/statuses').at(-1)!.body as Record<string, unknown>;
    assert.deepEqual({ status: body.status, spoiler_text: body.spoiler_text, visibility: body.visibility, language: body.language }, {
      status: 'The ending, explained',
      spoiler_text: 'Film spoilers',
      visibility: 'unlisted',
      language: 'en',
    });
    app.close();
  });

  it('uploads images with alt text as description and waits for a 202 upload to be processed', async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    instance.setAsyncMedia(true);
    try {
      const draftId = await draft(app, [account.id], 'Two pictures', [{ alt: 'A red square' }, { alt: 'A blue square' }]);
      const mediaBefore = instance.media.length;
      const polls = () => instance.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/media/')).length;
      const pollsBefore = polls();
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'published');
      const uploaded = instance.media.slice(mediaBefore);
      assert.deepEqual(uploaded.map((m) => m.description), ['A red square', 'A blue square']);
      assert.equal(uploaded[0]!.type, 'image/png');
      // One 206 and one 200 per image.
      assert.equal(polls() - pollsBefore, 4);
      assert.deepEqual(instance.statuses.at(-1)!.mediaIds, uploaded.map((m) => m.id));
    } finally {
      instance.setAsyncMedia(false);
    }
    app.close();
  });

  it("maps Mastodon's errors: 422 with its message, 429 with the reset time", async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    instance.injectFault('/api/v1/statuses', { status: 422, body: { error: 'Validation failed: Text character limit of 1000 exceeded' } });
    const refused = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'one') })).targets[0]!;
    assert.equal(refused.error?.code, 'platform_rejected');
    assert.match(refused.error!.message, /Validation failed: Text character limit of 1000 exceeded/);

    const reset = new Date(Date.now() + 5 * 60_000);
    reset.setMilliseconds(0);
    instance.injectFault('/api/v1/statuses', {
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset.toISOString() },
    });
    const limited = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'two') })).targets[0]!;
    assert.equal(limited.error?.code, 'rate_limited');
    assert.equal(limited.error?.retryAt, reset.getTime());
    app.close();
  });

  it('consent denied gives platform_rejected and no account', async () => {
    const app = await start();
    const { pending, visit } = await connect(app, 'deny');
    assert.equal(new URL(visit.callbackUrl).searchParams.get('error'), 'access_denied');
    await assert.rejects(pending, { code: 'platform_rejected' });
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('a revoked token answers 401: the account needs reauth and token.revoked is emitted', async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    await instance.revokeSeenTokens();

    // Publishing meets Mastodon's 401 "The access token is invalid".
    const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'after revocation') })).targets[0]!;
    assert.equal(target.error?.code, 'platform_auth_failed');
    const [listed] = await app.call('accounts.list', {});
    assert.equal(listed!.status, 'needs_reauth');
    const revoked = app.traffic.map((line) => JSON.parse(line) as { event?: string; payload?: { accountId?: string } }).find((e) => e.event === 'token.revoked');
    assert.equal(revoked?.payload?.accountId, account.id);
    assert.equal(app.notifications.length, 1);

    // A connection check says the same.
    assert.equal((await app.call('accounts.check', { id: account.id })).status, 'needs_reauth');
    app.close();
  });

  it("an instance that answers with another instance's account id gets an account of its own", async () => {
    // Both mock instances answer verify_credentials with the same id, as any instance can: ids are
    // local to an instance, and public. No endpoint overrides: each instance is named by address.
    const other = await startMastodonServer();
    const app = await startCore();
    try {
      const { account: first } = await (await connect(app, 'allow', instance.origin)).pending;
      const firstHost = new URL(instance.origin).host;
      assert.deepEqual({ handle: first.handle, service: first.service }, { handle: `alice@${firstHost}`, service: firstHost });
      // A post waiting for its time on the first account.
      const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 16);
      const scheduled = await app.call('publish.schedule', { draftId: await draft(app, [first.id], 'Tomorrow, for my followers'), schedule: { local: tomorrow, zone: 'UTC' } });

      const { account: second, updatedExisting } = await (await connect(app, 'allow', other.origin)).pending;
      assert.equal(second.remoteId, first.remoteId, 'the second instance claimed the same id');
      assert.notEqual(second.id, first.id);
      assert.equal(updatedExisting, false);
      assert.equal(second.service, new URL(other.origin).host);

      // The first account is as it was: its row, its queued post...
      const listed = await app.call('accounts.list', {});
      assert.equal(listed.length, 2);
      const firstNow = listed.find((a) => a.id === first.id)!;
      assert.deepEqual({ handle: firstNow.handle, service: firstNow.service, status: firstNow.status }, { handle: first.handle, service: first.service, status: 'connected' });
      const waiting = (await app.call('outbox.list', {})).find((p) => p.id === scheduled.id)!;
      assert.deepEqual(waiting.targets.map((t) => t.accountId), [first.id]);

      // ...and its credential: a post to it still goes to the first instance, never to the second.
      const statusesHere = instance.statuses.length;
      const statusesThere = other.statuses.length;
      await app.call('publish.now', { draftId: await draft(app, [first.id], 'Still me, still here') });
      await waitFor(() => (instance.statuses.length > statusesHere ? true : undefined), 'the post to reach the first instance');
      await app.core.outbox.idle();
      assert.equal(instance.statuses.length, statusesHere + 1);
      assert.equal(instance.statuses.at(-1)!.status, 'Still me, still here');
      assert.equal(other.statuses.length, statusesThere);
    } finally {
      app.close();
      await other.close();
    }
  });

  it('disconnect revokes the token at the instance and keeps history', async () => {
    const app = await start();
    const { account } = await (await connect(app)).pending;
    await app.call('publish.now', { draftId: await draft(app, [account.id], 'Before goodbye') });
    const revocations = instance.oauth.revocationRequestCount();
    await app.call('accounts.disconnect', { id: account.id });
    assert.equal(instance.oauth.revocationRequestCount(), revocations + 1);
    assert.deepEqual(await app.call('accounts.list', {}), []);
    const history = await app.call('history.list', {});
    assert.equal(history[0]!.text, 'Before goodbye');
    app.close();
  });
});
