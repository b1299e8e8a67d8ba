// X end to end in Node, through the core's real dispatch: a real OAuth server (oidc-provider,
// configured like X) with a contract mock of X's v2 API on the same origin
// (test/harness/xServer.ts), reached through the LOCALPOST_X_* endpoint overrides. The test plays
// the system browser with the URL the core asked the OS to open.
//
// Run: npx tsx --test test/integration/x.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smallPng } from '../fixtures/images';
import { storedCredential } from '../harness/storedCredential';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { findFreePort, playBrowser } from '../harness/oauthServer';
import { discordWebhookUrl, startWebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { startXServer, type XServer } from '../harness/xServer';
import { waitFor } from '../harness/waitFor';

let x: XServer;
before(async () => {
  x = await startXServer();
});
after(() => x.close());

// The mock serves profile pictures too: allowed, as an image host on the web would be.
const start = (dataDir?: string, server: XServer = x) =>
  startCore({ env: server.env, allowPrivateAddressesFor: [new URL(server.env.LOCALPOST_X_API_BASE!).origin], ...(dataDir ? { dataDir } : {}) });


/** Saves the confidential client (registered for exactly the fixed port) or the public native one. */
async function saveApp(app: CoreClient, kind: 'confidential' | 'native', server: XServer = x, port = server.oauth.fixedRedirectPort) {
  const { clients } = server.oauth;
  return kind === 'confidential'
    ? app.call('developerApps.save', { platform: 'x', clientId: clients.confidentialBasic.clientId, clientSecret: clients.confidentialBasic.clientSecret, redirectPort: port })
    : app.call('developerApps.save', { platform: 'x', clientId: clients.native.clientId, clientSecret: '', redirectPort: port });
}

/** Starts accounts.connect for X and answers X's consent page like the user would. */
async function connect(app: CoreClient, { deliver = true }: { deliver?: boolean } = {}) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'x' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver });
  return { pending, consentUrl, visit };
}

async function connected(app: CoreClient, kind: 'confidential' | 'native' = 'native', server: XServer = x) {
  await saveApp(app, kind, server);
  return (await (await connect(app)).pending).account;
}

async function draft(app: CoreClient, accountIds: string[], text: string, images: Array<{ alt: string }> = []) {
  const created = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['en'] });
  for (const image of images) {
    const added = await app.call('drafts.addImage', { draftId: created.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId: created.id, imageId: added.id, alt: image.alt });
  }
  return created.id;
}

/** The post as history has it now, polled until `done` says it has settled. */
let uniqueText = 0;
/** X refuses the same text twice from one user (duplicate content), so each post says something new. */
const fresh = (text: string) => `${text} #${++uniqueText}`;

