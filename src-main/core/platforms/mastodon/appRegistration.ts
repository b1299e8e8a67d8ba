// Mastodon has no pre-registered Localpost app: every instance gets its own, registered on first
// connect with `POST /api/v1/apps` (docs.joinmastodon.org/methods/apps). Mastodon provisions only
// confidential clients ("At present, Mastodon only supports provisioning confidential clients"),
// so the answer carries a client secret: it is kept in the vault, never in the database, and
// reused for later connects to the same instance and redirect URI.
import { AppError } from '../../errors';
import { registerSecret } from '../../log/redact';
import type { Clock, HttpFetch } from '../../ports';
import type { Vault } from '../../vault/vault';
import { mastodonProblem } from './mastodonErrors';

/**
 * The scopes Localpost asks for (docs.joinmastodon.org/api/oauth-scopes): `read:accounts` for
 * verify_credentials.
 */
export const mastodonScopes = ['read:accounts', 'write:statuses', 'write:media'];

/**
 * The redirect URI registered with each instance: the loopback callback *without a port*.
 *
 * Why no port: the listener takes an ephemeral port (RFC 8252 §7.3), unknown until the flow
 * starts, and the app must already exist then (its client_id is in the authorize URL). RFC 8252
 * §7.3 says the authorization server "MUST allow any port to be specified at the time of the
 * request for loopback IP redirect URIs"; Mastodon's Doorkeeper does so (doorkeeper PR #1182:
 * `URIChecker.matches?` drops the port when both URIs are loopback), and so does oidc-provider for
 * native clients, which the test harness runs. One registration per instance then serves every
 * connect, instead of a fresh app (and a fresh secret) per sign-in. The authorize and token
 * requests still carry the exact `http://127.0.0.1:<port>/callback` the listener answers on.
 */
export const registeredLoopbackRedirectUri = 'http://127.0.0.1/callback';

export interface MastodonApp {
  clientId: string;
  clientSecret: string;
}

export class MastodonAppRegistry {
  constructor(
    private readonly deps: {
      vault: Vault;
      fetch: HttpFetch;
      clock: Clock;
      /** Sent as the app's `website` when there is one (the field is optional in methods/apps). */
      website?: string;
    },
  ) {}

  /** The cached app for this instance and redirect URI, registering it first when there is none. */
  async appFor(apiBase: string, redirectUri: string): Promise<{ app: MastodonApp; registered: boolean }> {
    const key = appVaultKey(apiBase, redirectUri);
    const cached = this.deps.vault.get(key);
    if (cached) {
      const app = JSON.parse(cached) as MastodonApp;
      registerSecret(app.clientSecret);
      return { app, registered: false };
    }
    const response = await this.deps.fetch(`${apiBase}/api/v1/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_name: 'Localpost',
        redirect_uris: redirectUri,
        scopes: mastodonScopes.join(' '),
        ...(this.deps.website ? { website: this.deps.website } : {}),
      }),
    });
    if (!response.ok) throw await mastodonProblem(response, new URL(apiBase).host, this.deps.clock.now());
    const body = (await response.json()) as { client_id?: string; client_secret?: string };
    if (!body.client_id || !body.client_secret) {
      throw new AppError('platform_rejected', `${new URL(apiBase).host} did not register Localpost (no client id or secret in its answer).`, {
        action: 'Check that the address is a Mastodon instance.',
      });
    }
    const app = { clientId: body.client_id, clientSecret: body.client_secret };
    registerSecret(app.clientSecret);
    this.deps.vault.put(key, JSON.stringify(app));
    return { app, registered: true };
  }

  /** Drops a cached app the instance no longer knows (an app "vacuumed" before Mastodon 4.3). */
  forget(apiBase: string, redirectUri: string): void {
    this.deps.vault.delete(appVaultKey(apiBase, redirectUri));
  }
}

export function appVaultKey(apiBase: string, redirectUri: string): string {
  return `mastodon-app:${new URL(apiBase).origin}:${redirectUri}`;
}
