// Builds the platform adapters and what they share (the OAuth engine, token refresh), from the
// registered platform modules, and says how each platform connects an account.
import { developerAppPlatforms, type DeveloperAppPlatform } from '../../../src-shared/developerApps';
import { platformIds } from '../../../src-shared/platformIds';
import type { ConnectInput, Platform, Settings } from '../../../src-preload/contract';
import type { AccountAvatars } from '../accounts/accountAvatars';
import type { AccountStore } from '../accounts/accountStore';
import type { Emit } from '../coreEvents';
import { AppError } from '../errors';
import { DeveloperAppStore, type DeveloperAppRecord } from '../developerApps/developerAppStore';
import type { AddressPolicy } from '../http/addressPolicy';
import type { Logger } from '../log/logger';
import type { MediaTools } from '../media/mediaTools';
import { assertSafeEndpoint } from '../oauth/endpoints';
import type { LoopbackCertificate } from '../oauth/loopbackCertificate';
import { OAuthAccounts } from '../oauth/oauthAccounts';
import { createOAuthEngine, type OAuthEngine } from '../oauth/oauthFlow';
import type { CorePorts, HttpFetch } from '../ports';
import type { Vault } from '../vault/vault';
import type { PlatformAdapter } from './adapter';
import type { BuiltPlatform, Connected, PlatformContext, PlatformMediaStorage, PlatformModule } from './platformModule';
import { platformModules } from './platformModules';

export type { Connected } from './platformModule';

/** How each platform connects an account to a profile, from what the user gave it. */
export type AccountConnectors = { [P in Platform]: (input: ConnectInput<P>, profileId: string) => Promise<Connected> };

/** Connects with the platform the input names. */
export function connectAccount<P extends Platform>(connectors: AccountConnectors, input: ConnectInput<P>, profileId: string): Promise<Connected> {
  const connectWith: (input: ConnectInput<P>, profileId: string) => Promise<Connected> = connectors[input.platform];
  return connectWith(input, profileId);
}

/** "Test these credentials", for each platform whose module offers it. */
export type DeveloperAppTests = Partial<Record<DeveloperAppPlatform, (app: DeveloperAppRecord) => Promise<{ message: string }>>>;

export interface PlatformDeps {
  vault: Vault;
  accounts: AccountStore;
  fetch: HttpFetch;
  ports: Pick<CorePorts, 'clock' | 'notifier' | 'urlOpener' | 'network'>;
  /** Environment overrides (LOCALPOST_<PLATFORM>_API_BASE, ...), for tests and self-hosted servers. */
  env: Record<string, string | undefined>;
  addressPolicy: AddressPolicy;
  log: Logger;
  activeProfileId(): string;
  /** Keeps the picture a platform names for a newly connected account. */
  avatars: AccountAvatars;
  emit: Emit;
  accountChanged(profileId: string): void;
  /** The https loopback listener's certificate, made once per data folder (oauth/loopbackCertificate.ts). */
  loopbackCertificate?: () => Promise<LoopbackCertificate>;
  /** The user's bucket, for platforms that fetch media from an address. */
  mediaStorage?: PlatformMediaStorage;
  /** Image conversions before upload (in the media worker, in the app). */
  media: MediaTools;
  /** The user's settings as they are now (the Graph API version Meta's platforms call). */
  settings(): Settings;
}

export interface Platforms {
  adapters: Record<Platform, PlatformAdapter>;
  connect: AccountConnectors;
  oauth: Pick<OAuthEngine, 'completeFromPastedUrl'>;
  developerApps: DeveloperAppStore;
  developerAppTests: DeveloperAppTests;
  /** Arms token refresh for every saved OAuth account (at start, and when the vault opens). */
  trackSavedGrants(): void;
  /** Cancels sign-ins in progress and every refresh timer. */
  stop(): void;
}

type BuiltPlatforms = { [P in Platform]: ReturnType<(typeof platformModules)[P]['create']> };

