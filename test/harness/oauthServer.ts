/**
 * A real OAuth 2 authorization server on loopback: panva's `oidc-provider@9`, configured to stand
 * in for X's (non-OIDC scopes, PKCE S256 required, rotating refresh tokens issued with
 * `offline.access`), plus a mock of X's `GET /2/users/me` that accepts exactly the access tokens
 * this server issued (`provider.AccessToken.find`).
 *
 * Why a real server: PKCE verification, single-use codes, refresh-token rotation and reuse
 * detection, RFC 8252 loopback port matching and RFC 9207 `iss` are exactly where a hand-written
 * fake would agree with our own misunderstandings.
 *
 * Consent without a browser: the provider's dev interactions are off; the harness serves its own
 * interaction page at `/interaction/:uid` (a plain form with Allow and Deny buttons, usable by
 * Chromium in e2e tests) and finishes it with `provider.interactionFinished` — Allow as account
 * `alice` with every requested scope granted, Deny as `access_denied`. Node tests drive that
 * page with `playBrowser()`: plain fetch, a cookie jar, redirects followed by hand, the form
 * posted, until the provider redirects to the client's redirect URI.
 *
 * Endpoints use Mastodon's paths (/oauth/authorize, /oauth/token, /oauth/revoke), so the same
 * server serves as a Mastodon instance's authorization server and, through the endpoint
 * environment overrides, as X's.
 *
 * A platform that differs says so in its options: LinkedIn's standard flow (linkedinServer.ts)
 * takes other paths, no PKCE, never a refresh token, and its own refusal at the token endpoint.
 *
 * Requires Node 22 (`npx tsx`); `./node22` says why and re-runs an older Node's process on it.
 */
import './node22';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';