describe('X: the developer app', () => {
  it('connecting X without a developer app says why and where to add one, and connects nothing', async () => {
    const app = await start();
    await assert.rejects(app.call('accounts.connect', { platform: 'x' }), (error: { code: string; error: { message: string; action?: string } }) => {
      assert.equal(error.code, 'developer_app_missing');
      assert.match(error.error.message, /your own developer app/);
      assert.match(error.error.action ?? '', /Settings → Developer apps → X/);
      assert.match(error.error.action ?? '', /http:\/\/127\.0\.0\.1:53682\/callback/);
      return true;
    });
    assert.deepEqual(app.openedUrls, [], 'no browser opened');
    assert.deepEqual(await app.call('accounts.list', {}), []);

    // An empty Client ID is the same as none.
    await app.call('developerApps.save', { platform: 'x', clientId: '  ', redirectPort: 53682 });
    await assert.rejects(app.call('accounts.connect', { platform: 'x' }), { code: 'developer_app_missing' });
    app.close();
  });

  it('saves the app in the vault: the redirect URI with its port, whether a secret is set, never the secret', async () => {
    const app = await start();
    assert.deepEqual(await app.call('developerApps.get', { platform: 'x' }), {
      platform: 'x',
      clientId: null,
      hasClientSecret: false,
      redirectPort: 53682,
      redirectUri: 'http://127.0.0.1:53682/callback',
      switches: {},
    });
    const secret = 'cLiEnT-sEcReT-0123456789-abcdefghijklmnop';
    const saved = await app.call('developerApps.save', { platform: 'x', clientId: 'my-client-id', clientSecret: secret, redirectPort: 54321 });
    assert.deepEqual(saved, { platform: 'x', clientId: 'my-client-id', hasClientSecret: true, redirectPort: 54321, redirectUri: 'http://127.0.0.1:54321/callback', switches: {} });

    // No clientSecret keeps the saved one; an empty one removes it.
    const kept = await app.call('developerApps.save', { platform: 'x', clientId: 'my-client-id', redirectPort: 54322 });
    assert.equal(kept.hasClientSecret, true);
    assert.equal(kept.redirectUri, 'http://127.0.0.1:54322/callback');
    app.close();

    // It outlives a restart.
    const again = await start(app.dataDir);
    assert.deepEqual(await again.call('developerApps.get', { platform: 'x' }), { ...kept });
    assert.equal((await again.call('developerApps.save', { platform: 'x', clientId: 'my-client-id', clientSecret: '', redirectPort: 54322 })).hasClientSecret, false);
    again.close();

    for (const message of [...app.traffic, ...again.traffic]) assert.ok(!message.includes(secret), `the secret crossed the bridge: ${message.slice(0, 200)}`);
    // Stored encrypted: not in the database file, not in the preferences, not in the log.
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true })) {
      const file = path.join(app.dataDir, entry.toString());
      if (fs.statSync(file).isFile()) assert.ok(!fs.readFileSync(file).toString('latin1').includes(secret), `the secret is in ${file}`);
    }
  });

  it('refuses a port outside 1024–65535 at the bridge', async () => {
    const app = await start();
    await assert.rejects(app.call('developerApps.save', { platform: 'x', clientId: 'id', redirectPort: 80 }), { code: 'invalid_input' });
    app.close();
  });
});

