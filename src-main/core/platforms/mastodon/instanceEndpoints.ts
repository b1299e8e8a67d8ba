// Where a Mastodon instance is, from what the user typed, and its OAuth endpoints: every instance
// has the same paths, moved as a whole by the LOCALPOST_MASTODON_* overrides in development.
import { AppError } from '../../errors';
import { endpointsWithOverrides, isLoopbackHost, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';

/**
 * A Mastodon instance's endpoints (docs.joinmastodon.org/methods/oauth): /oauth/authorize,
 * /oauth/token, /oauth/revoke, API base the instance itself.
 */
export function mastodonEndpoints(instance: string, env: EnvRecord): OAuthEndpoints {
  const origin = parseMastodonInstance(instance).origin;
  return endpointsWithOverrides(
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
