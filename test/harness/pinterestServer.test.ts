/**
 * Self-test of the Pinterest contract mock: a whole sign-in and publish by hand (fetch and
 * oauth4webapi, as an adapter would) passes with no contract violation; requests Pinterest's
 * description does not allow are refused and recorded; Trial access is refused on production and
 * served by the sandbox. If this fails, Pinterest adapter failures are about the harness.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { readSharedSpec } from './openApiContract';
import { playBrowser } from './oauthServer';
import { startPinterestServer, type PinterestServer } from './pinterestServer';

const scopes = 'boards:read,boards:write,pins:read,pins:write,user_accounts:read';
// The smallest PNG: a 1×1 transparent pixel.
const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let pinterest: PinterestServer;
before(async () => {
  pinterest = await startPinterestServer();
});
after(async () => {
  await pinterest?.close();
});

/** Signs in through the browser and exchanges the code at `tokenUrl` as Pinterest asks: HTTP Basic, no PKCE. */
async function signIn(server: PinterestServer, tokenUrl: string) {
  const as: oauth.AuthorizationServer = {
    issuer: server.origin,
    authorization_endpoint: server.env.LOCALPOST_PINTEREST_AUTHORIZE_URL,
    token_endpoint: tokenUrl,
  };
  const client: oauth.Client = { client_id: server.client.clientId };
  const clientAuth = oauth.ClientSecretBasic(server.client.clientSecret);
  const options = { [oauth.allowInsecureRequests]: true };
  const state = oauth.generateRandomState();
  const authorize = new URL(as.authorization_endpoint!);
  authorize.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: server.client.redirectUri,
    response_type: 'code',
    scope: scopes,
    state,
  }).toString();
  const visit = await playBrowser(authorize.href, { deliver: false });
  const parameters = oauth.validateAuthResponse(as, client, new URL(visit.callbackUrl), state);
  const exchanged = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, parameters, server.client.redirectUri, oauth.nopkce, options);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, exchanged);
  return { as, client, clientAuth, options, tokens };
}

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

test('sign-in with Basic auth, refresh, boards and a pin with a base64 image: no contract violation', async () => {
  const base = pinterest.env.LOCALPOST_PINTEREST_API_BASE;
  const { as, client, clientAuth, options, tokens } = await signIn(pinterest, pinterest.env.LOCALPOST_PINTEREST_TOKEN_URL);
  assert.equal(tokens.expires_in, 30 * 24 * 60 * 60);
  assert.equal(tokens.response_type, 'authorization_code');
  assert.equal(tokens.refresh_token_expires_in, 60 * 24 * 60 * 60);
  assert.ok(typeof tokens.refresh_token === 'string');

  // Continuous refresh: a new refresh token each time, the old one spent.
  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, options),
  );
  assert.equal(refreshed.response_type, 'refresh_token');
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  const token = refreshed.access_token;

  const me = await api(base, token, 'GET', '/user_account');
  assert.equal(me.status, 200);
  assert.equal(me.json.username, 'alice');
  assert.ok(me.headers.get('x-ratelimit-remaining'));

  // Boards come in pages: `items` and a `bookmark` for the next one.
  for (let n = 1; n <= 3; n++) pinterest.addBoard('production', `Board ${n}`);
  const first = await api(base, token, 'GET', '/boards?page_size=2');
  assert.equal(first.status, 200);
  assert.equal(first.json.items.length, 2);
  assert.ok(first.json.bookmark);
  const rest = await api(base, token, 'GET', `/boards?page_size=2&bookmark=${encodeURIComponent(first.json.bookmark)}`);
  assert.equal(rest.json.items.length, 2);
  assert.equal(rest.json.bookmark, null);

  const board = await api(base, token, 'POST', '/boards', { name: 'Localpost posts', description: 'From my desk', privacy: 'PUBLIC' });
  assert.equal(board.status, 201);
  assert.match(board.json.id, /^\d+$/);

  const pin = await api(base, token, 'POST', '/pins', {
    board_id: board.json.id,
    title: 'A pixel',
    description: 'The smallest PNG there is.',
    alt_text: 'One transparent pixel',
    link: 'https://example.com/pixel',
    media_source: { source_type: 'image_base64', content_type: 'image/png', data: pngBase64 },
  });
  assert.equal(pin.status, 201);
  assert.equal(pinterest.pins.length, 1);
  assert.deepEqual(pinterest.pins[0]!.mediaSource, { sourceType: 'image_base64', contentType: 'image/png', bytes: Buffer.from(pngBase64, 'base64').length });

  const listed = await api(base, token, 'GET', `/boards/${board.json.id}/pins?page_size=25`);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json.items.map((item: { id: string }) => item.id), [pin.json.id]);
  assert.equal((await api(base, token, 'GET', `/pins/${pin.json.id}`)).json.title, 'A pixel');

  assert.deepEqual(pinterest.violations, []);
});

