// Connecting an account through the user's own developer app (X, LinkedIn, Pinterest, and the
// platforms like them): the saved app's credentials, the consent page in the system browser
// through the OAuth engine, the identity read with the new token, the account row, then the grant
// in the vault. What differs per platform (client authentication, PKCE, how it says who signed in)
// is the platform's part; the order of the steps is the same for all and lives here once, as do
// the check that an app is saved and "Test these credentials", which asks the same token endpoint.
import type { Account, Platform } from '../../../src-preload/contract';
import { loopbackRedirectUri, redirectToRegister, type DeveloperAppRedirect, type DeveloperAppSpec } from '../../../src-shared/developerApps';
import type { AccountAvatars } from '../accounts/accountAvatars';
import type { AccountStore } from '../accounts/accountStore';
import { AppError } from '../errors';
import type { DeveloperAppRecord, PlatformDeveloperApp } from '../developerApps/developerAppStore';
import type { Logger } from '../log/logger';
import type { OAuthAccounts } from '../oauth/oauthAccounts';
import type { OAuthClientCredentials } from '../oauth/oauthClient';
import type { EnvRecord, OAuthEndpoints } from '../oauth/endpoints';
import type { OAuthEngine, StartAuthorizationOptions } from '../oauth/oauthFlow';
import type { RedirectStrategy } from '../oauth/redirectStrategies';
import { askWithMadeUpCode, type TokenEndpointAnswer } from '../oauth/tokenEndpointProbe';
import type { Clock, HttpFetch } from '../ports';
import type { TokenSet } from '../oauth/tokenSet';

export interface DeveloperAppSignInDeps {
  developerApp: PlatformDeveloperApp;
  oauth: OAuthEngine;
  oauthAccounts: OAuthAccounts;
  accounts: AccountStore;
  avatars: AccountAvatars;
  log: Logger;
}

/** What the adapter of a platform that signs in through the user's own developer app is built with. */
export interface DeveloperAppAdapterDeps extends DeveloperAppSignInDeps {
  fetch: HttpFetch;
  clock: Clock;
  /** For the platform's endpoint overrides (oauth/endpoints.ts). */
  env: EnvRecord;
}

/** Who signed in, as the platform said with the new token. */
export interface SignedInIdentity {
  remoteId: string;
  handle: string;
  displayName: string | null;
  /** The account's picture, where the platform names one (a channel's thumbnail, a creator's avatar). */
  avatarUrl?: string | null;
  /** Kept with the grant for the adapter (a user id, the API base); never secret. */
  extra: Record<string, string>;
  /** Where the sign-in reaches an account of another platform of its family (a Facebook login:
   *  each Page's linked Instagram account), the platform it is filed under; the sign-in's own
   *  platform otherwise. */
  filedUnder?: { platform: Platform; platformName: string; service: string };
}

/** Several accounts from one sign-in, each with its own tokens (a Page's own token), in the
 *  platform's order, and what was left out and why (a Page the user may not post to). */
export interface SignedInIdentities {
  identities: ReadonlyArray<SignedInIdentity & { tokens: TokenSet }>;
  notes: readonly string[];
}

/** What one sign-in connected: the first account, and the rest where it brought several. */
export interface DeveloperAppConnected {
  account: Account;
  updatedExisting: boolean;
  alsoConnected?: Account[];
  notes?: string[];
}

/**
 * How the platform's token endpoint answers an authorization code that does not exist, when the
 * answer tells a wrong id or secret from a right one (RFC 6749 §5.2, and what the platform does
 * beside it). A 401 and `invalid_client` always mean the client was refused.
 */
export interface CredentialCheck {
  /** Errors that refuse only the code: the client was authenticated first. */
  codeRefused: readonly string[];
  /** Errors besides `invalid_client` that refuse the client. */
  clientRefused?: readonly string[];
}

export interface DeveloperAppSignIn {
  platform: Platform;
  /** The app's spec: the platform's name, where the app is set up, its redirect URI. */
  spec: DeveloperAppSpec;
  /** The platform's host, the account's server. */
  service: string;
  /** Where the saved app signs in and calls the API (Pinterest: production or its sandbox, per the app). */
  endpoints(app: DeveloperAppRecord): OAuthEndpoints;
  /** How the app's secret, when it has one, goes to the token endpoint (RFC 6749 §2.3.1). */
  clientAuthMethod: NonNullable<OAuthClientCredentials['clientAuthMethod']>;
  scopes: readonly string[];
  /** How this platform's authorization request differs (no PKCE, comma-separated scopes, a hex
   *  challenge, another name for the client id, Google's `access_type`). */
  authorization?: Pick<StartAuthorizationOptions, 'pkce' | 'scopeSeparator' | 'pkceChallengeEncoding' | 'clientIdParameter' | 'extraAuthorizeParams' | 'tokenTypeWhenAbsent'>;
  /** Turns the code exchange's tokens into the ones to keep, where the platform issues a short-lived
   *  token first and a long-lived one in exchange for it (Threads' `th_exchange_token`). */
  upgradeTokens?(tokens: TokenSet, endpoints: OAuthEndpoints, client: OAuthClientCredentials): Promise<TokenSet>;
  /** Reads the identity with the new token directly: no account is saved yet for authorizedFetch,
   *  and a refusal here is a failed connect, not a revoked account. A sign-in that brings several
   *  accounts (a Facebook login: every Page the user may post to) names them all, each with the
   *  tokens it posts with. */
  identify(tokens: TokenSet, endpoints: OAuthEndpoints): Promise<SignedInIdentity | SignedInIdentities>;
  credentialCheck: CredentialCheck;
}

