/**
 * Self-test of the LinkedIn mock: a sign-in and a post done by hand (fetch and oauth4webapi, no
 * Localpost code), then each of LinkedIn's documented refusals. If this fails, the LinkedIn
 * adapter's test failures are about the harness, not the adapter.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startLinkedInServer, type LinkedInServer } from './linkedinServer';
import { playBrowser } from './oauthServer';

const version = currentVersion();
let linkedin: LinkedInServer;
before(async () => {
  linkedin = await startLinkedInServer();
});
after(async () => {
  await linkedin?.close();
});

const insecure = { [oauth.allowInsecureRequests]: true };

async function authorizationServer(server: LinkedInServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.oauth.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

/** Consent in the "browser" and the callback's parameters, checked; the code is not yet exchanged. */
async function authorize(server: LinkedInServer, scope = 'openid profile w_member_social') {
  const as = await authorizationServer(server);
  const client: oauth.Client = { client_id: server.client.clientId, id_token_signed_response_alg: 'RS256' };
  const state = oauth.generateRandomState();
  const url = new URL(server.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!);
  url.search = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: server.client.redirectUri, scope, state }).toString();
  const { callbackUrl } = await playBrowser(url.href, { deliver: false });
  const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
  return { as, client, params };
}

/** The whole standard flow: code without PKCE, exchanged with the secret in the form. */
async function signIn(server: LinkedInServer, scope?: string) {
  const { as, client, params } = await authorize(server, scope);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretPost(server.client.clientSecret),
    params,
    server.client.redirectUri,
    oauth.nopkce,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

function api(server: LinkedInServer, path: string, init: { token?: string; body?: unknown; method?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${server.env.LOCALPOST_LINKEDIN_API_BASE}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'linkedin-version': version,
      'x-restli-protocol-version': '2.0.0',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

function textPost(server: LinkedInServer, commentary: string) {
  return {
    author: server.member.urn,
    commentary,
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
  };
}

test('sign-in without PKCE, userinfo, image upload and a post with it, as LinkedIn documents them', async () => {
  const tokens = await signIn(linkedin);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.expires_in, 60 * 24 * 60 * 60);
  assert.equal(tokens.refresh_token, undefined, 'a Share on LinkedIn app gets no refresh token');
  assert.deepEqual(new Set(tokens.scope?.split(' ')), new Set(['openid', 'profile', 'w_member_social']));
  const token = tokens.access_token;

  const userinfo = await api(linkedin, '/v2/userinfo', { token });
  assert.equal(userinfo.status, 200);
  const member = (await userinfo.json()) as { sub: string; name: string; picture: string };
  assert.equal(member.sub, linkedin.member.sub);
  assert.equal(typeof member.name, 'string');
  assert.match(member.picture, /^http/);
  const author = `urn:li:person:${member.sub}`;

  const initialized = await api(linkedin, '/rest/images?action=initializeUpload', { token, body: { initializeUploadRequest: { owner: author } } });
  assert.equal(initialized.status, 200);
  const { value } = (await initialized.json()) as { value: { uploadUrl: string; image: string; uploadUrlExpiresAt: number } };
  assert.match(value.image, /^urn:li:image:/);
  assert.ok(value.uploadUrlExpiresAt > Date.now());
  const bytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const put = await fetch(value.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: bytes });
  assert.equal(put.status, 201);
  assert.deepEqual(linkedin.images.find((i) => i.id === value.image)?.bytes, bytes);
  const withImage = { ...textPost(linkedin, 'Hello \\(world\\) \\@ \\#1 and #localpost'), content: { media: { id: value.image, altText: 'A test image' } } };

  // images-api: uploaded, the image is PROCESSING, and a post naming it is refused until it is AVAILABLE.
  const early = await api(linkedin, '/rest/posts', { token, body: withImage });
  assert.equal(early.status, 422);
  assert.match(((await early.json()) as { message: string }).message, /content\/media\/id.*PROCESSING/);
  const statusOf = async () => {
    const read = await api(linkedin, `/rest/images/${encodeURIComponent(value.image)}`, { token });
    assert.equal(read.status, 200);
    const image = (await read.json()) as { id: string; owner: string; status: string };
    assert.equal(image.id, value.image);
    assert.equal(image.owner, author);
    return image.status;
  };
  assert.equal(await statusOf(), 'PROCESSING');
  assert.equal(await statusOf(), 'AVAILABLE');

  const created = await api(linkedin, '/rest/posts', { token, body: withImage });
  assert.equal(created.status, 201);
  const id = created.headers.get('x-restli-id');
  assert.match(id ?? '', /^urn:li:share:\d{19}$/);
  const post = linkedin.posts.find((p) => p.id === id);
  assert.equal(post?.commentary, 'Hello (world) @ #1 and #localpost');
  assert.equal(post?.truncated, false);
  assert.deepEqual(post?.media, { id: value.image, altText: 'A test image' });
  assert.equal(post?.author, author);

  // A member app cannot read posts back (r_member_social is restricted): only the harness can.
  const readBack = await api(linkedin, `/rest/posts/${encodeURIComponent(id!)}`, { token });
  assert.equal(readBack.status, 403);
  assert.equal(((await readBack.json()) as { code: string }).code, 'ACCESS_DENIED');
});

test('a code_verifier at the token endpoint is refused with invalid_client, and the code still works without it', async () => {
  const { as, client, params } = await authorize(linkedin);
  const withVerifier = await fetch(linkedin.env.LOCALPOST_LINKEDIN_TOKEN_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code')!,
      redirect_uri: linkedin.client.redirectUri,
      client_id: linkedin.client.clientId,
      client_secret: linkedin.client.clientSecret,
      code_verifier: oauth.generateRandomCodeVerifier(),
    }).toString(),
  });
  assert.equal(withVerifier.status, 401);
  assert.deepEqual(await withVerifier.json(), { error: 'invalid_client', error_description: 'Client authentication failed' });

  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretPost(linkedin.client.clientSecret),
    params,
    linkedin.client.redirectUri,
    oauth.nopkce,
    insecure,
  );
  assert.ok((await oauth.processAuthorizationCodeResponse(as, client, response)).access_token);
});

