// Pinterest end to end in Node, through the core's real dispatch: a real OAuth server configured
// like Pinterest's and a contract mock of API v5 that checks every request against Pinterest's
// OpenAPI description (test/harness/pinterestServer.ts), reached through the LOCALPOST_PINTEREST_*
// endpoint overrides. Every test ends with the mock's `violations` empty.
//
// Run: npm test -- test/integration/pinterest.test.ts
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { PinOptions } from '../../src-preload/contract';
import { smallPng } from '../fixtures/images';
import { storedCredential } from '../harness/storedCredential';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { playBrowser } from '../harness/oauthServer';
import { startPinterestServer, type PinterestServer } from '../harness/pinterestServer';
import { waitFor } from '../harness/waitFor';

let pinterest: PinterestServer;
const servers: PinterestServer[] = [];
before(async () => {
  pinterest = await startPinterestServer();
  servers.push(pinterest);
});
after(() => Promise.all(servers.map((server) => server.close())));
afterEach(() => {
  for (const server of servers) assert.deepEqual(server.violations.splice(0), [], 'requests Pinterest’s description does not allow');
});

// The mock serves profile pictures too: allowed, as an image host on the web would be.
const start = (dataDir?: string, server: PinterestServer = pinterest) =>
  startCore({ env: server.env, allowPrivateAddressesFor: [new URL(server.env.LOCALPOST_PINTEREST_API_BASE!).origin], ...(dataDir ? { dataDir } : {}) });

function saveApp(app: CoreClient, server: PinterestServer = pinterest, options: { sandbox?: boolean } = {}) {
  return app.call('developerApps.save', {
    platform: 'pinterest',
    clientId: server.client.clientId,
    clientSecret: server.client.clientSecret,
    redirectPort: server.oauth.fixedRedirectPort,
    ...(options.sandbox !== undefined ? { switches: { sandbox: options.sandbox } } : {}),
  });
}

/** Starts accounts.connect for Pinterest and answers the consent page like the user would. */
async function connect(app: CoreClient) {
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'pinterest' });
  pending.catch(() => {});
  const consentUrl = await waitFor(() => app.openedUrls[opened], 'the consent page to open');
  const visit = await playBrowser(consentUrl, { deliver: true });
  return { pending, consentUrl, visit };
}

async function connected(app: CoreClient, server: PinterestServer = pinterest, options: { sandbox?: boolean } = {}) {
  await saveApp(app, server, options);
  return (await (await connect(app)).pending).account;
}

/** Each account's first board, as the composer chooses when the user does not pick another. */
async function firstBoards(app: CoreClient, accountIds: string[]): Promise<Record<string, string>> {
  const chosen: Record<string, string> = {};
  for (const accountId of accountIds) chosen[accountId] = (await app.call('boards.list', { accountId, refresh: false })).boards[0]!.id;
  return chosen;
}

async function draft(app: CoreClient, accountIds: string[], text: string, images: Array<{ alt: string }> = [], pin?: Partial<PinOptions>) {
  const created = await app.call('drafts.create', {});
  const platformOptions = { pinterest: { boards: await firstBoards(app, accountIds), title: '', link: '', ...pin } };
  await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['en'], platformOptions });
  for (const image of images) {
    const added = await app.call('drafts.addImage', { draftId: created.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId: created.id, imageId: added.id, alt: image.alt });
  }
  return created.id;
}

let uniqueText = 0;
const fresh = (text: string) => `${text} #${++uniqueText}`;
const productionBoard = () => pinterest.boards.find((board) => board.host === 'production')!;

