// Where each OAuth platform's endpoints are, and how tests, sandboxes and self-hosted servers move
// them: `LOCALPOST_<PLATFORM>_AUTHORIZE_URL`, `_TOKEN_URL`, `_REVOKE_URL`, `_API_BASE`, plus
// `_ISSUER` for a server that sends RFC 9207's `iss`. The environment is an injected
// record, never `process.env` read here, so a test passes its own.
//
// Every endpoint must be https, or http on a loopback host: tokens and codes never cross a network
// in clear text (RFC 6749 §3.1 and §3.2 require TLS; RFC 8252 §8.3 allows loopback http).
import { AppError } from '../errors';
import { isLoopbackHost } from '../http/addressPolicy';

export { isLoopbackHost };

export type OAuthPlatform = 'x' | 'mastodon' | 'linkedin' | 'pinterest';

export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  /** RFC 7009 revocation; absent where the platform has none. */
  revokeUrl?: string;
  /** Where the platform's API lives (X: https://api.x.com; Mastodon: the instance). */
  apiBase: string;
  /**
   * The authorization server's issuer identifier, compared with the `iss` a server may add to the
   * callback (RFC 9207). Defaults to the authorize URL's origin.
   */
  issuer: string;
}

export type EnvRecord = Readonly<Record<string, string | undefined>>;

// docs.x.com, fundamentals/authentication/oauth-2-0: authorization-code and user-access-token.
const xDefaults = {
  authorizeUrl: 'https://x.com/i/oauth2/authorize',
  tokenUrl: 'https://api.x.com/2/oauth2/token',
  revokeUrl: 'https://api.x.com/2/oauth2/revoke',
  apiBase: 'https://api.x.com',
};

/** X's endpoints, with any environment overrides applied. */
export function xEndpoints(env: EnvRecord): OAuthEndpoints {
  return withOverrides('x', xDefaults, env);
}

// learn.microsoft.com, linkedin/shared/authentication/authorization-code-flow: no revocation
// endpoint; a member removes the app in LinkedIn's settings.
const linkedinDefaults = {
  authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization',
  tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
  apiBase: 'https://api.linkedin.com',
};

/** LinkedIn's endpoints, with any environment overrides applied. */
export function linkedinEndpoints(env: EnvRecord): OAuthEndpoints {
  return withOverrides('linkedin', linkedinDefaults, env);
}

// developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/ and
// api-description v5/openapi.json (`/oauth/token`, servers): no revocation endpoint is documented.
const pinterestDefaults = {
  authorizeUrl: 'https://www.pinterest.com/oauth/',
  tokenUrl: 'https://api.pinterest.com/v5/oauth/token',
  apiBase: 'https://api.pinterest.com/v5',
};

/** Pinterest's endpoints, with any environment overrides applied. */
export function pinterestEndpoints(env: EnvRecord): OAuthEndpoints {
  return withOverrides('pinterest', pinterestDefaults, env);
}

// developers.pinterest.com/docs/developer-tools/sandbox/: the sandbox has its own API host and
// token endpoint (its tokens work nowhere else); the consent page stays www.pinterest.com/oauth/.
const pinterestSandboxDefaults = {
  tokenUrl: 'https://api-sandbox.pinterest.com/v5/oauth/token',
  apiBase: 'https://api-sandbox.pinterest.com/v5',
};

/**
 * Pinterest's API sandbox: production's authorization server, the sandbox's token endpoint and API,
 * moved by `LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL` and `_SANDBOX_API_BASE`.
 */
export function pinterestSandboxEndpoints(env: EnvRecord): OAuthEndpoints {
  const production = pinterestEndpoints(env);
  const sandbox = withOverrides('pinterest_sandbox', { authorizeUrl: production.authorizeUrl, ...pinterestSandboxDefaults }, env);
  return { authorizeUrl: production.authorizeUrl, tokenUrl: sandbox.tokenUrl, apiBase: sandbox.apiBase, issuer: production.issuer };
}

/**
 * A Mastodon instance's endpoints (docs.joinmastodon.org/methods/oauth): /oauth/authorize,
 * /oauth/token, /oauth/revoke, API base the instance itself.
 */
export function mastodonEndpoints(instance: string, env: EnvRecord): OAuthEndpoints {
  const origin = parseMastodonInstance(instance).origin;
  return withOverrides(
    'mastodon',
    { authorizeUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}/oauth/token`, revokeUrl: `${origin}/oauth/revoke`, apiBase: origin },
    env,
  );
}

/**
 * The instance a user names: `mastodon.social`, `https://mastodon.social/about`, or
 * `@user@mastodon.social`. https for any host; http only for loopback hosts (a local test server).
 */
export function parseMastodonInstance(input: string): URL {
  const trimmed = input.trim();
  const handle = /^@?[^@\s/]+@([^@\s/]+)$/.exec(trimmed);
  const candidate = handle ? `https://${handle[1]}` : /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = URL.parse(candidate);
  const refuse = (why: string) =>
    new AppError('invalid_service_url', `"${trimmed}" is not a Mastodon instance address: ${why}`, {
      action: 'Type the instance name, such as mastodon.social, or your full handle, such as @you@mastodon.social.',
    });
  if (!trimmed || !url || !url.hostname) throw refuse('it is not an address.');
  if (url.username || url.password) throw refuse('it must not contain a user name or password.');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw refuse('only https is accepted (http only on this computer).');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('only https addresses are accepted.');
  if (!url.hostname.includes('.') && !isLoopbackHost(url.hostname)) throw refuse('it has no domain.');
  return new URL(url.origin);
}

/** True when an endpoint is plain http on loopback: the only case oauth4webapi may skip https. */
export function isLoopbackHttp(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed?.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

/** Refuses an endpoint that is not https or loopback http. */
export function assertSafeEndpoint(url: string, name: string): string {
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && !isLoopbackHttp(url))) {
    throw new AppError('invalid_input', `${name} must be an https address (or http on 127.0.0.1): ${url}`);
  }
  return parsed.href;
}

function withOverrides(platform: OAuthPlatform | 'pinterest_sandbox', defaults: Omit<OAuthEndpoints, 'issuer'>, env: EnvRecord): OAuthEndpoints {
  const prefix = `LOCALPOST_${platform.toUpperCase()}_`;
  const pick = (suffix: string, fallback: string | undefined) => {
    const name = prefix + suffix;
    const value = env[name]?.trim() || fallback;
    return value === undefined ? undefined : assertSafeEndpoint(value, name);
  };
  const authorizeUrl = pick('AUTHORIZE_URL', defaults.authorizeUrl)!;
  const revokeUrl = pick('REVOKE_URL', defaults.revokeUrl);
  return {
    authorizeUrl,
    tokenUrl: pick('TOKEN_URL', defaults.tokenUrl)!,
    ...(revokeUrl ? { revokeUrl } : {}),
    apiBase: pick('API_BASE', defaults.apiBase)!.replace(/\/+$/, ''),
    issuer: env[`${prefix}ISSUER`]?.trim() || new URL(authorizeUrl).origin,
  };
}
