// Builds the platform adapters and what they share (the OAuth engine, token refresh, the vault's
// credential stores), and says how each platform connects an account.
import { connectConfirmations, type Account, type ConnectInput, type Platform } from '../../../src-preload/contract';
import type { AccountStore } from '../accounts/accountStore';
import type { Emit } from '../coreEvents';
import { confirmServerAddress, type AddressPolicy } from '../http/addressPolicy';
import type { Logger } from '../log/logger';
import { assertSafeEndpoint, mastodonEndpoints } from '../oauth/endpoints';
import { OAuthAccounts } from '../oauth/oauthAccounts';
import { createOAuthEngine, type OAuthEngine } from '../oauth/oauthFlow';
import type { CorePorts, HttpFetch } from '../ports';
import type { Vault } from '../vault/vault';
import type { PlatformAdapter } from './adapter';
import { AccountIdentity, defaultPlcDirectory } from './bluesky/accountIdentity';
import { BlueskyAdapter } from './bluesky/blueskyAdapter';
import { CredentialStore } from './credentialStore';
import { DiscordAdapter, type DiscordCredential } from './discord/discordAdapter';
import { MastodonAppRegistry } from './mastodon/appRegistration';
import { MastodonAdapter } from './mastodon/mastodonAdapter';
import { saveVerifiedConnection } from './saveVerifiedConnection';
import { SlackAdapter, type SlackCredential } from './slack/slackAdapter';
import { TelegramAdapter, type TelegramCredential } from './telegram/telegramAdapter';
import { XDeveloperAppStore } from './x/developerApp';
import { XAdapter, xTokenPolicy } from './x/xAdapter';

export interface Connected {
  account: Account;
  updatedExisting: boolean;
}

/** How each platform connects an account to a profile, from what the user gave it. */
export type AccountConnectors = { [P in Platform]: (input: ConnectInput<P>, profileId: string) => Promise<Connected> };

/** Connects with the platform the input names. */
export function connectAccount<P extends Platform>(connectors: AccountConnectors, input: ConnectInput<P>, profileId: string): Promise<Connected> {
  const connectWith: (input: ConnectInput<P>, profileId: string) => Promise<Connected> = connectors[input.platform];
  return connectWith(input, profileId);
}

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
  emit: Emit;
  accountChanged(profileId: string): void;
}

export interface Platforms {
  adapters: Record<Platform, PlatformAdapter>;
  connect: AccountConnectors;
  oauth: Pick<OAuthEngine, 'completeFromPastedUrl'>;
  xDeveloperApp: XDeveloperAppStore;
  /** Arms token refresh for every saved OAuth account (at start, and when the vault opens). */
  trackSavedGrants(): void;
  /** Cancels sign-ins in progress and every refresh timer. */
  stop(): void;
}