describe('X: connecting', () => {
  it('connects with a confidential client on the fixed port and reads the account from /2/users/me', async () => {
    const app = await start();
    await saveApp(app, 'confidential');
    const meBefore = x.requests.filter((r) => r.path === '/2/users/me').length;
    const { pending, consentUrl, visit } = await connect(app);
    const { account, updatedExisting } = await pending;
    assert.equal(visit.delivered?.status, 200);

    const authorize = new URL(consentUrl);
    assert.equal(authorize.origin + authorize.pathname, x.oauth.endpoints.authorizeUrl);
    assert.equal(authorize.searchParams.get('redirect_uri'), `http://127.0.0.1:${x.oauth.fixedRedirectPort}/callback`);
    assert.equal(authorize.searchParams.get('client_id'), x.oauth.clients.confidentialBasic.clientId);
    assert.equal(authorize.searchParams.get('scope'), 'tweet.read tweet.write users.read media.write offline.access');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');

    assert.equal(updatedExisting, false);
    assert.equal(account.platform, 'x');
    assert.equal(account.handle, 'alice');
    assert.equal(account.displayName, 'Alice');
    assert.equal(account.service, 'x.com');
    assert.match(account.remoteId, /^\d+$/);
    assert.equal(account.status, 'connected');
    assert.deepEqual(account.spendingCap, { limit: 50, used: 0 });
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the profile picture, kept with the account');
    assert.equal(x.requests.filter((r) => r.path === '/2/users/me').length, meBefore + 1);

    app.close();
    const credential = await storedCredential(app.dataDir, account.id);
    assert.equal(credential.client.clientAuthMethod, 'client_secret_basic');
    assert.ok(credential.tokens.refreshToken, 'offline.access brought a refresh token');
    assert.deepEqual(credential.extra, { apiBase: x.oauth.endpoints.apiBase, userId: account.remoteId, username: 'alice' });
  });

  it('connects with the public "Native App" client too, and a second connect updates the same account', async () => {
    const app = await start();
    await saveApp(app, 'native');
    const first = await (await connect(app)).pending;
    const { visit, pending } = await connect(app);
    const second = await pending;
    assert.equal(visit.delivered?.status, 200);
    assert.equal(second.updatedExisting, true);
    assert.equal(second.account.id, first.account.id);
    assert.equal((await app.call('accounts.list', {})).length, 1);
    app.close();
    const credential = await storedCredential(app.dataDir, first.account.id);
    assert.deepEqual(credential.client, { clientId: x.oauth.clients.native.clientId }, 'a public client: no secret');
  });

  it('a port the app is not registered for: X refuses on its own page, nothing reaches Localpost until cancelled', async () => {
    const app = await start();
    const wrongPort = await findFreePort();
    await saveApp(app, 'confidential', x, wrongPort);
    const opened = app.openedUrls.length;
    const pending = app.call('accounts.connect', { platform: 'x' });
    pending.catch(() => {});
    const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
    assert.equal(new URL(consentUrl).searchParams.get('redirect_uri'), `http://127.0.0.1:${wrongPort}/callback`);
    // RFC 6749 §4.1.2.1: with a redirect URI it does not know, the server must not redirect, so
    // the browser shows the error and the loopback listener never hears of it.
    await assert.rejects(playBrowser(consentUrl), /invalid_redirect_uri/);
    const settled = await Promise.race([pending.then(() => 'settled', () => 'settled'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    assert.equal(settled, 'waiting');
    // Quitting (or connecting again) cancels the sign-in and frees the port.
    app.close();
    await assert.rejects(pending, { code: 'authorization_incomplete' });
    await assert.rejects(fetch(`http://127.0.0.1:${wrongPort}/callback`));
  });

  it("X's token endpoint naming the redirect URI gives redirect_mismatch with the exact URI to register", async () => {
    const app = await start();
    await saveApp(app, 'native');
    // X's answer for a redirect it does not accept, as X sends it (docs.x.com does not list the wording).
    x.oauth.injectFault('token', { status: 400, body: { error: 'invalid_request', error_description: 'Value passed for the redirect uri parameter was invalid.' } });
    const { pending } = await connect(app);
    await assert.rejects(pending, (error: { code: string; error: { message: string } }) => {
      assert.equal(error.code, 'redirect_mismatch');
      assert.ok(error.error.message.includes(`Register exactly http://127.0.0.1:${x.oauth.fixedRedirectPort}/callback`), error.error.message);
      return true;
    });
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('paste fallback: the address the browser landed on, pasted into accounts.completeSignIn, finishes the waiting connect', async () => {
    const app = await start();
    await saveApp(app, 'native');
    const { pending, visit } = await connect(app, { deliver: false });
    assert.equal(visit.delivered, undefined, 'the listener was never reached');
    assert.deepEqual(await app.call('accounts.completeSignIn', { pastedUrl: `  ${visit.callbackUrl}\n` }), {});
    const { account } = await pending;
    assert.equal(account.handle, 'alice');
    assert.equal(account.status, 'connected');

    // The same address again is a replay: refused, and nothing changes.
    await assert.rejects(app.call('accounts.completeSignIn', { pastedUrl: visit.callbackUrl }), { code: 'platform_rejected' });
    await assert.rejects(app.call('accounts.completeSignIn', { pastedUrl: 'not an address' }), { code: 'invalid_input' });
    assert.equal((await app.call('accounts.list', {})).length, 1);
    // The code crossed the bridge inward only: no answer carries it.
    const code = new URL(visit.callbackUrl).searchParams.get('code')!;
    assert.ok(!app.traffic.some((message) => message.includes(code)));
    app.close();
  });
});

describe('X: publishing', () => {
  it('uploads each image, sets its alt text, then posts with both media ids; history has the x.com link', async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('Two squares');
    const draftId = await draft(app, [account.id], text, [{ alt: 'A red square' }, { alt: 'A blue square' }]);
    const mediaBefore = x.media.length;
    const tweetsBefore = x.tweets.length;
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));

    const uploaded = x.media.slice(mediaBefore);
    assert.deepEqual(uploaded.map((m) => m.altText), ['A red square', 'A blue square']);
    assert.ok(uploaded.every((m) => m.category === 'tweet_image' && m.size > 0));
    assert.equal(x.tweets.length, tweetsBefore + 1);
    const tweet = x.tweets.at(-1)!;
    assert.deepEqual({ text: tweet.text, mediaIds: tweet.mediaIds, userId: tweet.userId }, { text, mediaIds: uploaded.map((m) => m.id), userId: account.remoteId });

    assert.equal(target.uri, tweet.id);
    assert.equal(target.url, `https://x.com/alice/status/${tweet.id}`);
    const [latest] = await app.call('history.list', {});
    assert.equal(latest!.targets[0]!.url, `https://x.com/alice/status/${tweet.id}`);
    app.close();
  });

  it('an image without alt text sends no metadata request', async () => {
    const app = await start();
    const account = await connected(app);
    const metadataBefore = x.requests.filter((r) => r.path === '/2/media/metadata').length;
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('No description'), [{ alt: '' }]) });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(x.requests.filter((r) => r.path === '/2/media/metadata').length, metadataBefore);
    assert.equal(x.media.at(-1)!.altText, null);
    app.close();
  });

  it("counts X's weighted length: 280 passes, 281 is length.max in preflight and publish refuses it", async () => {
    const app = await start();
    const account = await connected(app);
    const issues = async (text: string) => (await app.call('drafts.preflight', { id: await draft(app, [account.id], text) })).map((i) => i.ruleId);
    // CJK counts 2 (counting-characters.mdx): 140 of them are 280.
    assert.deepEqual(await issues('漢'.repeat(140)), []);
    assert.deepEqual(await issues(`a${'漢'.repeat(140)}`), ['length.max']);
    // Any URL counts 23, whatever its length.
    const url = `https://example.com/${'x'.repeat(200)}`;
    assert.deepEqual(await issues(`${'a'.repeat(256)} ${url}`), []);
    assert.deepEqual(await issues(`${'a'.repeat(257)} ${url}`), ['length.max']);

    const tweetsBefore = x.tweets.length;
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], `a${'漢'.repeat(140)}`) }), { code: 'preflight_failed' });
    assert.equal(x.tweets.length, tweetsBefore, 'nothing reached X');
    app.close();
  });

  it('the spending cap: 1 post allowed, then x.spending_cap in preflight and publish.now refused; accounts.list shows it used', async () => {
    const app = await start();
    const account = await connected(app);
    const capped = await app.call('accounts.setSpendingCap', { id: account.id, postsPer30Days: 1 });
    assert.deepEqual(capped.spendingCap, { limit: 1, used: 0 });

    const first = await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Worth paying for')) });
    assert.equal(first.targets[0]!.status, 'published', JSON.stringify(first.targets[0]!.error));
    const [listed] = await app.call('accounts.list', {});
    assert.deepEqual(listed!.spendingCap, { limit: 1, used: 1 });

    const tweetsBefore = x.tweets.length;
    const draftId = await draft(app, [account.id], fresh('One too many'));
    assert.deepEqual((await app.call('drafts.preflight', { id: draftId })).map((i) => i.ruleId), ['x.spending_cap']);
    await assert.rejects(app.call('publish.now', { draftId }), (error: { code: string; error: { message: string } }) => {
      assert.equal(error.code, 'preflight_failed');
      assert.match(error.error.message, /x\.spending_cap/);
      return true;
    });
    assert.equal(x.tweets.length, tweetsBefore, 'nothing reached X');

    // Raising the cap lets it through again.
    await app.call('accounts.setSpendingCap', { id: account.id, postsPer30Days: 2 });
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);

    // A post waiting in the outbox (offline) counts too: two queued posts cannot both pass a cap of 3.
    await app.call('accounts.setSpendingCap', { id: account.id, postsPer30Days: 3 });
    app.setOnline(false);
    const queued = await app.call('publish.now', { draftId });
    assert.equal(queued.targets[0]!.status, 'queued');
    assert.deepEqual((await app.call('accounts.list', {}))[0]!.spendingCap, { limit: 3, used: 2 });
    const third = await draft(app, [account.id], fresh('Third'));
    assert.deepEqual(await app.call('drafts.preflight', { id: third }), []);
    await app.call('publish.now', { draftId: third });
    const fourth = await draft(app, [account.id], fresh('Fourth'));
    assert.deepEqual((await app.call('drafts.preflight', { id: fourth })).map((i) => i.ruleId), ['x.spending_cap']);
    app.close();
  });

  it('refuses a spending cap for a platform that does not bill per post', async () => {
    const mocks = await startWebhookPlatformMocks();
    const app = await startCore({ env: { ...x.env, ...mocks.env } });
    try {
      const { account } = await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl });
      assert.equal(account.spendingCap, null);
      await assert.rejects(app.call('accounts.setSpendingCap', { id: account.id, postsPer30Days: 5 }), { code: 'invalid_input' });
      await assert.rejects(app.call('accounts.setSpendingCap', { id: 'no-such-account', postsPer30Days: 5 }), { code: 'not_found' });
    } finally {
      app.close();
      await mocks.close();
    }
  });
});

