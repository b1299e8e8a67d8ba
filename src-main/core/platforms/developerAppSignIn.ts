// Connecting an account through the user's own developer app (X, LinkedIn, Pinterest, and the
// platforms like them): the saved app's credentials, the consent page in the system browser
// through the OAuth engine, the identity read with the new token, the account row, then the grant
// in the vault. What differs per platform (client authentication, PKCE, how it says who signed in)
// is the platform's part; the order of the steps is the same for all and lives here once.
import type { Account, Platform } from '../../../src-preload/contract';
import type { AccountStore } from '../accounts/accountStore';
import type { DeveloperAppRecord, PlatformDeveloperApp } from '../developerApps/developerAppStore';
import type { Logger } from '../log/logger';
import type { OAuthAccounts } from '../oauth/oauthAccounts';
import type { OAuthClientCredentials } from '../oauth/oauthClient';
import type { OAuthEndpoints } from '../oauth/endpoints';
import type { OAuthEngine, StartAuthorizationOptions } from '../oauth/oauthFlow';
import type { TokenSet } from '../oauth/tokenSet';

export interface DeveloperAppSignInDeps {
  developerApp: PlatformDeveloperApp;
  oauth: OAuthEngine;
  oauthAccounts: OAuthAccounts;
  accounts: AccountStore;
  log: Logger;
}

/** Who signed in, as the platform said with the new token. */
export interface SignedInIdentity {
  remoteId: string;
  handle: string;
  displayName: string | null;
  /** Kept with the grant for the adapter (a user id, the API base); never secret. */
  extra: Record<string, string>;
}

export interface DeveloperAppSignIn {
  platform: Platform;
  platformName: string;
  /** The platform's host, the account's server. */
  service: string;
  /** Where the saved app signs in and calls the API (Pinterest: production or its sandbox, per the app). */
  endpoints(app: DeveloperAppRecord): OAuthEndpoints;
  /** The client the saved app makes, or a `developer_app_missing` error saying what to save. */
  client(app: DeveloperAppRecord): OAuthClientCredentials;
  scopes: readonly string[];
  /** How this platform's authorization request differs (no PKCE, comma-separated scopes). */
  authorization?: Pick<StartAuthorizationOptions, 'pkce' | 'scopeSeparator'>;
  /** Reads the identity with the new token directly: no account is saved yet for authorizedFetch,
   *  and a refusal here is a failed connect, not a revoked account. */
  identify(tokens: TokenSet, endpoints: OAuthEndpoints): Promise<SignedInIdentity>;
}

export async function signInWithDeveloperApp(
  deps: DeveloperAppSignInDeps,
  signIn: DeveloperAppSignIn,
  profileId: string,
): Promise<{ account: Account; updatedExisting: boolean }> {
  const app = deps.developerApp.read();
  const client = signIn.client(app);
  const endpoints = signIn.endpoints(app);
  const started = await deps.oauth.startAuthorization({
    platform: signIn.platform,
    platformName: signIn.platformName,
    profileId,
    endpoints,
    ...client,
    scopes: signIn.scopes,
    redirect: { fixedPort: app.redirectPort },
    ...signIn.authorization,
  });
  const tokens = await started.result;
  const me = await signIn.identify(tokens, endpoints);

  const { account, updatedExisting } = deps.accounts.upsertConnected({
    profileId,
    platform: signIn.platform,
    remoteId: me.remoteId,
    handle: me.handle,
    service: signIn.service,
    displayName: me.displayName,
  });
  deps.oauthAccounts.save(account, {
    platformName: signIn.platformName,
    endpoints: { tokenUrl: endpoints.tokenUrl, ...(endpoints.revokeUrl ? { revokeUrl: endpoints.revokeUrl } : {}), issuer: endpoints.issuer },
    client,
    tokens,
    extra: me.extra,
  });
  deps.log.info(`${signIn.platformName} account connected`, { account: account.id, updatedExisting });
  return { account, updatedExisting };
}