describe('Pinterest: connecting', () => {
  it('without a developer app says why (an app id without its secret key is not saved) and where to add one, and connects nothing', async () => {
    const app = await start();
    const refusal = (error: { code: string; error: { message: string; action?: string } }) => {
      assert.equal(error.code, 'developer_app_missing');
      assert.match(error.error.message, /your own developer app/);
      assert.match(error.error.action ?? '', /Settings → Developer apps → Pinterest/);
      assert.match(error.error.action ?? '', /http:\/\/127\.0\.0\.1:53682\/callback/);
      return true;
    };
    await assert.rejects(app.call('accounts.connect', { platform: 'pinterest' }), refusal);
    // Pinterest's token endpoint takes HTTP Basic with the secret: an app id alone is not saved.
    await assert.rejects(
      app.call('developerApps.save', { platform: 'pinterest', clientId: pinterest.client.clientId, redirectPort: 53682 }),
      { code: 'invalid_input' },
    );
    await assert.rejects(app.call('accounts.connect', { platform: 'pinterest' }), refusal);
    assert.deepEqual(app.openedUrls, [], 'no browser opened');
    assert.deepEqual(await app.call('accounts.list', {}), []);
    app.close();
  });

  it('signs in with the code flow on the fixed port, HTTP Basic and no PKCE, and reads the account from /v5/user_account', async () => {
    const app = await start();
    await saveApp(app);
    const requestsBefore = pinterest.requests.length;
    const { pending, consentUrl, visit } = await connect(app);
    const { account, updatedExisting } = await pending;
    assert.equal(visit.delivered?.status, 200);
    assert.match(account.avatar ?? '', /^data:image\/webp;base64,/, 'the profile picture, kept with the account');

    const authorize = new URL(consentUrl);
    assert.equal(authorize.origin + authorize.pathname, pinterest.env.LOCALPOST_PINTEREST_AUTHORIZE_URL);
    assert.equal(authorize.searchParams.get('redirect_uri'), pinterest.client.redirectUri);
    assert.equal(authorize.searchParams.get('client_id'), pinterest.client.clientId);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('scope'), 'boards:read,boards:write,pins:read,pins:write,user_accounts:read');
    assert.equal(authorize.searchParams.get('code_challenge'), null);

    const sent = pinterest.requests.slice(requestsBefore);
    const tokenRequest = sent.find((r) => r.method === 'POST' && r.path === '/v5/oauth/token');
    assert.ok(tokenRequest, 'the code was exchanged at /v5/oauth/token');
    const form = tokenRequest.body as Record<string, string>;
    assert.equal(form.grant_type, 'authorization_code');
    assert.equal(form.client_secret, undefined, 'the secret goes in the Authorization header (HTTP Basic), not the body');
    assert.equal(form.code_verifier, undefined);
    assert.ok(sent.some((r) => r.method === 'GET' && r.path === '/v5/user_account'));

    assert.equal(updatedExisting, false);
    assert.equal(account.platform, 'pinterest');
    assert.equal(account.service, 'pinterest.com');
    assert.equal(account.displayName, 'Alice');
    assert.ok(account.handle);
    assert.equal(account.status, 'connected');
    assert.equal((await app.call('accounts.check', { id: account.id })).status, 'connected');

    // A second sign-in as the same person updates that account.
    assert.equal((await (await connect(app)).pending).updatedExisting, true);
    app.close();
    const credential = await storedCredential(app.dataDir, account.id);
    assert.equal(credential.client.clientAuthMethod, 'client_secret_basic');
    assert.ok(credential.tokens.refreshToken);
    assert.equal(credential.extra?.apiBase, pinterest.env.LOCALPOST_PINTEREST_API_BASE);
  });

  it('refreshes the access token before it ends and stores the rotated refresh token', async () => {
    // Tokens that last 8 seconds (Pinterest's last 30 days and are refreshed a day ahead; the
    // scheduler brings the lead down to a fraction of a short life).
    const shortLived = await startPinterestServer({ accessTokenTtlSeconds: 8 });
    servers.push(shortLived);
    const app = await start(undefined, shortLived);
    const account = await connected(app, shortLived);
    app.close();
    const before = await storedCredential(app.dataDir, account.id);
    const requests = shortLived.oauth.tokenRequestCount();

    const again = await start(app.dataDir, shortLived);
    await waitFor(() => (shortLived.oauth.tokenRequestCount() > requests ? true : undefined), 'the scheduled refresh', 400);
    assert.equal((await again.call('accounts.check', { id: account.id })).status, 'connected');
    again.close();

    const after = await storedCredential(app.dataDir, account.id);
    assert.notEqual(after.tokens.accessToken, before.tokens.accessToken);
    assert.notEqual(after.tokens.refreshToken, before.tokens.refreshToken, 'the rotated refresh token is stored');
    const refresh = shortLived.requests.find((r) => r.path === '/v5/oauth/token' && (r.body as Record<string, string>).grant_type === 'refresh_token');
    assert.ok(refresh);
    assert.equal((refresh.body as Record<string, string>).client_secret, undefined);
  });
});