// oidc-provider ships no type declarations (and @types/oidc-provider is not a dependency); these
// describe the small part of it the harness uses. A non-literal specifier makes `import()` return
// `any` instead of failing the type check on an untyped module.
interface ProviderInteraction {
  uid: string;
  prompt: { name: string };
  params: { client_id?: string; scope?: string; redirect_uri?: string };
}
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
export interface ProviderAccessToken {
  accountId: string;
  clientId: string;
  scope?: string;
}
interface OidcProvider {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<ProviderInteraction>;
  interactionFinished(
    request: IncomingMessage,
    response: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => ProviderGrant;
  AccessToken: { find(token: string): Promise<(ProviderAccessToken & { destroy(): Promise<void> }) | undefined> };
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

const providerModule: string = 'oidc-provider';
const memoryAdapterModule: string = 'oidc-provider/lib/adapters/memory_adapter.js';

/** The account every Allow signs in as. */
export const testAccountId = 'alice';

/**
 * X's scopes (docs.x.com, authorization-code) and Mastodon's (docs.joinmastodon.org/api/oauth-scopes):
 * non-OIDC scopes the provider must know.
 */
const knownScopes = [
  'tweet.read',
  'tweet.write',
  'users.read',
  'media.write',
  'offline.access',
  'write:statuses',
  'write:media',
  'read:accounts',
  'profile',
  'openid',
  'offline_access',
  // LinkedIn's "Share on LinkedIn" product (learn.microsoft.com/linkedin, share-on-linkedin).
  'w_member_social',
];

const defaultRoutes = { authorization: '/oauth/authorize', token: '/oauth/token', revocation: '/oauth/revoke' } as const;

export interface OAuthServerOptions {
  /** Access token lifetime in seconds (X: 2 hours). */
  accessTokenTtlSeconds?: number;
  /** The port registered exactly for the confidential clients (X-style exact match); free by default. */
  fixedRedirectPort?: number;
  /** An HTTPS address registered for the paste fallback (never served: the browser stops there). */
  pasteRedirectUri?: string;
  /**
   * Meta's rule: a confidential client whose only redirect URI is this https address, compared
   * exactly (an https loopback address such as `https://localhost:<port>/callback`).
   */
  httpsRedirectUri?: string;
  /**
   * Turns on RFC 7591 dynamic client registration at `POST /reg`, which a platform mock (Mastodon's
   * `POST /api/v1/apps`) can call to create real clients on this server.
   */
  dynamicRegistration?: boolean;
  /**
   * A platform API mock served on the same origin: answers the request and resolves true, or
   * resolves false to let the authorization server handle it.
   */
  apiRoutes?: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;
  /** Endpoint paths other than Mastodon's, for a platform whose paths differ (LinkedIn's /oauth/v2/...). */
  routes?: Partial<{ authorization: string; token: string; revocation: string }>;
  /** PKCE S256 required of every client (the default); false for a platform whose standard flow has none. */
  pkceRequired?: boolean;
  /** False: never a refresh token, whatever the scopes (a platform that gives none to ordinary apps). */
  issueRefreshTokens?: boolean;
  /**
   * A platform's own refusal at the token endpoint, decided on the form before the provider sees
   * it: the answer to send instead, or undefined to let the provider handle the request.
   */
  tokenRequestCheck?: (form: URLSearchParams) => InjectedFault | undefined;
  /** The error Deny sends to the redirect URI; RFC 6749's `access_denied` by default. */
  denyError?: { error: string; error_description: string };
  /** A platform's own scopes, known to the provider besides X's, Mastodon's and LinkedIn's. */
  extraScopes?: string[];
  /** Refresh tokens with every grant, not only with an offline scope (a platform without one). */
  refreshTokenAlways?: boolean;
  /** Refresh token lifetime in seconds (default 14 days). */
  refreshTokenTtlSeconds?: number;
  /** How ID tokens are signed: ES256 by default; RS256 where the platform signs with RSA, as
   *  OpenID Connect's default is and clients expect unless told otherwise. */
  idTokenSigningAlg?: 'ES256' | 'RS256';
}

/** What the server answers instead of the real endpoint, for the next `times` requests. */
export interface InjectedFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
  /** Requests at the path that pass untouched before the fault starts (default 0); a mock that
   *  honours it says so. */
  after?: number;
}

export interface TestOAuthServer {
  issuer: string;
  /** Endpoint URLs, as Localpost's endpoint configuration names them. */
  endpoints: { authorizeUrl: string; tokenUrl: string; revokeUrl: string; apiBase: string; issuer: string };
  clients: {
    /** Native public client (X's "Native App"): any loopback port, or the paste address. */
    native: { clientId: string };
    /** Confidential web clients registered for the fixed port only, one per auth method. */
    confidentialBasic: { clientId: string; clientSecret: string };
    confidentialPost: { clientId: string; clientSecret: string };
    /** Native confidential client (Google's "Desktop app"): any loopback port (RFC 8252 §7.3),
     *  PKCE, and a client secret in the token request's body. */
    nativeConfidential: { clientId: string; clientSecret: string };
    /** Registered for `httpsRedirectUri` only, exactly, when that option is set (Meta's apps). */
    httpsOnly: { clientId: string; clientSecret: string };
  };
  fixedRedirectPort: number;
  pasteRedirectUri: string;
  /** POSTs the token endpoint has received (authorization_code and refresh_token alike). */
  tokenRequestCount(): number;
  revocationRequestCount(): number;
  /** Makes the token or revocation endpoint answer with a fault instead. */
  injectFault(endpoint: 'token' | 'revocation', fault: InjectedFault): void;
  /** The access token's grant, if this server issued it and it is still valid (not revoked, not expired). */
  findAccessToken(token: string): Promise<ProviderAccessToken | undefined>;
  /** Access tokens issued from now on live this long (seconds). */
  setAccessTokenTtl(seconds: number): void;
  /** Destroys an access token as a user removing the app would, without a request to any endpoint. */
  revokeAccessToken(token: string): Promise<void>;
  /** `GET /2/users/me` with this access token, as X's API would answer it. */
  usersMe(accessToken: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<TestOAuthServer> {
  const { default: Provider } = (await import(providerModule)) as { default: ProviderConstructor };
  const { createMemoryAdapter } = (await import(memoryAdapterModule)) as { createMemoryAdapter: (clockTolerance: number) => unknown };

  const routes = { ...defaultRoutes, ...options.routes };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fixedRedirectPort = options.fixedRedirectPort ?? (await findFreePort());
  const pasteRedirectUri = options.pasteRedirectUri ?? 'https://localpost.invalid/oauth/landed';

  const clients = {
    native: { clientId: 'localpost-native' },
    confidentialBasic: { clientId: 'localpost-confidential-basic', clientSecret: randomBytes(24).toString('base64url') },
    confidentialPost: { clientId: 'localpost-confidential-post', clientSecret: randomBytes(24).toString('base64url') },
    nativeConfidential: { clientId: 'localpost-native-confidential', clientSecret: randomBytes(24).toString('base64url') },
    httpsOnly: { clientId: 'localpost-https-only', clientSecret: randomBytes(24).toString('base64url') },
  };
  const grantTypes = ['authorization_code', 'refresh_token'];
  const fixedRedirectUri = `http://127.0.0.1:${fixedRedirectPort}/callback`;

  let accessTokenTtl = options.accessTokenTtlSeconds ?? 2 * 60 * 60;
  const provider = new Provider(issuer, {
    // An explicit in-memory adapter and signing key: the same as the quick-start defaults, minus
    // their warnings on the console.
    adapter: createMemoryAdapter(0),
    jwks: { keys: [{ ...signingKey(options.idTokenSigningAlg ?? 'ES256').export({ format: 'jwk' }), use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The only signing key signs the ID tokens: ES256 by default (fast to make).
    clientDefaults: { id_token_signed_response_alg: options.idTokenSigningAlg ?? 'ES256' },
    clients: [
      {
        client_id: clients.native.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // A loopback URI without a port matches any port (RFC 8252 §7.3).
        redirect_uris: ['http://127.0.0.1/callback', pasteRedirectUri],
        grant_types: grantTypes,
        response_types: ['code'],
      },
      {
        client_id: clients.nativeConfidential.clientId,
        client_secret: clients.nativeConfidential.clientSecret,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        // Loopback URIs without a port match any port (RFC 8252 §7.3), as Google's Desktop app
        // clients do; with and without a path, as Google takes either.
        redirect_uris: ['http://127.0.0.1/callback', 'http://127.0.0.1/'],
        grant_types: grantTypes,
        response_types: ['code'],
      },
      {
        client_id: clients.confidentialBasic.clientId,
        client_secret: clients.confidentialBasic.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [fixedRedirectUri],
        grant_types: grantTypes,
        response_types: ['code'],
      },
      {
        client_id: clients.confidentialPost.clientId,
        client_secret: clients.confidentialPost.clientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [fixedRedirectUri],
        grant_types: grantTypes,
        response_types: ['code'],
      },
      ...(options.httpsRedirectUri
        ? [
            {
              client_id: clients.httpsOnly.clientId,
              client_secret: clients.httpsOnly.clientSecret,
              token_endpoint_auth_method: 'client_secret_post',
              redirect_uris: [options.httpsRedirectUri],
              grant_types: grantTypes,
              response_types: ['code'],
            },
          ]
        : []),
    ],
    scopes: [...knownScopes, ...(options.extraScopes ?? [])],
    routes,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: async () => true },
      registration: { enabled: options.dynamicRegistration ?? false },
    },
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    // PKCE S256 for every client, confidential ones too (RFC 9700 §2.1.1), unless the platform has none.
    pkce: { required: () => options.pkceRequired ?? true },
    // Like X: a refresh token only with its own offline scope, rotated on every use; a reused one
    // gets invalid_grant and revokes the grant (RFC 9700 §4.14.2).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }, code: { scopes: Set<string> }) =>
      (options.issueRefreshTokens ?? true) &&
      client.grantTypeAllowed('refresh_token') &&
      (options.refreshTokenAlways === true || code.scopes.has('offline.access') || code.scopes.has('offline_access')),
    rotateRefreshToken: true,
    // X's tokens do not end with a browser session.
    expiresWithSession: async () => false,
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: () => accessTokenTtl,
      AuthorizationCode: 60,
      RefreshToken: options.refreshTokenTtlSeconds ?? 14 * 24 * 60 * 60,
      Interaction: 10 * 60,
      Session: 60 * 60,
      Grant: Math.max(14 * 24 * 60 * 60, options.refreshTokenTtlSeconds ?? 0),
      IdToken: 60 * 60,
      ClientCredentials: 10 * 60,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: 10 * 60,
    },
    renderError: async (ctx: { type: string; body: string }, out: { error: string; error_description?: string }) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${out.error}: ${out.error_description ?? ''}`;
    },
  });

  let tokenRequests = 0;
  let revocationRequests = 0;
  const faults = new Map<'token' | 'revocation', InjectedFault & { times: number }>();
  const providerCallback = provider.callback();

  const answerFault = (endpoint: 'token' | 'revocation', response: ServerResponse): boolean => {
    const fault = faults.get(endpoint);
    if (!fault) return false;
    if (--fault.times <= 0) faults.delete(endpoint);
    const body = fault.body === undefined ? '' : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
    response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(body);
    return true;
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', issuer);
    const handle = async () => {
      if (url.pathname.startsWith('/interaction/')) return answerInteraction(provider, request, response, url, options.denyError);
      // A platform mock comes first, so it may answer `/2/users/me` itself (xServer.ts does, with
      // X's rate-limit headers); without one, the minimal answer below stands in.
      if (options.apiRoutes && (await options.apiRoutes(request, response, url))) return;
      if (url.pathname === '/2/users/me') return answerUsersMe(provider, request, response);
      if (request.method === 'POST' && url.pathname === routes.token) {
        tokenRequests++;
        if (answerFault('token', response)) return;
        if (options.tokenRequestCheck) {
          const raw = await readBody(request);
          const refusal = options.tokenRequestCheck(new URLSearchParams(raw));
          if (refusal) {
            response.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers }).end(JSON.stringify(refusal.body ?? {}));
            return;
          }
          replayBody(request, Buffer.from(raw, 'utf8'));
        }
      }
      if (request.method === 'POST' && url.pathname === routes.revocation) {
        revocationRequests++;
        if (answerFault('revocation', response)) return;
      }
      providerCallback(request, response);
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });

  return {
    issuer,
    endpoints: {
      authorizeUrl: issuer + routes.authorization,
      tokenUrl: issuer + routes.token,
      revokeUrl: issuer + routes.revocation,
      apiBase: issuer,
      issuer,
    },
    clients,
    fixedRedirectPort,
    pasteRedirectUri,
    tokenRequestCount: () => tokenRequests,
    revocationRequestCount: () => revocationRequests,
    injectFault: (endpoint, fault) => void faults.set(endpoint, { ...fault, times: fault.times ?? 1 }),
    findAccessToken: (token) => provider.AccessToken.find(token),
    setAccessTokenTtl: (seconds) => void (accessTokenTtl = seconds),
    async revokeAccessToken(token) {
      await (await provider.AccessToken.find(token))?.destroy();
    },
    async usersMe(accessToken) {
      const response = await fetch(`${issuer}/2/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * X's `GET /2/users/me`: 200 `{ data }`, or X's problem-details shape (docs.x.com,
 * x-api/fundamentals/response-codes-and-errors).
 */
async function answerUsersMe(provider: OidcProvider, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const token = bearer ? await provider.AccessToken.find(bearer) : undefined;
  const json = (status: number, body: unknown) =>
    void response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' }).end(JSON.stringify(body));
  if (!token) {
    return json(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  }
  const scopes = new Set((token.scope ?? '').split(' '));
  if (!scopes.has('users.read') || !scopes.has('tweet.read')) {
    return json(403, {
      title: 'Forbidden',
      type: 'https://api.x.com/2/problems/client-forbidden',
      detail: 'The token lacks users.read and tweet.read.',
    });
  }
  json(200, { data: { id: `id-${token.accountId}`, name: 'Alice', username: token.accountId } });
}

/**
 * The harness's login-and-consent page. GET shows a form with Allow and Deny; POST finishes the
 * interaction: Allow signs `alice` in and grants every requested scope, Deny ends it with
 * `access_denied`, which the provider sends to the redirect URI (RFC 6749 §4.1.2.1).
 */
async function answerInteraction(
  provider: OidcProvider,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  denyError = { error: 'access_denied', error_description: 'The user denied access to Localpost.' },
): Promise<void> {
  const interaction = await provider.interactionDetails(request, response);
  if (request.method !== 'POST') {
    const scope = interaction.params.scope ?? '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(
      `<!doctype html><html><head><meta charset="utf-8"><title>Authorize Localpost</title></head><body>
       <h1>Authorize Localpost?</h1><p>Signed in as ${testAccountId}. Requested: <code>${escapeHtml(scope)}</code></p>
       <form method="post" action="${escapeHtml(url.pathname)}">
         <button type="submit" name="decision" value="allow">Allow</button>
         <button type="submit" name="decision" value="deny">Deny</button>
       </form></body></html>`,
    );
    return;
  }
  const form = new URLSearchParams(await readBody(request));
  if (form.get('decision') !== 'allow') {
    await provider.interactionFinished(request, response, denyError, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new provider.Grant({ accountId: testAccountId, clientId: interaction.params.client_id ?? '' });
  if (interaction.params.scope) grant.addOIDCScope(interaction.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(request, response, { login: { accountId: testAccountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

export interface BrowserVisit {
  /** Where the provider finally redirected: the client's redirect URI with code (or error) and state. */
  callbackUrl: string;
  /** When the callback was an http(s) loopback address and was followed: what it answered. */
  delivered?: { status: number; body: string };
}

/**
 * Plays the system browser for one authorization: opens `authorizeUrl`, follows the provider's
 * redirects with its own cookie jar, submits the consent form with `decision`, and stops at the
 * first redirect that leaves the provider (the redirect URI). An http (loopback) callback is then
 * requested, as a browser would; `deliver: false` stops short, as when the listener cannot be
 * reached and the user pastes the address instead.
 */
export async function playBrowser(
  authorizeUrl: string,
  { decision = 'allow', deliver = true }: { decision?: 'allow' | 'deny'; deliver?: boolean } = {},
): Promise<BrowserVisit> {
  const issuerOrigin = new URL(authorizeUrl).origin;
  const cookies = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const separator = pair!.indexOf('=');
      cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
    return response;
  };

  let response = await request(authorizeUrl);
  let submitted = false;
  for (let hops = 0; hops < 20; hops++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, response.url || issuerOrigin).href;
      if (new URL(next).origin !== issuerOrigin) return finishAtRedirectUri(next, deliver);
      await response.body?.cancel();
      response = await request(next);
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || submitted || !page.includes('name="decision"')) {
      throw new Error(`The authorization server stopped at ${response.status}: ${page.slice(0, 300)}`);
    }
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error('The consent page has no form.');
    submitted = true;
    response = await request(new URL(action, issuerOrigin).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision }).toString(),
    });
  }
  throw new Error('Too many redirects.');
}

async function finishAtRedirectUri(callbackUrl: string, deliver: boolean): Promise<BrowserVisit> {
  // Only a loopback listener can be reached; an HTTPS landing page stops here.
  if (!deliver || new URL(callbackUrl).protocol !== 'http:') return { callbackUrl };
  const response = await fetch(callbackUrl, { redirect: 'manual' });
  return { callbackUrl, delivered: { status: response.status, body: await response.text() } };
}

/** A port that was free a moment ago, for a fixed-port redirect URI. */
export async function findFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Hands a body the harness has already read back to the provider, which reads the request with
 * `req.iterator()` while `req.readable` (oidc-provider, lib/shared/selective_body.js).
 */
function replayBody(request: IncomingMessage, body: Buffer): void {
  Object.defineProperty(request, 'readable', { value: true, configurable: true });
  Object.assign(request, {
    iterator: async function* () {
      yield body;
    },
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signingKey(alg: 'ES256' | 'RS256') {
  return alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}
