// LinkedIn end to end in Node, through the core's real dispatch: a real OAuth server configured like
// LinkedIn's standard 3-legged flow (client_secret_post, no PKCE, 60-day tokens, no refresh) with a
// contract mock of the member API on the same origin (test/harness/linkedinServer.ts), reached
// through the LOCALPOST_LINKEDIN_* endpoint overrides. The test plays the system browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { linkedinApiVersion } from '../../src-main/core/platforms/linkedin/linkedinAdapter';
import { smallPng } from '../fixtures/images';
import { storedCredential } from '../harness/storedCredential';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startLinkedInServer, type LinkedInServer } from '../harness/linkedinServer';
import { playBrowser } from '../harness/oauthServer';
import { waitFor } from '../harness/waitFor';

let linkedin: LinkedInServer;
before(async () => {
  linkedin = await startLinkedInServer();
});
after(() => linkedin.close());

// The mock serves profile pictures too: allowed, as an image host on the web would be.
const start = (server: LinkedInServer = linkedin, dataDir?: string) =>
  startCore({ env: server.env, allowPrivateAddressesFor: [new URL(server.env.LOCALPOST_LINKEDIN_API_BASE!).origin], ...(dataDir ? { dataDir } : {}) });

async function saveApp(app: CoreClient, server: LinkedInServer = linkedin) {
  return app.call('developerApps.save', {
    platform: 'linkedin',
    clientId: server.client.clientId,
    clientSecret: server.client.clientSecret,
    redirectPort: server.oauth.fixedRedirectPort,
  });
}