test('a redirect URI that is not exactly the registered one is refused before consent', async () => {
  const url = new URL(linkedin.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!);
  const registered = new URL(linkedin.client.redirectUri);
  for (const redirectUri of [`${registered.origin}/callback/`, `http://localhost:${registered.port}/callback`, `http://127.0.0.1:${Number(registered.port) + 1}/callback`]) {
    url.search = new URLSearchParams({ response_type: 'code', client_id: linkedin.client.clientId, redirect_uri: redirectUri, scope: 'openid profile w_member_social', state: 's' }).toString();
    await assert.rejects(playBrowser(url.href, { deliver: false }), /stopped at 400/, redirectUri);
  }
});

test("a member who refuses gets LinkedIn's user_cancelled_authorize at the redirect URI", async () => {
  const url = new URL(linkedin.env.LOCALPOST_LINKEDIN_AUTHORIZE_URL!);
  url.search = new URLSearchParams({ response_type: 'code', client_id: linkedin.client.clientId, redirect_uri: linkedin.client.redirectUri, scope: 'openid profile w_member_social', state: 'st' }).toString();
  const { callbackUrl } = await playBrowser(url.href, { decision: 'deny', deliver: false });
  const params = new URL(callbackUrl).searchParams;
  assert.equal(params.get('error'), 'user_cancelled_authorize');
  assert.equal(params.get('state'), 'st');
  assert.equal(params.get('code'), null);
});

test('the versioned API refuses a request without LinkedIn-Version, with a sunset version, or without Rest.li 2.0.0', async () => {
  const { access_token: token } = await signIn(linkedin);
  const missing = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'no version'), headers: { 'linkedin-version': '' } });
  assert.equal(missing.status, 400);
  assert.deepEqual(await missing.json(), {
    status: 400,
    code: 'VERSION_MISSING',
    message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
  });

  const sunset = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'old version'), headers: { 'linkedin-version': '202401' } });
  assert.equal(sunset.status, 426);
  assert.deepEqual(await sunset.json(), { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 20240101 is not active' });

  const restli = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'no protocol'), headers: { 'x-restli-protocol-version': '' } });
  assert.equal(restli.status, 400);
  assert.equal(linkedin.posts.some((p) => ['no version', 'old version', 'no protocol'].includes(p.sentCommentary)), false);
});