export async function signInWithDeveloperApp(deps: DeveloperAppSignInDeps, signIn: DeveloperAppSignIn, profileId: string): Promise<DeveloperAppConnected> {
  const app = deps.developerApp.read();
  const client = savedClient(signIn, app);
  const endpoints = signIn.endpoints(app);
  const started = await deps.oauth.startAuthorization({
    platform: signIn.platform,
    platformName: signIn.spec.name,
    profileId,
    endpoints,
    ...client,
    scopes: signIn.scopes,
    redirect: redirectStrategyFor(signIn.spec.redirect, app.redirectPort),
    loopbackPath: signIn.spec.redirect.path,
    ...signIn.authorization,
  });
  const issued = await started.result;
  const tokens = signIn.upgradeTokens ? await signIn.upgradeTokens(issued, endpoints, client) : issued;
  const identified = await signIn.identify(tokens, endpoints);
  if (!('identities' in identified)) return keepAccount(deps, signIn, profileId, { endpoints, client, tokens, me: identified });

  const [first, ...rest] = identified.identities;
  if (!first) throw new AppError('platform_rejected', `${signIn.spec.name} named no account to connect.`, { action: 'Connect again.' });
  const connected = await keepAccount(deps, signIn, profileId, { endpoints, client, tokens: first.tokens, me: first });
  const alsoConnected: Account[] = [];
  for (const me of rest) alsoConnected.push((await keepAccount(deps, signIn, profileId, { endpoints, client, tokens: me.tokens, me })).account);
  return { ...connected, alsoConnected, notes: [...identified.notes] };
}

/** One signed-in account: its row (the same remote id updates the one already there), then its grant in the vault. */
async function keepAccount(
  deps: DeveloperAppSignInDeps,
  signIn: DeveloperAppSignIn,
  profileId: string,
  { endpoints, client, tokens, me }: { endpoints: OAuthEndpoints; client: OAuthClientCredentials; tokens: TokenSet; me: SignedInIdentity },
): Promise<{ account: Account; updatedExisting: boolean }> {
  const filed = me.filedUnder ?? { platform: signIn.platform, platformName: signIn.spec.name, service: signIn.service };
  const { account, updatedExisting } = deps.accounts.upsertConnected({
    profileId,
    platform: filed.platform,
    remoteId: me.remoteId,
    handle: me.handle,
    service: filed.service,
    displayName: me.displayName,
  });
  deps.oauthAccounts.save(account, {
    platformName: filed.platformName,
    endpoints: { tokenUrl: endpoints.tokenUrl, ...(endpoints.revokeUrl ? { revokeUrl: endpoints.revokeUrl } : {}), issuer: endpoints.issuer },
    client,
    tokens,
    extra: me.extra,
  });
  deps.log.info(`${filed.platformName} account connected`, { account: account.id, updatedExisting });
  await deps.avatars.keep(account.id, me.avatarUrl);
  return { account: deps.accounts.findAny(account.id) ?? account, updatedExisting };
}

/**
 * RFC 8252 §7.3: an ephemeral port where the platform takes any, else the one registered, over TLS
 * where the platform registers only https addresses.
 */
export function redirectStrategyFor(redirect: DeveloperAppRedirect, port: number): RedirectStrategy {
  switch (redirect.kind) {
    case 'anyLoopbackPort':
      return 'loopback';
    case 'fixedLoopbackPort':
      return { fixedPort: port };
    case 'httpsLoopbackPort':
      return { httpsPort: port };
  }
}

/**
 * The client the saved app makes, or, when the app is missing or half saved, a
 * `developer_app_missing` error saying what to save where: the OAuth engine would refuse too, but
 * not say which platform wants which app, nor the redirect URI to register.
 */