export function createPlatforms(deps: PlatformDeps): Platforms {
  const { vault, accounts, fetch, env, addressPolicy, log } = deps;
  const { clock } = deps.ports;
  const bluesky = new BlueskyAdapter({
    vault,
    accounts,
    fetch,
    clock,
    log: log.child('bluesky'),
    onAccountChanged: (account) => deps.accountChanged(account.profileId),
    identity: new AccountIdentity({ fetch, addressPolicy, plcUrl: env.LOCALPOST_PLC_URL ?? defaultPlcDirectory }),
    addressPolicy,
  });
  // Overrides exist for tests and development builds only (the app passes no environment when
  // packaged), and even there a token goes only over https or to this machine.
  const apiBase = (platform: string, fallback: string) => {
    const name = `LOCALPOST_${platform}_API_BASE`;
    return assertSafeEndpoint(env[name]?.trim() || fallback, name).replace(/\/+$/, '');
  };
  const discordCredentials = new CredentialStore<DiscordCredential>(vault, ['webhookToken']);
  const slackCredentials = new CredentialStore<SlackCredential>(vault, ['webhookPath']);
  const telegramCredentials = new CredentialStore<TelegramCredential>(vault, ['botToken']);
  const discord = new DiscordAdapter({ credentials: discordCredentials, fetch, clock, apiBase: apiBase('DISCORD', 'https://discord.com/api') });
  const slack = new SlackAdapter({ credentials: slackCredentials, fetch, clock, apiBase: apiBase('SLACK', 'https://hooks.slack.com') });
  const telegram = new TelegramAdapter({ credentials: telegramCredentials, fetch, clock, apiBase: apiBase('TELEGRAM', 'https://api.telegram.org') });

  // The OAuth engine (RFC 8252: system browser, PKCE S256, single-use state, loopback or custom
  // scheme redirect). Mastodon and X connect through it.
  const oauth = createOAuthEngine({ urlOpener: deps.ports.urlOpener, clock, fetch, log: log.child('oauth'), activeProfileId: deps.activeProfileId });
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

  const mastodon = new MastodonAdapter({
    oauth,
    oauthAccounts,
    accounts,
    apps: new MastodonAppRegistry({ vault, fetch, clock }),
    fetch,
    clock,
    env,
    log: log.child('mastodon'),
  });
  // Schedules for accounts saved in earlier runs. Mastodon tokens normally carry no expiry
  // (Mastodon's Doorkeeper sets no `access_token_expires_in`), so this arms a timer only for a
  // server that does send `expires_in`.
  oauthAccounts.trackAll(accounts.listPlatform('mastodon'));

  const xDeveloperApp = new XDeveloperAppStore(vault);
  const x = new XAdapter({ oauth, oauthAccounts, accounts, developerApp: xDeveloperApp, fetch, clock, env, log: log.child('x') });
  // X's access tokens last 2 hours: refresh 5 minutes ahead (docs.x.com, authorization-code),
  // also for accounts saved in earlier runs, whose schedules start here.
  oauthAccounts.setPolicy('x', xTokenPolicy);
  oauthAccounts.trackAll(accounts.listPlatform('x'));
  // The shell reports a wake from sleep as a possible connectivity change: the clock may have
  // jumped past an expiry while the timers slept.
  const stopRecheckingTokens = deps.ports.network.onChange?.(() => oauthAccounts.recheck());

  const saveVerified = { vault, accounts, log };
  const connect: AccountConnectors = {
    bluesky: (input, profileId) => bluesky.connect(input, profileId),
    mastodon: async ({ instance, confirm }, profileId) => {
      // Where the requests really go (the instance, or a development override of its API).
      const server = new URL(mastodonEndpoints(instance, env).apiBase);
      await confirmServerAddress(addressPolicy, server, confirm?.includes(connectConfirmations.address_private) ?? false);
      return mastodon.connect(instance, profileId);
    },
    x: (_input, profileId) => x.connect(profileId),
    discord: async ({ webhookUrl }, profileId) =>
      saveVerifiedConnection(saveVerified, { platform: 'discord', profileId }, await discord.verify(webhookUrl), discordCredentials),
    slack: async ({ webhookUrl, label }, profileId) =>
      saveVerifiedConnection(saveVerified, { platform: 'slack', profileId }, await slack.verify(webhookUrl, label), slackCredentials),
    telegram: async ({ botToken, chatId }, profileId) =>
      saveVerifiedConnection(saveVerified, { platform: 'telegram', profileId }, await telegram.verify(botToken, chatId), telegramCredentials),
  };

  return {
    adapters: { bluesky, mastodon, x, discord, slack, telegram },
    connect,
    oauth,
    xDeveloperApp,
    trackSavedGrants() {
      oauthAccounts.trackAll(accounts.listPlatform('mastodon'));
      oauthAccounts.trackAll(accounts.listPlatform('x'));
    },
    stop() {
      oauth.cancelAll();
      stopRecheckingTokens?.();
      oauthAccounts.stop();
    },
  };
}