test('commentary: 3,000 characters pass, 3,001 get the ShareCommentary refusal', async () => {
  const { access_token: token } = await signIn(linkedin);
  const longest = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'a'.repeat(3000)) });
  assert.equal(longest.status, 201);
  const tooLong = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'b'.repeat(3001)) });
  assert.equal(tooLong.status, 400);
  const error = (await tooLong.json()) as { status: number; message: string };
  assert.equal(error.status, 400);
  assert.match(error.message, /ShareCommentary text length \(3001 characters\) exceeded the maximum allowed \(3000 characters\)/);
  assert.equal(linkedin.posts.some((p) => p.sentCommentary.startsWith('b')), false);
});

test('an unescaped reserved character cuts the post short, as LinkedIn publishes it; escaped, it shows whole', async () => {
  const { access_token: token } = await signIn(linkedin);
  const unescaped = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'This is a test. (This is also a test.)') });
  assert.equal(unescaped.status, 201, 'LinkedIn accepts it: the loss is silent');
  const cut = linkedin.posts.find((p) => p.id === unescaped.headers.get('x-restli-id'));
  assert.equal(cut?.commentary, 'This is a test. ');
  assert.equal(cut?.truncated, true);

  for (const [sent, shown] of [
    ['Escaped: \\(a\\) \\[b\\] \\{c\\} \\<d\\> \\| \\* \\_ \\~ \\\\ \\@ \\#', 'Escaped: (a) [b] {c} <d> | * _ ~ \\ @ #'],
    ['Mention @[Alice](urn:li:person:abc) and #hashtag', 'Mention Alice and #hashtag'],
    ['snake_case', 'snake'],
    ['a backslash \\n is reserved too', 'a backslash '],
  ]) {
    const created = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, sent!) });
    assert.equal(created.status, 201, sent);
    assert.equal(linkedin.posts.find((p) => p.id === created.headers.get('x-restli-id'))?.commentary, shown, sent);
  }
});

test('tokens: revoked 65601, unknown 65600, none 401, and a token lacking w_member_social is denied', async () => {
  const { access_token: token } = await signIn(linkedin);
  assert.equal((await api(linkedin, '/v2/userinfo', { token })).status, 200);
  await linkedin.revokeToken(token);
  const revoked = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'after revocation') });
  assert.equal(revoked.status, 401);
  assert.deepEqual(await revoked.json(), {
    status: 401,
    serviceErrorCode: 65601,
    code: 'REVOKED_ACCESS_TOKEN',
    message: 'The token used in the request has been revoked by the user',
  });

  const unknown = await api(linkedin, '/v2/userinfo', { token: 'not-a-token' });
  assert.equal(unknown.status, 401);
  assert.equal(((await unknown.json()) as { serviceErrorCode: number }).serviceErrorCode, 65600);
  const none = await api(linkedin, '/v2/userinfo');
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { message: string }).message, 'Empty oauth2_access_token');

  const { access_token: profileOnly } = await signIn(linkedin, 'openid profile');
  const denied = await api(linkedin, '/rest/posts', { token: profileOnly, body: textPost(linkedin, 'without permission') });
  assert.equal(denied.status, 403);
  assert.match(((await denied.json()) as { message: string }).message, /^Not enough permissions to access: partnerApiPostsExternal\.CREATE\./);
});

test('an expired token gets 65602', async () => {
  const shortLived = await startLinkedInServer({ accessTokenTtlSeconds: 1 });
  try {
    const { access_token: token } = await signIn(shortLived);
    assert.equal((await api(shortLived, '/v2/userinfo', { token })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expired = await api(shortLived, '/v2/userinfo', { token });
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { code: string }).code, 'EXPIRED_ACCESS_TOKEN');
  } finally {
    await shortLived.close();
  }
});