describe("X: the platform's refusals", () => {
  it('429 with x-rate-limit-reset is rate_limited with retryAt at that reset, and the target waits for it', async () => {
    const app = await start();
    const account = await connected(app);
    const resetSeconds = Math.floor(Date.now() / 1000) + 600;
    x.injectFault('/2/tweets', {
      status: 429,
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 },
      headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(resetSeconds) },
    });
    const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Too fast')) })).targets[0]!;
    assert.equal(target.error?.code, 'rate_limited');
    assert.equal(target.error?.retryAt, resetSeconds * 1000);
    // Queued until X's reset, not retried before it.
    assert.equal(target.status, 'queued');
    assert.ok(target.nextAttemptAt! >= resetSeconds * 1000, `next attempt at ${target.nextAttemptAt}`);
    app.close();
  });

  it("the answer that spends X's last request holds the account's next post until x-rate-limit-reset; X never has to refuse it", async () => {
    x.setEndpointLimit('POST /2/tweets', 1);
    try {
      const app = await start();
      const account = await connected(app);
      const first = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('The last one for now')) })).targets[0]!;
      assert.equal(first.status, 'published');
      const sent = x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;
      const held = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('After the window')) })).targets[0]!;
      assert.equal(held.status, 'queued');
      assert.equal(held.attempts, 0, 'not sent to collect a 429');
      assert.equal(held.error?.code, 'rate_limited');
      // The window X announced: 15 minutes from the first request, in epoch seconds.
      assert.ok(held.nextAttemptAt! > Date.now() + 14 * 60 * 1000 && held.nextAttemptAt! <= Date.now() + 15 * 60 * 1000, `held until ${held.nextAttemptAt}`);
      assert.equal(held.error?.retryAt, held.nextAttemptAt);
      assert.equal(x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets').length, sent);
      app.close();
    } finally {
      x.setEndpointLimit('POST /2/tweets', 100);
    }
  });

  it("the developer app's usage cap is a 429 too, said as what it is", async () => {
    // A new app: the one above holds the account's posts until X's reset.
    const app = await start();
    const account = await connected(app);
    x.injectFault('/2/tweets', {
      status: 429,
      body: { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped', status: 429 },
    });
    const capped = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Over budget')) })).targets[0]!;
    assert.equal(capped.status, 'queued');
    assert.equal(capped.error?.code, 'rate_limited');
    assert.match(capped.error!.message, /usage cap.*Monthly product cap/);
    app.close();
  });

  it("403 duplicate content is platform_rejected in X's own words", async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('Said once');
    assert.equal((await app.call('publish.now', { draftId: await draft(app, [account.id], text) })).targets[0]!.status, 'published');
    const again = (await app.call('publish.now', { draftId: await draft(app, [account.id], text) })).targets[0]!;
    assert.equal(again.status, 'failed_permanent');
    assert.equal(again.error?.code, 'platform_rejected');
    assert.match(again.error!.message, /You are not allowed to create a Tweet with duplicate content\./);
    app.close();
  });

  it('400 names the parameter X refused; client-forbidden points at the developer app; both are final', async () => {
    const app = await start();
    const account = await connected(app);
    const refusal = async (status: number, body: unknown) => {
      x.injectFault('/2/tweets', { status, body });
      const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Refused')) })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      return target.error!;
    };
    const invalid = await refusal(400, {
      errors: [{ parameters: { 'reply.in_reply_to_tweet_id': ['1'] }, message: 'The `reply.in_reply_to_tweet_id` query parameter value [1] is not valid.' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.x.com/2/problems/invalid-request',
    });
    assert.equal(invalid.code, 'platform_rejected');
    assert.match(invalid.message, /in_reply_to_tweet_id/);

    const forbidden = await refusal(403, {
      title: 'Client Forbidden',
      detail: 'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
      type: 'https://api.twitter.com/2/problems/client-forbidden',
      reason: 'client-not-enrolled',
    });
    assert.equal(forbidden.code, 'platform_rejected');
    assert.match(forbidden.message, /attached to a Project/);
    assert.match(forbidden.action ?? '', /X Developer Console/);
    app.close();
  });

  it('a 5xx is passing trouble: the target is tried again by itself and published once', async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('Through the outage');
    const sent = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;
    const sentBefore = sent();
    x.injectFault('/2/tweets', { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text) });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    const done = await settled(app, post.id, (p) => p.targets[0]!.status === 'published');
    assert.equal(sent(), sentBefore + 2);
    assert.equal(x.tweets.filter((t) => t.text === text).length, 1);
    assert.equal(done.targets[0]!.uri, x.tweets.at(-1)!.id);
    app.close();
  });
});