/** Starts accounts.connect for LinkedIn and answers the consent page like the member would. */
async function connected(app: CoreClient, server: LinkedInServer = linkedin) {
  await saveApp(app, server);
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'linkedin' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  await playBrowser(consentUrl);
  return { ...(await pending), consentUrl };
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

const postsSent = () => linkedin.requests.filter((r) => r.method === 'POST' && r.path === '/rest/posts').length;

describe('LinkedIn: connect', () => {
  it('without a developer app says why and where to add one, and opens nothing', async () => {
    const app = await start();
    const refusedAsMissing = (error: { code: string; error: { message: string; action?: string } }) => {
      assert.equal(error.code, 'developer_app_missing');
      assert.match(error.error.message, /your own developer app/);
      assert.match(error.error.action ?? '', /Settings → Developer apps → LinkedIn/);
      assert.match(error.error.action ?? '', /http:\/\/127\.0\.0\.1:\d+\/callback/);
      return true;
    };
    await assert.rejects(app.call('accounts.connect', { platform: 'linkedin' }), refusedAsMissing);
    // LinkedIn's standard flow needs the client secret: Settings refuses a Client ID alone.
    await assert.rejects(
      app.call('developerApps.save', { platform: 'linkedin', clientId: linkedin.client.clientId, redirectPort: linkedin.oauth.fixedRedirectPort }),
      { code: 'invalid_input' },
    );
    await assert.rejects(app.call('accounts.connect', { platform: 'linkedin' }), refusedAsMissing);
    assert.deepEqual(app.openedUrls, [], 'no browser opened');
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('signs in without PKCE, the secret in the form, to the fixed loopback port; the member from /v2/userinfo; the tokens in the vault', async () => {
    const app = await start();
    const { account, updatedExisting, consentUrl } = await connected(app);
    assert.equal(updatedExisting, false);
    assert.equal(account.platform, 'linkedin');
    assert.equal(account.remoteId, linkedin.member.sub);
    assert.equal(account.handle, 'Alice Example');
    assert.equal(account.status, 'connected');
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the profile picture, kept with the account');

    const authorize = new URL(consentUrl);
    assert.equal(authorize.searchParams.get('redirect_uri'), linkedin.client.redirectUri);
    assert.equal(authorize.searchParams.get('scope'), 'openid profile w_member_social');
    assert.equal(authorize.searchParams.get('code_challenge'), null, 'no PKCE');
    app.close();

    const credential = await storedCredential(app.dataDir, account.id);
    assert.equal(credential.tokens.refreshToken, undefined);
    const sixtyDays = 60 * 24 * 3_600_000;
    assert.ok(Math.abs(credential.tokens.expiresAt! - (Date.now() + sixtyDays)) < 60_000, `expires at ${credential.tokens.expiresAt}`);
    for (const message of app.traffic) {
      assert.ok(!message.includes(linkedin.client.clientSecret), 'the client secret crossed the bridge');
      assert.ok(!message.includes(credential.tokens.accessToken), 'the access token crossed the bridge');
    }
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true, encoding: 'utf8' })) {
      const file = path.join(app.dataDir, entry);
      if (fs.statSync(file).isFile()) assert.ok(!fs.readFileSync(file).includes(credential.tokens.accessToken), `the access token is in ${entry}`);
    }
  });

  it('a sign-in that ends within a week is announced as token.expiring', async () => {
    const shortLived = await startLinkedInServer({ accessTokenTtlSeconds: 3 * 24 * 3600 });
    try {
      const app = await start(shortLived);
      const { account } = await connected(app, shortLived);
      const expiring = await waitFor(
        () => app.traffic.map((message) => JSON.parse(message) as { event?: string; payload?: { accountId?: string } }).find((m) => m.event === 'token.expiring'),
        'token.expiring',
      );
      assert.equal(expiring.payload?.accountId, account.id);
      // The account still posts, and its card keeps a Reconnect with the day, a check included.
      const marked = async () => {
        const [listed] = await app.call('accounts.list', {});
        return { status: listed!.status, nextAction: listed!.nextAction, reason: listed!.statusReason };
      };
      const endsSoon = { status: 'connected', nextAction: 'reconnect', reason: `The sign-in ends on ${new Date(Date.now() + 3 * 24 * 3_600_000).toLocaleDateString(undefined, { dateStyle: 'medium' })}: reconnect before then to keep posting.` };
      assert.deepEqual(await marked(), endsSoon);
      await app.call('accounts.check', { id: account.id });
      assert.deepEqual(await marked(), endsSoon);
      // A new sign-in of 60 days answers it.
      shortLived.setAccessTokenTtl(60 * 24 * 3600);
      const again = await connected(app, shortLived);
      assert.equal(again.account.id, account.id);
      assert.equal(again.updatedExisting, true);
      assert.deepEqual(await marked(), { status: 'connected', nextAction: null, reason: null });
      app.close();
    } finally {
      await shortLived.close();
    }
  });
});