describe('Pinterest: the sandbox switch (Trial access)', () => {
  it('with the switch on, the code is exchanged at the sandbox and a Trial app pins there; the consent page stays the same', async () => {
    const app = await start();
    assert.deepEqual((await saveApp(app, pinterest, { sandbox: true })).switches, { sandbox: true });
    const requestsBefore = pinterest.requests.length;
    const { pending, consentUrl } = await connect(app);
    const { account } = await pending;
    assert.equal(new URL(consentUrl).origin + new URL(consentUrl).pathname, pinterest.env.LOCALPOST_PINTEREST_AUTHORIZE_URL);
    const signIn = pinterest.requests.slice(requestsBefore);
    assert.deepEqual(
      signIn.map((r) => `${r.method} ${r.path}`),
      ['POST /sandbox/v5/oauth/token', 'GET /sandbox/v5/user_account'],
      'nothing of the sign-in went to production',
    );

    pinterest.setAccess('trial');
    try {
      const text = fresh('Pinned in the sandbox');
      const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text, [{ alt: '' }]) });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      const pin = pinterest.pins.find((candidate) => candidate.description === text)!;
      assert.equal(pin.host, 'sandbox');
      assert.equal(pin.boardId, pinterest.boards.find((board) => board.host === 'sandbox')!.id);
      // A sandbox pin is not on pinterest.com: its id, and no link.
      assert.deepEqual([post.targets[0]!.uri, post.targets[0]!.url], [pin.id, null]);
      assert.ok(!pinterest.requests.slice(requestsBefore).some((r) => r.host === 'production'), 'no request reached production');
    } finally {
      pinterest.setAccess('standard');
    }
    app.close();
    const credential = await storedCredential(app.dataDir, account.id);
    assert.equal(credential.extra?.apiBase, pinterest.env.LOCALPOST_PINTEREST_SANDBOX_API_BASE);
    assert.equal(credential.endpoints.tokenUrl, pinterest.env.LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL);
  });

  it('an account connected on the sandbox refreshes at the sandbox, even after the switch is turned off', async () => {
    const shortLived = await startPinterestServer({ accessTokenTtlSeconds: 8 });
    servers.push(shortLived);
    const app = await start(undefined, shortLived);
    const account = await connected(app, shortLived, { sandbox: true });
    // Turning the switch off changes the next connect, not the account already connected.
    await saveApp(app, shortLived, { sandbox: false });
    app.close();
    const refreshes = () => shortLived.requests.filter((r) => r.path.endsWith('/oauth/token') && (r.body as Record<string, string>).grant_type === 'refresh_token');

    const again = await start(app.dataDir, shortLived);
    await waitFor(() => (refreshes().length > 0 ? true : undefined), 'the scheduled refresh', 400);
    assert.equal((await again.call('accounts.check', { id: account.id })).status, 'connected');
    again.close();
    assert.deepEqual(
      refreshes().map((r) => r.path),
      refreshes().map(() => '/sandbox/v5/oauth/token'),
    );
    const checked = shortLived.requests.filter((r) => r.path.endsWith('/user_account')).at(-1)!;
    assert.equal(checked.host, 'sandbox');
  });
});

