// What one platform registers: how to build its adapter from what the platforms share, how it
// connects an account, and what the shared machinery must do for it (token refresh, redaction).
// Each platform's folder exports one of these; platformModules.ts lists them all.
import type { Account, ConnectInput, Platform, Settings } from '../../../src-preload/contract';
import type { AccountAvatars } from '../accounts/accountAvatars';
import type { AccountStore } from '../accounts/accountStore';
import type { DeveloperAppRecord, DeveloperAppStore } from '../developerApps/developerAppStore';
import type { AddressPolicy } from '../http/addressPolicy';
import type { Logger } from '../log/logger';
import type { MediaStorage } from '../mediaStorage/mediaStorage';
import type { MediaTools } from '../media/mediaTools';
import type { EnvRecord } from '../oauth/endpoints';
import type { OAuthAccounts, TokenPolicy } from '../oauth/oauthAccounts';
import type { OAuthEngine } from '../oauth/oauthFlow';
import type { Clock, HttpFetch } from '../ports';
import type { Vault } from '../vault/vault';
import type { DeveloperAppPlatform } from '../../../src-shared/developerApps';
import type { PlatformAdapter } from './adapter';
import type { DeveloperAppAdapterDeps } from './developerAppSignIn';
import type { SaveVerifiedDeps } from './saveVerifiedConnection';

/** What a platform may do with the user's media storage: put a file there for the platform to fetch, then delete it. */
export type PlatformMediaStorage = Pick<MediaStorage, 'publish' | 'remove'>;

export interface Connected {
  account: Account;
  updatedExisting: boolean;
  /** The other accounts the same sign-in connected (a Facebook login's other Pages). */
  alsoConnected?: Account[];
  /** What the sign-in left out, and why. */
  notes?: string[];
}

/** What a platform's adapter may use; one per platform, so `log` and `apiBase` are already its own. */
export interface PlatformContext {
  vault: Vault;
  /** The user's own developer apps, for platforms that post only through one. */
  developerApps: DeveloperAppStore;
  accounts: AccountStore;
  fetch: HttpFetch;
  clock: Clock;
  /** Environment overrides (LOCALPOST_<PLATFORM>_API_BASE, ...), for tests and self-hosted servers. */
  env: EnvRecord;
  addressPolicy: AddressPolicy;
  log: Logger;
  /** The platform's API base: `fallback`, or LOCALPOST_<ID>_API_BASE in tests and development builds. */
  apiBase(fallback: string): string;
  /** The OAuth engine and the saved grants' refresh, for platforms that sign in through a browser. */
  oauth: OAuthEngine;
  oauthAccounts: OAuthAccounts;
  /** For webhook and bot-token platforms: writes a verified connection (saveVerifiedConnection). */
  saveVerified: SaveVerifiedDeps;
  /** Keeps the picture a platform names for a newly connected account. */
  avatars: AccountAvatars;
  /** The user's own bucket, for platforms that fetch a post's media from a public address. */
  mediaStorage: PlatformMediaStorage;
  /** Image conversions a platform needs before upload (in the media worker, in the app). */
  media: MediaTools;
  /** The user's settings as they are now: read at each use, so a change applies at once. */
  settings(): Settings;
  /** What a platform signing in through the user's own developer app is built with: the above,
   *  and its own saved app. */
  developerAppDeps(platform: DeveloperAppPlatform): DeveloperAppAdapterDeps;
  accountChanged(profileId: string): void;
}

/** A built platform: its adapter, and how it connects an account from its connect shape. */
export interface BuiltPlatform<P extends Platform> {
  adapter: PlatformAdapter;
  connect(input: ConnectInput<P>, profileId: string): Promise<Connected>;
  /** For platforms that post through the user's own app: whether the platform takes its credentials
   *  (Settings → Developer apps → Test these credentials). */
  testDeveloperApp?(app: DeveloperAppRecord): Promise<{ message: string }>;
}

export interface PlatformModule<P extends Platform> {
  id: P;
  create(ctx: PlatformContext): BuiltPlatform<P>;
  /** Platforms whose accounts hold an OAuth grant: every saved grant is tracked for refresh and
   *  expiry notices (at start and when the vault opens), under this policy when it has one. */
  oauth?: { tokenPolicy?: TokenPolicy };
  /** The fields of its saved credential that the logger must redact wherever they appear. */
  secretFields?: readonly string[];
}