describe('LinkedIn: publish', () => {
  it('posts text through the Posts API with every reserved character arriving exactly as typed', async () => {
    const app = await start();
    const { account } = await connected(app);
    const text = 'Reserved (all of them): [a] {b} <c> #tag *bold* _it_ ~s~ a|b @name back\\slash. End.';
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text) });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));
    const created = linkedin.posts.at(-1)!;
    assert.equal(created.truncated, false);
    assert.equal(created.commentary, text);
    assert.equal(created.author, linkedin.member.urn);
    assert.equal(created.visibility, 'PUBLIC');
    assert.equal(created.lifecycleState, 'PUBLISHED');
    assert.equal(target.uri, created.id);
    assert.equal(target.url, `https://www.linkedin.com/feed/update/${encodeURIComponent(created.id)}/`);
    const request = linkedin.requests.filter((r) => r.path === '/rest/posts').at(-1)!;
    assert.equal(request.headers.linkedinVersion, linkedinApiVersion);
    assert.equal(request.headers.restliProtocolVersion, '2.0.0');
    app.close();
  });

  it('posts an image with its alt text through the Images API', async () => {
    const app = await start();
    const { account } = await connected(app);
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'A picture', [{ alt: 'A red square (small)' }]) });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const created = linkedin.posts.at(-1)!;
    const image = linkedin.images.find((candidate) => candidate.id === created.media?.id);
    assert.ok(image?.bytes && image.bytes.length > 0, 'the bytes were uploaded');
    assert.equal(image.owner, linkedin.member.urn);
    assert.equal(created.media?.altText, 'A red square (small)');
    // One image per post through content.media: two are refused before anything is sent.
    const sent = postsSent();
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], 'Two pictures', [{ alt: 'one' }, { alt: 'two' }]) }), {
      code: 'preflight_failed',
    });
    assert.equal(postsSent(), sent);
    app.close();
  });

  it('waits until LinkedIn has processed the image (status AVAILABLE) before the post names it', async () => {
    const app = await start();
    const { account } = await connected(app);
    linkedin.setImageProcessing({ reads: 3, ms: 200 });
    try {
      const from = linkedin.requests.length;
      const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'Processed first', [{ alt: 'Processed' }]) });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      const made = linkedin.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/urn%3Ali%3Aimage%3A\w+/, '{urn}')}`);
      const postedAt = made.indexOf('POST /rest/posts');
      const reads = made.filter((r) => r === 'GET /rest/images/{urn}').length;
      assert.ok(reads >= 4, `the status was read ${reads} times: ${made.join(', ')}`);
      assert.equal(made.lastIndexOf('GET /rest/images/{urn}') < postedAt, true, 'every status read came before the post');
      assert.equal(made.filter((r) => r === 'POST /rest/posts').length, 1, 'posted once, never refused for a processing image');
      const image = linkedin.images.find((i) => i.id === linkedin.posts.at(-1)!.media?.id);
      assert.equal(image?.status, 'AVAILABLE');
    } finally {
      linkedin.setImageProcessing({ reads: 1 });
    }
    app.close();
  });

  it('an image LinkedIn could not process (PROCESSING_FAILED) fails the target with media_unsupported; no post is sent', async () => {
    const app = await start();
    const { account } = await connected(app);
    linkedin.setImageProcessing({ reads: 1, fails: true });
    try {
      const sent = postsSent();
      const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'A broken picture', [{ alt: 'Broken' }]) })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'media_unsupported');
      assert.match(target.error!.message, /LinkedIn could not process the image/);
      assert.match(target.error!.action ?? '', /nothing was posted/);
      assert.equal(postsSent(), sent);
    } finally {
      linkedin.setImageProcessing({ reads: 1 });
    }
    app.close();
  });

  it('an image still processing at the time limit fails this attempt before any post; the outbox tries again later', async () => {
    let offsetMs = 0;
    const app = await startCore({ env: linkedin.env, clock: { now: () => Date.now() + offsetMs } });
    const { account } = await connected(app);
    linkedin.setImageProcessing({ reads: Infinity });
    try {
      const sent = postsSent();
      const reads = () => linkedin.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/rest/images/')).length;
      const readsBefore = reads();
      const pending = app.call('publish.now', { draftId: await draft(app, [account.id], 'Forever processing', [{ alt: 'Slow' }]) });
      await waitFor(() => reads() > readsBefore || undefined, 'the first status read');
      // Half a minute passes on the clock while LinkedIn keeps saying PROCESSING.
      offsetMs += 31_000;
      const target = (await pending).targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'platform_rejected');
      assert.match(target.error!.message, /still processing the image after 30 seconds/);
      assert.match(target.error!.action ?? '', /nothing was posted/);
      assert.equal(postsSent(), sent);
    } finally {
      linkedin.setImageProcessing({ reads: 1 });
    }
    app.close();
  });

  it('a status read that gets no answer is not an uncertain post: the target is retried by itself, never left unknown', async () => {
    const app = await start();
    const { account } = await connected(app);
    const sent = postsSent();
    linkedin.loseNextImageStatusResponse();
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'Lost while waiting', [{ alt: 'Waiting' }]) });
    // The first attempt ended before any post was sent: retried (perhaps already under way), not a question for the user.
    assert.ok(['queued', 'publishing', 'published'].includes(post.targets[0]!.status), JSON.stringify(post.targets[0]));
    assert.notEqual(post.phase, 'needs_attention');
    let published: typeof post | undefined;
    for (let i = 0; i < 200 && published?.targets[0]!.status !== 'published'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      published = (await app.call('history.list', {})).find((p) => p.id === post.id);
    }
    assert.equal(published?.targets[0]!.status, 'published', 'the retry published it');
    assert.equal(published.targets[0]!.attempts, 2);
    assert.equal(postsSent(), sent + 1);
    assert.equal(linkedin.posts.at(-1)!.commentary, 'Lost while waiting');
    app.close();
  });

  it('where LinkedIn refuses to read an image back (403), the post goes out after a pause', async () => {
    const unreadable = await startLinkedInServer({ imageReadsRefused: true, imageProcessing: { ms: 1_000 } });
    try {
      const app = await start(unreadable);
      const { account } = await connected(app, unreadable);
      const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'Unreadable status', [{ alt: 'Paused for' }]) });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.equal(unreadable.posts.at(-1)!.media?.altText, 'Paused for');
      app.close();
    } finally {
      await unreadable.close();
    }
  });

  it('3,000 characters pass; 3,001 are refused in preflight and never sent', async () => {
    const app = await start();
    const { account } = await connected(app);
    const sent = postsSent();
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], 'a'.repeat(3001)) }), { code: 'preflight_failed' });
    assert.equal(postsSent(), sent);
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'b'.repeat(3000)) });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(linkedin.posts.at(-1)!.commentary.length, 3000);
    app.close();
  });

  it('a revoked sign-in (401, serviceErrorCode 65601) is platform_auth_failed and the account needs_reauth', async () => {
    const app = await start();
    const { account } = await connected(app);
    await linkedin.revokeSeenTokens();
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], 'After the member removed the app') });
    assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
    assert.notEqual(post.targets[0]!.status, 'published');
    const [after] = await app.call('accounts.list', {});
    assert.equal(after!.status, 'needs_reauth');
    app.close();
  });

  it('a refusal is said in LinkedIn\'s words; a 5xx is passing trouble tried again by itself', async () => {
    const app = await start();
    const { account } = await connected(app);
    linkedin.injectFault('/rest/posts', { status: 422, body: { status: 422, code: 'UNPROCESSABLE_ENTITY', message: 'ShareCommentary text length exceeded' } });
    const refused = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'Refused') })).targets[0]!;
    assert.equal(refused.status, 'failed_permanent');
    assert.equal(refused.error?.code, 'platform_rejected');
    assert.match(refused.error!.message, /ShareCommentary text length exceeded/);

    linkedin.injectFault('/rest/posts', { status: 503, body: { status: 503, message: 'Service Unavailable' } });
    const passing = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'Through the outage') })).targets[0]!;
    assert.equal(passing.status, 'queued');
    assert.equal(passing.error?.code, 'platform_rejected');
    app.close();
  });

  it('a spent daily limit (429, no Retry-After) is rate_limited: the target waits, nothing is lost', async () => {
    const app = await start();
    const { account } = await connected(app);
    linkedin.setDailyLimit('POST /rest/posts', { member: 0 });
    try {
      const target = (await app.call('publish.now', { draftId: await draft(app, [account.id], 'Over the daily limit') })).targets[0]!;
      assert.equal(target.status, 'queued');
      assert.equal(target.error?.code, 'rate_limited');
      assert.match(target.error!.message, /LinkedIn/);
    } finally {
      linkedin.setDailyLimit('POST /rest/posts', { member: 150 });
    }
    app.close();
  });

  it('a lost answer leaves the target unknown: LinkedIn cannot be asked, so it is never sent twice', async () => {
    const app = await start();
    const { account } = await connected(app);
    const text = 'Did this one go out?';
    const sent = postsSent();
    linkedin.loseNextPostResponse();
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text) });
    assert.equal(post.targets[0]!.status, 'unknown');
    assert.equal(post.phase, 'needs_attention');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(postsSent(), sent + 1, 'reached LinkedIn once, and nothing re-sent it');
    assert.equal(linkedin.posts.filter((p) => p.commentary === text).length, 1);
    app.close();
  });
});