/** Uploads a few bytes as the member and answers the new image's URN. */
async function uploadedImage(server: LinkedInServer, token: string): Promise<string> {
  const initialized = await api(server, '/rest/images?action=initializeUpload', { token, body: { initializeUploadRequest: { owner: server.member.urn } } });
  const { value } = (await initialized.json()) as { value: { uploadUrl: string; image: string } };
  assert.equal((await fetch(value.uploadUrl, { method: 'PUT', body: Buffer.from('89504e47', 'hex') })).status, 201);
  return value.image;
}

test('image processing: by time as well as by reads, PROCESSING_FAILED for good, and reads refused when asked', async () => {
  const { access_token: token } = await signIn(linkedin);
  const statusOf = async (server: LinkedInServer, image: string) => {
    const read = await api(server, `/rest/images/${encodeURIComponent(image)}`, { token });
    return read.status === 200 ? ((await read.json()) as { status: string }).status : read.status;
  };
  try {
    linkedin.setImageProcessing({ reads: 0, ms: 300 });
    const slow = await uploadedImage(linkedin, token);
    assert.equal(await statusOf(linkedin, slow), 'PROCESSING');
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(await statusOf(linkedin, slow), 'AVAILABLE');

    linkedin.setImageProcessing({ reads: 1, fails: true });
    const broken = await uploadedImage(linkedin, token);
    assert.equal(await statusOf(linkedin, broken), 'PROCESSING');
    assert.equal(await statusOf(linkedin, broken), 'PROCESSING_FAILED');
    assert.equal(await statusOf(linkedin, broken), 'PROCESSING_FAILED');
    const refused = await api(linkedin, '/rest/posts', { token, body: { ...textPost(linkedin, 'broken image'), content: { media: { id: broken } } } });
    assert.equal(refused.status, 422);
  } finally {
    linkedin.setImageProcessing({ reads: 1 });
  }

  const unreadable = await startLinkedInServer({ imageReadsRefused: true });
  try {
    const { access_token: other } = await signIn(unreadable);
    const image = await uploadedImage(unreadable, other);
    const read = await api(unreadable, `/rest/images/${encodeURIComponent(image)}`, { token: other });
    assert.equal(read.status, 403);
    assert.equal(((await read.json()) as { code: string }).code, 'ACCESS_DENIED');
  } finally {
    await unreadable.close();
  }
});

test('a lost answer: the post exists, the client saw a reset connection, and a retry is a duplicate', async () => {
  const { access_token: token } = await signIn(linkedin);
  const before = linkedin.posts.length;
  linkedin.loseNextPostResponse();
  await assert.rejects(api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'exactly once') }));
  assert.equal(linkedin.posts.length, before + 1);
  const retry = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'exactly once') });
  assert.equal(retry.status, 422);
  const body = (await retry.json()) as { message: string; errorDetails: { inputErrors: Array<{ code: string }> } };
  assert.equal(body.errorDetails.inputErrors[0]!.code, 'DUPLICATE_POST');
  assert.match(body.message, new RegExp(`Content is a duplicate of ${linkedin.posts.at(-1)!.id}$`));
  assert.equal(linkedin.posts.length, before + 1);
});

test('daily limits answer 429 with no retry headers; injected faults answer once', async () => {
  const { access_token: token } = await signIn(linkedin);
  linkedin.setDailyLimit('POST /rest/posts', { member: 1 });
  assert.equal((await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'first of the day') })).status, 201);
  const throttled = await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'second of the day') });
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get('retry-after'), null);
  assert.equal(((await throttled.json()) as { code: string }).code, 'TOO_MANY_REQUESTS');
  linkedin.setDailyLimit('POST /rest/posts', { member: 150 });

  linkedin.injectFault('/rest/posts', { status: 500, body: { status: 500, message: 'Internal Server Error' } });
  assert.equal((await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'after a fault') })).status, 500);
  assert.equal((await api(linkedin, '/rest/posts', { token, body: textPost(linkedin, 'after a fault') })).status, 201);
  const recorded = linkedin.requests.filter((r) => r.path === '/rest/posts').at(-1);
  assert.deepEqual(recorded?.headers, { linkedinVersion: version, restliProtocolVersion: '2.0.0', contentType: 'application/json', authorized: true });
});

function currentVersion(): string {
  const now = new Date();
  return `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}