test('requests Pinterest would refuse fail the contract and are recorded', async () => {
  const { tokens } = await signIn(pinterest, pinterest.env.LOCALPOST_PINTEREST_TOKEN_URL);
  const base = pinterest.env.LOCALPOST_PINTEREST_API_BASE;
  const boardId = pinterest.boards.find((board) => board.host === 'production')!.id;
  const image = { source_type: 'image_base64', content_type: 'image/png', data: pngBase64 };
  pinterest.violations.length = 0;

  const noBoard = await api(base, tokens.access_token, 'POST', '/pins', { title: 'Nowhere', media_source: image });
  assert.equal(noBoard.status, 400);
  assert.equal(typeof noBoard.json.code, 'number');
  assert.match(noBoard.json.message, /board_id/);

  const longTitle = await api(base, tokens.access_token, 'POST', '/pins', { board_id: boardId, title: 'x'.repeat(101), media_source: image });
  assert.equal(longTitle.status, 400);
  assert.match(longTitle.json.message, /title must NOT have more than 100 characters/);

  const wrongShape = await api(base, tokens.access_token, 'POST', '/pins', {
    board_id: boardId,
    media_source: { source_type: 'image_base64', mime_type: 'image/png', base64: pngBase64 },
  });
  assert.equal(wrongShape.status, 400);

  const gif = await api(base, tokens.access_token, 'POST', '/pins', { board_id: boardId, media_source: { ...image, content_type: 'image/gif' } });
  assert.equal(gif.status, 400);
  const boardName = await api(base, tokens.access_token, 'POST', '/pins', { board_id: 'Localpost', media_source: image });
  assert.equal(boardName.status, 400, 'a board name where its numeric id belongs');

  assert.equal(pinterest.violations.length, 5, pinterest.violations.join('\n'));
  assert.match(pinterest.violations[0]!, /board_id \(Pinterest rule beyond its description\)/);
  assert.match(pinterest.violations[1]!, /title must NOT have more than 100 characters/);
  assert.match(pinterest.violations[2]!, /media_source must have required property 'content_type'/);
  assert.match(pinterest.violations[2]!, /mime_type|data/);
  assert.match(pinterest.violations[3]!, /content_type must be equal to one of the allowed values \(image\/jpeg, image\/png\)/);
  assert.match(pinterest.violations[4]!, /board_id must match pattern/);
  assert.equal(pinterest.pins.filter((pin) => pin.title === 'Nowhere').length, 0);
  pinterest.violations.length = 0;
});

test('the token endpoint wants HTTP Basic, and the refusal is recorded', async () => {
  const response = await fetch(pinterest.env.LOCALPOST_PINTEREST_TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: pinterest.client.redirectUri, client_id: pinterest.client.clientId }),
  });
  assert.equal(response.status, 401);
  assert.equal(pinterest.violations.length, 1);
  assert.match(pinterest.violations[0]!, /HTTP Basic/);
  pinterest.violations.length = 0;
});

test('an answer lost after the pin was made: the pin exists and the board lists it', async () => {
  const { tokens } = await signIn(pinterest, pinterest.env.LOCALPOST_PINTEREST_TOKEN_URL);
  const base = pinterest.env.LOCALPOST_PINTEREST_API_BASE;
  const boardId = pinterest.boards.find((board) => board.host === 'production')!.id;
  pinterest.loseNextAnswer('/v5/pins');
  await assert.rejects(
    api(base, tokens.access_token, 'POST', '/pins', {
      board_id: boardId,
      title: 'Lost answer',
      media_source: { source_type: 'image_url', url: 'https://example.com/a.jpg' },
    }),
  );
  const made = pinterest.pins.filter((pin) => pin.title === 'Lost answer');
  assert.equal(made.length, 1);
  const listed = await api(base, tokens.access_token, 'GET', `/boards/${boardId}/pins`);
  assert.equal(listed.json.items[0].id, made[0]!.id);
  assert.deepEqual(pinterest.violations, []);
});

