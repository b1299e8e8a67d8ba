// How tests, sandboxes and self-hosted servers move an OAuth platform's endpoints:
// `LOCALPOST_<NAME>_AUTHORIZE_URL`, `_TOKEN_URL`, `_REVOKE_URL`, `_API_BASE`, plus `_ISSUER` for a
// server that sends RFC 9207's `iss`. Each platform keeps its own defaults in its folder and applies
// the overrides here. The environment is an injected record, never `process.env` read here, so a
// test passes its own.
//
// Every endpoint must be https, or http on a loopback host: tokens and codes never cross a network
// in clear text (RFC 6749 §3.1 and §3.2 require TLS; RFC 8252 §8.3 allows loopback http).
import { AppError } from '../errors';
import { isLoopbackHost } from '../http/addressPolicy';

export { isLoopbackHost };

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

/**
 * A platform's default endpoints with the `LOCALPOST_<NAME>_*` overrides applied (`name` as in
 * 'x' or 'pinterest_sandbox'), each checked to be https or loopback http.
 */
export function endpointsWithOverrides(name: string, defaults: Omit<OAuthEndpoints, 'issuer'>, env: EnvRecord): OAuthEndpoints {
  const prefix = `LOCALPOST_${name.toUpperCase()}_`;
  const pick = (suffix: string, fallback: string | undefined) => {
    const variable = prefix + suffix;
    const value = env[variable]?.trim() || fallback;
    return value === undefined ? undefined : assertSafeEndpoint(value, variable);
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