describe('Pinterest: publishing', () => {
  it('pins the image to the first board with the text as description and the alt text; history has the pin link', async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('A red rectangle');
    const pinsBefore = pinterest.pins.length;
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text, [{ alt: 'A red rectangle on white' }]) });
    const target = post.targets[0]!;
    assert.equal(target.status, 'published', JSON.stringify(target.error));

    assert.equal(pinterest.pins.length, pinsBefore + 1);
    const pin = pinterest.pins.at(-1)!;
    assert.equal(pin.host, 'production');
    assert.equal(pin.boardId, productionBoard().id);
    assert.equal(pin.description, text);
    assert.equal(pin.altText, 'A red rectangle on white');
    assert.equal(pin.mediaSource.sourceType, 'image_base64');
    assert.equal(pin.mediaSource.contentType, 'image/png');
    assert.ok((pin.mediaSource.bytes ?? 0) > 0);
    assert.equal(target.uri, pin.id);
    assert.equal(target.url, `https://www.pinterest.com/pin/${pin.id}/`);
    app.close();
  });

  it('an image Localpost keeps as WebP (transparent and large) is pinned as PNG, which Pinterest takes', async () => {
    const app = await start();
    const account = await connected(app);
    // Transparent noise does not fit 1 MB as PNG, so Localpost keeps it as WebP.
    const size = 1200;
    const noise = randomBytes(size * size * 4);
    const bytes = await sharp(noise, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
    const created = await app.call('drafts.create', {});
    const text = fresh('See-through');
    const platformOptions = { pinterest: { boards: await firstBoards(app, [account.id]), title: '', link: '' } };
    await app.call('drafts.save', { id: created.id, text, targetAccountIds: [account.id], langs: ['en'], platformOptions });
    const added = await app.call('drafts.addImage', { draftId: created.id, fileName: 'clear.png', bytes: new Uint8Array(bytes) });
    assert.equal(added.mime, 'image/webp', 'the fixture is kept as WebP');
    const post = await app.call('publish.now', { draftId: created.id });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    assert.equal(pinterest.pins.at(-1)!.mediaSource.contentType, 'image/png');
    app.close();
  });

  it('preflight: no image is media.required, a description over 500 is length.max; publish refuses both and nothing is pinned', async () => {
    const app = await start();
    const account = await connected(app);
    const issues = async (text: string, images: Array<{ alt: string }>) =>
      (await app.call('drafts.preflight', { id: await draft(app, [account.id], text, images) })).map((i) => i.ruleId);
    assert.deepEqual(await issues('Words only', []), ['media.required']);
    assert.deepEqual(await issues('a'.repeat(500), [{ alt: '' }]), []);
    assert.deepEqual(await issues('a'.repeat(501), [{ alt: '' }]), ['length.max']);

    const pinsBefore = pinterest.pins.length;
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Words only')) }), { code: 'preflight_failed' });
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], 'a'.repeat(501), [{ alt: '' }]) }), { code: 'preflight_failed' });
    assert.equal(pinterest.pins.length, pinsBefore, 'nothing reached Pinterest');
    app.close();
  });

  it('a lost answer: the board’s pins are looked up before anything is sent again, and the pin exists once', async () => {
    const app = await start();
    const account = await connected(app);
    const text = fresh('Lost on the way back');
    const creates = () => pinterest.requests.filter((r) => r.method === 'POST' && r.path === '/v5/pins').length;
    const createsBefore = creates();
    pinterest.loseNextAnswer('/v5/pins');
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], text, [{ alt: '' }]) });
    const done = await settled(app, post.id, (p) => p.targets[0]!.status === 'published');
    const matching = pinterest.pins.filter((pin) => pin.description === text);
    assert.equal(matching.length, 1, 'pinned once');
    assert.equal(creates(), createsBefore + 1, 'never sent again');
    assert.ok(pinterest.requests.some((r) => r.method === 'GET' && r.path === `/v5/boards/${productionBoard().id}/pins`), 'the board was looked up');
    assert.equal(done.targets[0]!.uri, matching[0]!.id);
    app.close();
  });

  it('a Trial-access app refused on production (403, code 29) is told exactly that, and the target is not retried', async () => {
    const app = await start();
    const account = await connected(app);
    const pinsBefore = pinterest.pins.length;
    pinterest.setAccess('trial');
    try {
      const post = await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('On trial'), [{ alt: '' }]) });
      const target = post.targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'platform_rejected');
      assert.match(target.error?.message ?? '', /Trial access.*only in its API sandbox/);
      assert.equal(
        target.error?.action,
        'Turn on “Use Pinterest’s sandbox (Trial access)” in Settings → Developer apps → Pinterest and reconnect the account, or apply for Standard access for your app in Pinterest Developers (My apps).',
      );
    } finally {
      pinterest.setAccess('standard');
    }
    assert.equal(pinterest.pins.length, pinsBefore);
    app.close();
  });

  it("Pinterest's refusal is said in its own words", async () => {
    const app = await start();
    const account = await connected(app);
    pinterest.injectFault('/v5/pins', { status: 400, body: { code: 1, message: 'Invalid board_id.' } });
    const post = await app.call('publish.now', { draftId: await draft(app, [account.id], fresh('Refused'), [{ alt: '' }]) });
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    assert.match(post.targets[0]!.error?.message ?? '', /Invalid board_id\./);
    app.close();
  });
});