describe('X: tokens and disconnect', () => {
  it('refreshes ahead of expiry on the stored schedule, also for an account saved in an earlier run', async () => {
    // Tokens that last 8 seconds: the refresh is due a quarter of that ahead, 6 seconds after
    // connect (2-hour tokens get X's 5 minutes: the scheduler's unit tests).
    const shortLived = await startXServer({ accessTokenTtlSeconds: 8 });
    try {
      const app = await start(undefined, shortLived);
      const account = await connected(app, 'native', shortLived);
      app.close();
      const before = await storedCredential(app.dataDir, account.id);
      const requests = shortLived.oauth.tokenRequestCount();

      // A new run schedules it from the stored expiry (trackAll at start), with nothing else asked.
      const again = await start(app.dataDir, shortLived);
      await waitFor(() => (shortLived.oauth.tokenRequestCount() > requests ? true : undefined), 'the scheduled refresh', 400);
      assert.equal((await again.call('accounts.check', { id: account.id })).status, 'connected');
      again.close();

      const after = await storedCredential(app.dataDir, account.id);
      assert.notEqual(after.tokens.accessToken, before.tokens.accessToken);
      assert.notEqual(after.tokens.refreshToken, before.tokens.refreshToken, 'the rotated refresh token is stored');
      assert.ok(after.tokens.expiresAt! > before.tokens.expiresAt!);
    } finally {
      await shortLived.close();
    }
  });

  it('tokens that live 20 seconds are refreshed about once per lifetime, never in a storm, and a post goes out on them', async () => {
    // Servers that issue short tokens exist (five minutes is a common default); a refresh a fixed
    // five minutes ahead would be due again the moment each new token arrived.
    const shortLived = await startXServer({ accessTokenTtlSeconds: 20 });
    try {
      const app = await start(undefined, shortLived);
      const account = await connected(app, 'native', shortLived);
      const requests = shortLived.oauth.tokenRequestCount();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(shortLived.oauth.tokenRequestCount(), requests, 'no refresh while most of the token’s life is ahead');
      // A publish needs a token valid for a while: not so long a while that every post refreshes.
      const post = await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('On a short token')) });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.equal(shortLived.oauth.tokenRequestCount(), requests, 'the post used the token it had');
      // Refreshed ahead of its end, once: lead time a fraction of the 20-second life.
      await waitFor(() => (shortLived.oauth.tokenRequestCount() > requests ? true : undefined), 'the scheduled refresh', 800);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(shortLived.oauth.tokenRequestCount(), requests + 1, 'one refresh for one lifetime');
      assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');
      app.close();
    } finally {
      await shortLived.close();
    }
  });

  it('a clock that jumps an hour ahead costs one refresh, not a loop', async () => {
    const shortLived = await startXServer({ accessTokenTtlSeconds: 60 });
    let offsetMs = 0;
    try {
      const app = await startCore({ env: shortLived.env, clock: { now: () => Date.now() + offsetMs } });
      const account = await connected(app, 'native', shortLived);
      const requests = shortLived.oauth.tokenRequestCount();
      // Every stored expiry is now an hour in the past, as after a long sleep; the shell reports
      // a wake as a possible connectivity change.
      offsetMs = 60 * 60 * 1000;
      app.setOnline(true);
      await waitFor(() => (shortLived.oauth.tokenRequestCount() > requests ? true : undefined), 'the refresh after the jump', 100);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(shortLived.oauth.tokenRequestCount(), requests + 1, 'one refresh after the jump');
      // And back: the stored expiry is now an hour ahead, which the token's own lifetime overrules.
      offsetMs = 0;
      app.setOnline(true);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(shortLived.oauth.tokenRequestCount(), requests + 1, 'nothing more after the jump back');
      assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');
      app.close();
    } finally {
      await shortLived.close();
    }
  });

  it('disconnect revokes at X, forgets the tokens, removes the account and keeps history', async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('Before goodbye');
    await app.call('publish.now', { draftId: await draft(app, [account.id], text) });
    app.close();
    const { tokens } = await storedCredential(app.dataDir, account.id);
    assert.ok(await x.oauth.findAccessToken(tokens.accessToken), 'valid before');

    const again = await start(app.dataDir);
    const revocations = x.oauth.revocationRequestCount();
    await again.call('accounts.disconnect', { id: account.id });
    // revokeTokenSet (RFC 7009): the refresh token, which ends the grant, then the access token.
    assert.equal(x.oauth.revocationRequestCount(), revocations + 2);
    assert.equal(await x.oauth.findAccessToken(tokens.accessToken), undefined, 'revoked at X');
    assert.deepEqual(await again.call('accounts.list', {}), []);
    const history = await again.call('history.list', {});
    assert.equal(history[0]!.text, text);
    assert.equal(history[0]!.targets[0]!.status, 'published');
    again.close();
  });

  it('a token X no longer accepts is refreshed once and the post goes through', async () => {
    const app = await start();
    const account = await connected(app);
    const requests = x.oauth.tokenRequestCount();
    x.injectFault('/2/tweets', { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } });
    const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('After a 401')) })).targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.equal(x.oauth.tokenRequestCount(), requests + 1, 'one refresh');
    assert.equal((await app.call('accounts.list', {}))[0]!.status, 'connected');
    app.close();
  });

  it('an image upload refused with a 401 is sent again, whole, with the refreshed token', async () => {
    // The image goes out as a streamed body, which can be read once: the second sending reads the file again.
    const app = await start();
    const account = await connected(app);
    const first = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('A square'), [{ alt: 'A square' }]) })).targets[0]!;
    assert.equal(first.status, 'published', JSON.stringify(first.error));
    const wholeImage = x.media.at(-1)!.size;
    const requests = x.oauth.tokenRequestCount();
    x.injectFault('/2/media/upload', { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } });
    const mediaBefore = x.media.length;
    const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('The same square after a 401'), [{ alt: 'A square' }]) })).targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    assert.equal(x.oauth.tokenRequestCount(), requests + 1, 'one refresh');
    assert.deepEqual(x.media.slice(mediaBefore).map((m) => m.size), [wholeImage], 'one upload, of the whole image');
    app.close();
  });

  it('the client secret, the tokens and the code never reach a file in the data folder or the bridge', async () => {
    const app = await start();
    await saveApp(app, 'confidential');
    const { pending, visit } = await connect(app);
    const { account } = await pending;
    await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Secrets stay put'), [{ alt: 'A square' }]) });
    await app.call('accounts.check', { id: account.id });
    x.injectFault('/2/tweets', { status: 403, body: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' } });
    await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Refused')) });
    app.close();

    const { tokens } = await storedCredential(app.dataDir, account.id);
    const secrets = {
      clientSecret: x.oauth.clients.confidentialBasic.clientSecret,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken!,
      code: new URL(visit.callbackUrl).searchParams.get('code')!,
    };
    assert.ok(Object.values(secrets).every((s) => s && s.length >= 16));
    for (const message of app.traffic) {
      for (const [name, secret] of Object.entries(secrets)) assert.ok(!message.includes(secret), `the ${name} crossed the bridge: ${message.slice(0, 200)}`);
    }
    const files = fs.readdirSync(app.dataDir, { recursive: true }).map((entry) => path.join(app.dataDir, entry.toString()));
    assert.ok(files.some((file) => file.includes(`${path.sep}logs${path.sep}`) && fs.statSync(file).isFile()), 'the log was written');
    for (const file of files) {
      if (!fs.statSync(file).isFile()) continue;
      const content = fs.readFileSync(file).toString('latin1');
      for (const [name, secret] of Object.entries(secrets)) assert.ok(!content.includes(secret), `the ${name} is in ${file}`);
    }
  });
});