export function createPlatforms(deps: PlatformDeps): Platforms {
  const { vault, accounts, fetch, env, addressPolicy, log } = deps;
  const { clock } = deps.ports;

  // The OAuth engine (RFC 8252: system browser, PKCE S256, single-use state, loopback or custom
  // scheme redirect), for the platforms that sign in through a browser.
  const oauth = createOAuthEngine({
    urlOpener: deps.ports.urlOpener,
    clock,
    fetch,
    log: log.child('oauth'),
    activeProfileId: deps.activeProfileId,
    ...(deps.loopbackCertificate ? { loopbackCertificate: deps.loopbackCertificate } : {}),
  });
  const oauthAccounts = new OAuthAccounts({
    vault,
    accounts,
    fetch,
    clock,
    notifier: deps.ports.notifier,
    log: log.child('tokens'),
    onTokenEvent(event, account, detail) {
      if (event === 'token.expiring') {
        deps.emit('token.expiring', { accountId: account.id, profileId: account.profileId, handle: account.handle, expiresAt: detail.expiresAt!, reason: detail.reason });
      } else {
        deps.emit('token.revoked', { accountId: account.id, profileId: account.profileId, handle: account.handle, reason: detail.reason });
      }
      deps.accountChanged(account.profileId);
    },
  });

  const developerApps = new DeveloperAppStore(vault);
  const contextFor = (platform: Platform): PlatformContext => ({
    vault,
    developerApps,
    accounts,
    fetch,
    clock,
    env,
    addressPolicy,
    log: log.child(platform),
    // Overrides exist for tests and development builds only (the app passes no environment when
    // packaged), and even there a token goes only over https or to this machine.
    apiBase(fallback) {
      const name = `LOCALPOST_${platform.toUpperCase()}_API_BASE`;
      return assertSafeEndpoint(env[name]?.trim() || fallback, name).replace(/\/+$/, '');
    },
    oauth,
    oauthAccounts,
    saveVerified: { vault, accounts, log },
    mediaStorage: deps.mediaStorage ?? missingMediaStorage,
    media: deps.media,
    avatars: deps.avatars,
    settings: deps.settings,
    developerAppDeps: (appPlatform) => ({
      oauth,
      oauthAccounts,
      accounts,
      developerApp: developerApps.forPlatform(appPlatform),
      avatars: deps.avatars,
      fetch,
      clock,
      env,
      log: log.child(platform),
    }),
    accountChanged: deps.accountChanged,
  });
  // Each entry is built by its own module, so the record has every platform's own type.
  const built = Object.fromEntries(platformIds.map((platform) => [platform, platformModules[platform].create(contextFor(platform))])) as BuiltPlatforms;

  const adapters = {} as Record<Platform, PlatformAdapter>;
  for (const platform of platformIds) adapters[platform] = built[platform].adapter;

  const developerAppTests: DeveloperAppTests = {};
  for (const platform of platformIds) {
    const { testDeveloperApp }: BuiltPlatform<Platform> = built[platform];
    if (testDeveloperApp && (developerAppPlatforms as readonly string[]).includes(platform)) developerAppTests[platform as DeveloperAppPlatform] = testDeveloperApp;
  }

  const registered: { [P in Platform]: PlatformModule<P> } = platformModules;
  const oauthPlatforms = platformIds.filter((platform) => registered[platform].oauth);
  for (const platform of oauthPlatforms) {
    const policy = registered[platform].oauth?.tokenPolicy;
    if (policy) oauthAccounts.setPolicy(platform, policy);
  }
  // Schedules refresh for the grants of accounts saved in earlier runs.
  const trackSavedGrants = () => {
    for (const platform of oauthPlatforms) oauthAccounts.trackAll(accounts.listPlatform(platform));
  };
  trackSavedGrants();
  // The shell reports a wake from sleep as a possible connectivity change: the clock may have
  // jumped past an expiry while the timers slept.
  const stopRecheckingTokens = deps.ports.network.onChange?.(() => oauthAccounts.recheck());

  return {
    adapters,
    connect: Object.fromEntries(platformIds.map((platform) => [platform, built[platform].connect])) as AccountConnectors,
    oauth,
    developerApps,
    developerAppTests,
    trackSavedGrants,
    stop() {
      oauth.cancelAll();
      stopRecheckingTokens?.();
      oauthAccounts.stop();
    },
  };
}

/** Where the core was built without media storage (tests of other parts): as if none were saved. */
const missingMediaStorage: PlatformMediaStorage = {
  publish: () => Promise.reject(new AppError('media_storage_missing', 'No media storage is set up.', { action: 'Open Settings → Media storage and fill in your bucket.' })),
  remove: () => Promise.resolve(),
};