describe('Pinterest: boards and the pin’s own fields', () => {
  it('lists every board, across pages, and keeps the list until asked again', async () => {
    const server = await startPinterestServer();
    servers.push(server);
    for (let n = 1; n <= 300; n++) server.addBoard('production', `Board ${String(n).padStart(3, '0')}`);
    const app = await start(undefined, server);
    const account = await connected(app, server);
    const boardPages = () => server.requests.filter((r) => r.method === 'GET' && r.path === '/v5/boards').length;

    const listed = await app.call('boards.list', { accountId: account.id, refresh: false });
    assert.equal(listed.boards.length, 301, 'the seeded board and 300 more, over two pages of 250');
    assert.equal(boardPages(), 2);
    assert.deepEqual(listed.boards[0], { id: server.boards[0]!.id, name: 'Localpost', secret: false });

    server.addBoard('production', 'Made on pinterest.com');
    const cached = await app.call('boards.list', { accountId: account.id, refresh: false });
    assert.equal(cached.boards.length, 301, 'from the cache');
    assert.equal(cached.fetchedAt, listed.fetchedAt);
    assert.equal(boardPages(), 2, 'Pinterest was not asked again');

    const refreshed = await app.call('boards.list', { accountId: account.id, refresh: true });
    assert.equal(refreshed.boards.at(-1)!.name, 'Made on pinterest.com');
    assert.equal(boardPages(), 4);
    app.close();

    // The list outlives a restart, so the composer has it offline.
    const again = await start(app.dataDir, server);
    assert.equal((await again.call('boards.list', { accountId: account.id, refresh: false })).boards.length, 302);
    assert.equal(boardPages(), 4);
    again.close();
  });

  it('makes a board at Pinterest, adds it to the list, and pins to it with the title and link', async () => {
    const app = await start();
    const account = await connected(app);
    await app.call('boards.list', { accountId: account.id, refresh: true });
    const board = await app.call('boards.create', { accountId: account.id, name: '  Autumn recipes ' });
    assert.equal(board.name, 'Autumn recipes');
    const made = pinterest.boards.find((b) => b.id === board.id);
    assert.equal(made?.privacy, 'PUBLIC');
    assert.ok((await app.call('boards.list', { accountId: account.id, refresh: false })).boards.some((b) => b.id === board.id), 'in the cached list');

    const text = fresh('Pumpkin soup, the easy way');
    const post = await app.call('publish.now', {
      draftId: await draft(app, [account.id], text, [{ alt: 'A bowl of soup' }], {
        boards: { [account.id]: board.id },
        title: 'Pumpkin soup',
        link: 'https://example.com/soup',
      }),
    });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    const pin = pinterest.pins.at(-1)!;
    assert.deepEqual(
      { boardId: pin.boardId, title: pin.title, description: pin.description, link: pin.link },
      { boardId: board.id, title: 'Pumpkin soup', description: text, link: 'https://example.com/soup' },
    );
    app.close();
  });

  it('preflight: a board for each account, a title of at most 100, a web address as link; the draft keeps them', async () => {
    const app = await start();
    const account = await connected(app);
    const ruleIds = async (pin: Partial<PinOptions>) => {
      const id = await draft(app, [account.id], fresh('Checked'), [{ alt: '' }], pin);
      return (await app.call('drafts.preflight', { id })).map((issue) => `${issue.ruleId}${issue.accountId ? ' (account)' : ''}`);
    };
    assert.deepEqual(await ruleIds({}), []);
    assert.deepEqual(await ruleIds({ boards: {} }), ['pinterest.board (account)']);
    assert.deepEqual(await ruleIds({ title: 'é'.repeat(100) }), []);
    assert.deepEqual(await ruleIds({ title: 't'.repeat(101) }), ['pinterest.title_length']);
    assert.deepEqual(await ruleIds({ link: 'example.com/no-scheme' }), ['pinterest.link']);
    assert.deepEqual(await ruleIds({ link: 'javascript:alert(1)' }), ['pinterest.link']);
    assert.deepEqual(await ruleIds({ link: `https://example.com/${'a'.repeat(2048)}` }), ['pinterest.link']);

    const id = await draft(app, [account.id], fresh('Kept'), [], { title: 'A title', link: 'https://example.com/' });
    const kept = await app.call('drafts.get', { id });
    assert.deepEqual(kept.platformOptions.pinterest, { boards: await firstBoards(app, [account.id]), title: 'A title', link: 'https://example.com/' });

    const pinsBefore = pinterest.pins.length;
    await assert.rejects(app.call('publish.now', { draftId: await draft(app, [account.id], fresh('No board'), [{ alt: '' }], { boards: {} }) }), { code: 'preflight_failed' });
    assert.equal(pinterest.pins.length, pinsBefore, 'nothing reached Pinterest');
    app.close();
  });

  it('a board deleted since it was chosen: the pin fails for good, saying to choose another board', async () => {
    const app = await start();
    const account = await connected(app);
    const doomed = await app.call('boards.create', { accountId: account.id, name: 'Soon gone' });
    const draftId = await draft(app, [account.id], fresh('Orphan'), [{ alt: '' }], { boards: { [account.id]: doomed.id } });
    pinterest.boards.splice(pinterest.boards.findIndex((b) => b.id === doomed.id), 1);
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'failed_permanent');
    assert.match(target.error?.message ?? '', /no longer has the board/);
    assert.match(target.error?.action ?? '', /Refresh the boards/);
    app.close();
  });
});