function savedClient(signIn: DeveloperAppSignIn, app: DeveloperAppRecord): OAuthClientCredentials {
  const { spec } = signIn;
  if (!app.clientId || (spec.clientSecret.required && !app.clientSecret)) {
    const register = redirectToRegister(spec.redirect, app.redirectPort);
    const credentials = `your app's Client ID${spec.clientSecret.required ? ' and Client secret' : ''}`;
    throw new AppError('developer_app_missing', `${spec.name} lets only your own developer app post through its API, and none is saved in Localpost yet.`, {
      action: register
        ? `Open Settings → Developer apps → ${spec.name}, enter ${credentials}, and register ${register.uri} as its ${register.as}.`
        : `Open Settings → Developer apps → ${spec.name} and enter ${credentials}.`,
    });
  }
  return clientOf(signIn, app.clientId, app.clientSecret);
}

/** A confidential client authenticates the platform's way; one without a secret is public (RFC 6749 §2.1). */
function clientOf(signIn: DeveloperAppSignIn, clientId: string, clientSecret: string | undefined): OAuthClientCredentials {
  // Saved with the grant, so the refresh and the revocation name the client as the sign-in did.
  const named = signIn.authorization?.clientIdParameter ? { clientIdParameter: signIn.authorization.clientIdParameter } : {};
  return clientSecret ? { clientId, clientSecret, clientAuthMethod: signIn.clientAuthMethod, ...named } : { clientId, ...named };
}

/**
 * "Test these credentials": asks the token endpoint the sign-in would use to exchange a code that
 * does not exist, authenticating as the sign-in would, and reads whether it refused the client or
 * only the code. Only an app with a secret is tested: a public client (X's Native App) proves
 * nothing by its id alone, and is checked when it connects. The secret goes to the token endpoint
 * and nowhere else; the log has the answer's status and error code, never the request.
 */
export async function testDeveloperApp(deps: { fetch: HttpFetch; log: Logger }, signIn: DeveloperAppSignIn, app: DeveloperAppRecord): Promise<{ message: string }> {
  const { spec } = signIn;
  if (!app.clientId) {
    throw new AppError('invalid_input', `Enter your ${spec.name} app's Client ID first.`, {
      action: `Copy it from your app's ${spec.credentialsAt.tab} tab in the ${spec.portal.name}.`,
    });
  }
  if (!app.clientSecret) {
    throw new AppError('invalid_input', `An app without a Client secret cannot be tested here: ${spec.name} checks its Client ID only when you connect.`, {
      action: `Connect ${spec.anAccount} under Accounts.`,
    });
  }
  const endpoints = signIn.endpoints(app);
  const answer = await askWithMadeUpCode(deps.fetch, {
    endpoints,
    client: clientOf(signIn, app.clientId, app.clientSecret),
    redirectUri: loopbackRedirectUri(spec.redirect, app.redirectPort),
    pkce: signIn.authorization?.pkce !== false,
  });
  const verdict = readCredentialCheck(signIn.credentialCheck, answer);
  deps.log.info(`${spec.name} developer app tested`, { verdict, status: answer.status, error: answer.error ?? null });
  if (verdict === 'accepted') {
    return { message: `${spec.name} accepted this Client ID and secret. The redirect URI is checked when you connect.` };
  }
  const said = answer.description ? ` ${spec.name} said: “${answer.description}”` : '';
  if (verdict === 'rejected') {
    throw new AppError('developer_app_rejected', `${spec.name} did not accept this Client ID and secret.${said}`, {
      action: `Copy both again from your app's ${spec.credentialsAt.tab} tab in the ${spec.portal.name} (a secret that was regenerated replaces the old one), then test again.`,
    });
  }
  throw new AppError(
    'developer_app_unverified',
    `${spec.name} answered in a way that does not say whether it accepts this Client ID and secret (HTTP ${answer.status}${answer.error ? `, ${answer.error}` : ''}).${said}`,
    { action: answer.status >= 500 ? 'Try again in a few minutes.' : `Connect ${spec.anAccount} under Accounts to find out.`, transient: answer.status >= 500 },
  );
}

/** Refused client, refused code (so the client was accepted), or neither. */
function readCredentialCheck(check: CredentialCheck, answer: TokenEndpointAnswer): 'accepted' | 'rejected' | 'unclear' {
  if (answer.status === 401 || answer.error === 'invalid_client' || (answer.error && check.clientRefused?.includes(answer.error))) return 'rejected';
  if (answer.status >= 400 && answer.status < 500 && answer.error && check.codeRefused.includes(answer.error)) return 'accepted';
  return 'unclear';
}

/**
 * What a platform that signs in through the user's own developer app registers: its connect and
 * its credentials test, both from the one description of how it signs in.
 */
export function connectsWithDeveloperApp(deps: DeveloperAppSignInDeps & { fetch: HttpFetch }, signIn: () => DeveloperAppSignIn) {
  return {
    connect: (_input: unknown, profileId: string) => signInWithDeveloperApp(deps, signIn(), profileId),
    testDeveloperApp: (app: DeveloperAppRecord) => testDeveloperApp(deps, signIn(), app),
  };
}