test('faults and 429s come in Pinterest\'s error shape with rate-limit headers', async () => {
  const { tokens } = await signIn(pinterest, pinterest.env.LOCALPOST_PINTEREST_TOKEN_URL);
  const base = pinterest.env.LOCALPOST_PINTEREST_API_BASE;
  pinterest.injectFault('/v5/user_account', { status: 503, body: { code: 0, message: 'Service unavailable.' } });
  assert.equal((await api(base, tokens.access_token, 'GET', '/user_account')).status, 503);
  assert.equal((await api(base, tokens.access_token, 'GET', '/user_account')).status, 200);

  pinterest.setRateLimit('org_read', 1, 60_000);
  const first = await api(base, tokens.access_token, 'GET', '/boards');
  assert.equal(first.headers.get('x-ratelimit-limit'), '1');
  assert.equal(first.headers.get('x-ratelimit-remaining'), '0');
  const limited = await api(base, tokens.access_token, 'GET', '/boards');
  assert.equal(limited.status, 429);
  assert.equal(typeof limited.json.code, 'number');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  pinterest.setRateLimit('org_read', 1000, 60_000);

  assert.deepEqual((await api(base, 'not-a-token', 'GET', '/boards')).json, { code: 2, message: 'Authentication failed.' });
  assert.deepEqual(pinterest.violations, []);
});

test('Trial access: production refuses to create a pin, the sandbox (its own token) creates it', async () => {
  const trial = await startPinterestServer({ access: 'trial' });
  try {
    const image = { source_type: 'image_base64', content_type: 'image/png', data: pngBase64 };
    const production = await signIn(trial, trial.env.LOCALPOST_PINTEREST_TOKEN_URL);
    const productionBoard = trial.boards.find((board) => board.host === 'production')!;
    const refused = await api(trial.env.LOCALPOST_PINTEREST_API_BASE, production.tokens.access_token, 'POST', '/pins', {
      board_id: productionBoard.id,
      media_source: image,
    });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json, {
      code: 29,
      message: 'Apps with Trial access may not create Pins in production https://api.pinterest.com - use API Sandbox https://api-sandbox.pinterest.com instead.',
    });
    assert.equal(trial.pins.length, 0);

    const sandboxBase = trial.env.LOCALPOST_PINTEREST_SANDBOX_API_BASE;
    // A production token means nothing to the sandbox.
    assert.equal((await api(sandboxBase, production.tokens.access_token, 'GET', '/boards')).status, 401);
    const sandbox = await signIn(trial, trial.env.LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL);
    const boards = await api(sandboxBase, sandbox.tokens.access_token, 'GET', '/boards');
    assert.deepEqual(boards.json.items.map((board: { name: string }) => board.name), ['Localpost sandbox']);
    const created = await api(sandboxBase, sandbox.tokens.access_token, 'POST', '/pins', { board_id: boards.json.items[0].id, title: 'Sandboxed', media_source: image });
    assert.equal(created.status, 201);
    assert.deepEqual(trial.pins.map((pin) => [pin.host, pin.title]), [['sandbox', 'Sandboxed']]);
    assert.equal(trial.compileMs, 0, 'the validators are compiled once per process');
    assert.deepEqual(trial.violations, []);
  } finally {
    await trial.close();
  }
});

test('access tokens end with their lifetime; a spent refresh token is refused', async () => {
  const shortLived = await startPinterestServer({ accessTokenTtlSeconds: 1 });
  try {
    const { as, client, clientAuth, options, tokens } = await signIn(shortLived, shortLived.env.LOCALPOST_PINTEREST_TOKEN_URL);
    assert.equal(tokens.expires_in, 1);
    const base = shortLived.env.LOCALPOST_PINTEREST_API_BASE;
    assert.equal((await api(base, tokens.access_token, 'GET', '/user_account')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await api(base, tokens.access_token, 'GET', '/user_account')).status, 401);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, options),
    );
    assert.equal((await api(base, refreshed.access_token, 'GET', '/user_account')).status, 200);
    await assert.rejects(
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, options)),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
    );
    assert.deepEqual(shortLived.violations, []);
  } finally {
    await shortLived.close();
  }
});

test('a missing description fails with where it was looked for', () => {
  assert.throws(() => readSharedSpec('pinterest-v0.openapi.json'), /pinterest-v0\.openapi\.json is not at .*shared\/specs\/pinterest-v0\.openapi\.json/);
});
