// Builds the whole core from its ports. The Electron composition root and the test harness both
// call this, so what the tests exercise is exactly what the app runs.
import path from 'node:path';
import { connectConfirmations, events, type EventName, type EventPayload, type Platform } from '../../src-preload/contract';
import { platformRules } from '../../src-shared/platforms';
import { AccountStore } from './accounts/accountStore';
import { createDispatch, type Dispatch, type Handlers } from './bridge/dispatch';
import { createDataRightsHandlers } from './dataRights/dataRightsHandlers';
import { ComposeService } from './compose/composeService';
import { DraftStore } from './compose/draftStore';
import { AppError } from './errors';
import { confirmServerAddress, createAddressPolicy, type HostLookup } from './http/addressPolicy';
import { createHttpFetch } from './http/httpClient';
import { createPublicFetch, type SendPinned } from './http/publicFetch';
import { createLogger, fileLogSink, type LogSink, type Logger } from './log/logger';
import type { PlatformAdapter, VerifiedConnection } from './platforms/adapter';
import { AccountIdentity, defaultPlcDirectory } from './platforms/bluesky/accountIdentity';
import { BlueskyAdapter } from './platforms/bluesky/blueskyAdapter';
import { CredentialStore } from './platforms/credentialStore';
import { DiscordAdapter, type DiscordCredential } from './platforms/discord/discordAdapter';
import { MastodonAppRegistry } from './platforms/mastodon/appRegistration';
import { MastodonAdapter } from './platforms/mastodon/mastodonAdapter';
import { SlackAdapter, type SlackCredential } from './platforms/slack/slackAdapter';
import { TelegramAdapter, type TelegramCredential } from './platforms/telegram/telegramAdapter';
import { describeXDeveloperApp, XDeveloperAppStore } from './platforms/x/developerApp';
import { XAdapter, xTokenPolicy } from './platforms/x/xAdapter';
import { normalizeHandle, normalizeService } from './platforms/bluesky/identity';
import { assertSafeEndpoint, mastodonEndpoints } from './oauth/endpoints';
import { OAuthAccounts } from './oauth/oauthAccounts';
import { createOAuthEngine } from './oauth/oauthFlow';
import type { CorePorts } from './ports';
import { ProfileStore } from './profiles/profileStore';
import { Outbox } from './outbox/outbox';
import { PostStore } from './outbox/postStore';
import { SettingsService } from './settings/settingsService';
import { ensurePrivateDir } from './storage/privateFiles';
import { Vault } from './vault/vault';
import { openDatabaseOrExplain } from './db/openedByVersion';

export interface CoreOptions {
  dataDir: string;
  ports: CorePorts;
  /** The origin the app's pages are served from; only they may call the bridge. */
  appOrigin: string;
  version: string;
  /** Environment overrides (LOCALPOST_<PLATFORM>_API_BASE, ...), for tests and self-hosted servers. */
  env?: Record<string, string | undefined>;
  extraLogSinks?: LogSink[];
  /** How long any request may take before it counts as unanswered (default 30 s; tests shorten it). */
  httpTimeoutMs?: number;
  /**
   * Origins (`http://127.0.0.1:4321`) the address policy lets through although they are not
   * public: a test's own fixture server. Only the caller of createCore can set it; the app never
   * does, so in the app every link card is fetched from public addresses only.
   */
  allowPrivateAddressesFor?: string[];
  /** DNS and the request behind every fetch made for the user (publicFetch): Node's by default;
   *  a test injects its own to steer names (`evil.test` → 127.0.0.1) or to see every request. */
  publicWeb?: { lookup?: HostLookup; send?: SendPinned };
}

export interface Core {
  dispatch: Dispatch;
  /** The core's redacting logger, for the shell to log through the same file. */
  log: Logger;
  handlers: Handlers;
  /** The outbox worker: `wake` looks for due work now, `idle` resolves when nothing is in flight. */
  outbox: Pick<Outbox, 'wake' | 'idle'>;
  onEvent(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void;
  close(): void;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir, ports } = options;
  ensurePrivateDir(dataDir);
  const logFile = fileLogSink(path.join(dataDir, 'logs'));
  const log = createLogger('core', [logFile, ...(options.extraLogSinks ?? [])]);
  const db = openDatabaseOrExplain(dataDir, options.version, ports.clock);

  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    // Events cross the bridge like method results: checked against the contract on the way out.
    const checked = events[event].parse(payload);
    for (const listener of listeners) listener(event, checked);
  };

  const profiles = new ProfileStore(db, ports.preferences, ports.clock);
  const accounts = new AccountStore(db, ports.clock);
  const settings = new SettingsService(ports.preferences, ports.locale);
  const fetch = createHttpFetch({ fetch: ports.fetch, network: ports.network, ...(options.httpTimeoutMs ? { timeoutMs: options.httpTimeoutMs } : {}) });
  const vault = new Vault({
    db,
    keyWrapper: ports.keyWrapper,
    clock: ports.clock,
    log: log.child('vault'),
    // Only the user's "Forget my sign-ins" deletes secrets; a key store that is merely locked does not.
    onLostSecrets: () => accounts.markAllNeedingReauth('You chose to forget the saved sign-ins on this computer; reconnect to post again.'),
  });
  const vaultStatus = await vault.open();
  if (vaultStatus.protection === 'session') {
    // Secrets kept for a session are gone after a restart: say so on every account.
    accounts.markAllNeedingReauth('Sign-ins are kept only until Localpost quits on this computer.');
  }

  const active = () => profiles.activeId();
  // A reconnected account may release posts held for it: the outbox looks again.
  let wakeOutbox = () => {};
  const accountChanged = (profileId: string) => {
    emit('accounts.changed', { profileId });
    wakeOutbox();
  };
  const addressPolicy = createAddressPolicy({
    ...(options.publicWeb?.lookup ? { lookup: options.publicWeb.lookup } : {}),
    ...(options.allowPrivateAddressesFor ? { allowPrivateAddressesFor: options.allowPrivateAddressesFor } : {}),
  });
  const bluesky = new BlueskyAdapter({
    vault,
    accounts,
    fetch,
    clock: ports.clock,
    log: log.child('bluesky'),
    onAccountChanged: (account) => accountChanged(account.profileId),
    identity: new AccountIdentity({ fetch, addressPolicy, plcUrl: options.env?.LOCALPOST_PLC_URL ?? defaultPlcDirectory }),
  });
  const env = options.env ?? {};
  // Overrides exist for tests and development builds only (the app passes no environment when
  // packaged), and even there a token goes only over https or to this machine.
  const apiBase = (platform: string, fallback: string) => {
    const name = `LOCALPOST_${platform}_API_BASE`;
    return assertSafeEndpoint(env[name]?.trim() || fallback, name).replace(/\/+$/, '');
  };
  const discordCredentials = new CredentialStore<DiscordCredential>(vault, ['webhookToken']);
  const slackCredentials = new CredentialStore<SlackCredential>(vault, ['webhookPath']);
  const telegramCredentials = new CredentialStore<TelegramCredential>(vault, ['botToken']);
  const discord = new DiscordAdapter({ credentials: discordCredentials, fetch, clock: ports.clock, apiBase: apiBase('DISCORD', 'https://discord.com/api') });
  const slack = new SlackAdapter({ credentials: slackCredentials, fetch, clock: ports.clock, apiBase: apiBase('SLACK', 'https://hooks.slack.com') });
  const telegram = new TelegramAdapter({ credentials: telegramCredentials, fetch, clock: ports.clock, apiBase: apiBase('TELEGRAM', 'https://api.telegram.org') });

  /** Saves a verified webhook or bot connection: the account row, then its credential. */
  const saveVerified = <C>(platform: Platform, verified: VerifiedConnection<C>, credentials: { save(id: string, c: C): void }) => {
    // Checked before the account row is written: a locked vault must not leave one without its credential.
    vault.requireOpen();
    const { account, updatedExisting } = accounts.upsertConnected({
      profileId: active(),
      platform,
      remoteId: verified.remoteId,
      handle: verified.handle,
      service: verified.service,
      displayName: null,
    });
    credentials.save(account.id, verified.credential);
    log.info('Account connected', { platform, account: account.id, updatedExisting });
    accountChanged(account.profileId);
    return { account, updatedExisting };
  };

  // The OAuth engine (RFC 8252: system browser, PKCE S256, single-use state, loopback or custom
  // scheme redirect). Mastodon and X connect through it.
  const oauth = createOAuthEngine({ urlOpener: ports.urlOpener, clock: ports.clock, fetch, log: log.child('oauth'), activeProfileId: active });
  const oauthAccounts = new OAuthAccounts({
    vault,
    accounts,
    fetch,
    clock: ports.clock,
    notifier: ports.notifier,
    log: log.child('tokens'),
    onTokenEvent(event, account, detail) {
      if (event === 'token.expiring') {
        emit('token.expiring', { accountId: account.id, profileId: account.profileId, handle: account.handle, expiresAt: detail.expiresAt!, reason: detail.reason });
      } else {
        emit('token.revoked', { accountId: account.id, profileId: account.profileId, handle: account.handle, reason: detail.reason });
      }
      accountChanged(account.profileId);
    },
  });

  const mastodon = new MastodonAdapter({
    oauth,
    oauthAccounts,
    accounts,
    apps: new MastodonAppRegistry({ vault, fetch, clock: ports.clock }),
    fetch,
    clock: ports.clock,
    env,
    log: log.child('mastodon'),
  });
  // Schedules for accounts saved in earlier runs. Mastodon tokens normally carry no expiry
  // (Mastodon's Doorkeeper sets no `access_token_expires_in`), so this arms a timer only for a
  // server that does send `expires_in`.
  oauthAccounts.trackAll(accounts.listPlatform('mastodon'));

  const xDeveloperApp = new XDeveloperAppStore(vault);
  const x = new XAdapter({ oauth, oauthAccounts, accounts, developerApp: xDeveloperApp, fetch, clock: ports.clock, env, log: log.child('x') });
  // X's access tokens last 2 hours: refresh 5 minutes ahead (docs.x.com, authorization-code),
  // also for accounts saved in earlier runs, whose schedules start here.
  oauthAccounts.setPolicy('x', xTokenPolicy);
  oauthAccounts.trackAll(accounts.listPlatform('x'));
  // The shell reports a wake from sleep as a possible connectivity change: the clock may have
  // jumped past an expiry while the timers slept.
  const stopRecheckingTokens = ports.network.onChange?.(() => oauthAccounts.recheck());
  const adapters: Record<Platform, PlatformAdapter> = { bluesky, mastodon, x, discord, slack, telegram };

  const fetchPublic = createPublicFetch({ policy: addressPolicy, network: ports.network, ...(options.publicWeb?.send ? { send: options.publicWeb.send } : {}) });
  const drafts = new DraftStore(db, ports.clock);
  const compose = new ComposeService({ drafts, accounts, settings, fetchPublic, mediaDir: path.join(dataDir, 'media') });
  const posts = new PostStore(db);
  // While the outbox drains it changes many times a second; the renderer hears of it at most
  // every 100 ms per profile, with the count as it is then.
  const changedProfiles = new Set<string>();
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  const announceOutboxChange = (profileId: string) => {
    changedProfiles.add(profileId);
    if (changeTimer) return;
    changeTimer = setTimeout(() => {
      changeTimer = undefined;
      for (const id of changedProfiles) {
        emit('outbox.changed', { profileId: id, waiting: posts.waitingCount(id) });
        emit('history.changed', { profileId: id });
      }
      changedProfiles.clear();
    }, 100);
    changeTimer.unref?.();
  };
  const outbox = new Outbox({
    store: posts,
    compose,
    drafts,
    accounts,
    adapters,
    network: ports.network,
    clock: ports.clock,
    notifier: ports.notifier,
    log: log.child('outbox'),
    postsMediaDir: path.join(dataDir, 'media', 'posts'),
    missedSchedulePolicy: () => settings.get().missedSchedule,
    onChanged: announceOutboxChange,
    onAccountChanged: (account) => accountChanged(account.profileId),
    vaultLocked: () => vault.status().locked,
  });
  wakeOutbox = () => outbox.wake();
  /** The vault just opened (a passphrase, Try again): what waited for its secrets goes on. */
  const vaultOpened = () => {
    oauthAccounts.trackAll(accounts.listPlatform('mastodon'));
    oauthAccounts.trackAll(accounts.listPlatform('x'));
    outbox.wake();
  };

  const accountOf = (id: string) => {
    const account = accounts.find(active(), id);
    if (!account) throw new AppError('not_found', 'That account is not in this profile.');
    return account;
  };

  const handlers: Handlers = {
    'app.info': () => ({ version: options.version, locale: ports.locale, timeZone: ports.timeZone }),

    'profiles.list': () => ({ profiles: profiles.list(), activeId: active() }),
    'profiles.create': ({ name }) => profiles.create(name),
    'profiles.rename': ({ id, name }) => profiles.rename(id, name),
    'profiles.switch': ({ id }) => {
      profiles.switchTo(id);
      emit('profiles.changed', { activeId: id });
      return { activeId: id };
    },

    'accounts.list': () => accounts.listActive(active()),
    'accounts.connectBluesky': async (input) => {
      vault.requireOpen(); // before signing in: the session could not be kept
      // Validate before anything touches the network.
      const handle = normalizeHandle(input.handle);
      const service = normalizeService(input.service);
      await confirmServerAddress(addressPolicy, new URL(service), input.confirm?.includes('private_address') ?? false);
      const login = await bluesky.login({
        service,
        handle,
        appPassword: input.appPassword,
        ...(input.authFactorToken ? { authFactorToken: input.authFactorToken } : {}),
      });
      const { account, updatedExisting } = accounts.upsertConnected({
        profileId: active(),
        platform: 'bluesky',
        remoteId: login.did,
        handle: login.handle,
        service,
        displayName: null,
        serverChangeConfirmed: input.confirm?.includes(connectConfirmations.account_server_changed) ?? false,
      });
      bluesky.adoptSession(account, login.stored);
      log.info('Bluesky account connected', { account: account.id, updatedExisting });
      accountChanged(account.profileId);
      return { account, updatedExisting };
    },
    'accounts.connectMastodon': async ({ instance, confirm }) => {
      // Where the requests really go (the instance, or a development override of its API).
      const server = new URL(mastodonEndpoints(instance, env).apiBase);
      await confirmServerAddress(addressPolicy, server, confirm?.includes('private_address') ?? false);
      const connected = await mastodon.connect(instance, active());
      accountChanged(connected.account.profileId);
      return connected;
    },
    'accounts.connectX': async () => {
      const connected = await x.connect(active());
      accountChanged(connected.account.profileId);
      return connected;
    },
    'accounts.completeSignIn': async ({ pastedUrl }) => {
      // The waiting connect call settles with these tokens (or this failure) by itself.
      await oauth.completeFromPastedUrl(pastedUrl, active());
      return {};
    },
    'accounts.setSpendingCap': ({ id, postsPer30Days }) => {
      const account = accountOf(id);
      if (platformRules[account.platform].defaultSpendingCap === undefined) {
        throw new AppError('invalid_input', `${platformRules[account.platform].name} does not bill per post, so it has no spending cap.`);
      }
      accounts.setSpendingCap(account.id, postsPer30Days);
      accountChanged(account.profileId);
      return accountOf(id);
    },
    'accounts.connectDiscord': async ({ webhookUrl }) => saveVerified('discord', await discord.verify(webhookUrl), discordCredentials),
    'accounts.connectSlack': async ({ webhookUrl, label }) => saveVerified('slack', await slack.verify(webhookUrl, label), slackCredentials),
    'accounts.connectTelegram': async ({ botToken, chatId }) =>
      saveVerified('telegram', await telegram.verify(botToken, chatId), telegramCredentials),
    'accounts.check': async ({ id }) => {
      const account = accountOf(id);
      // A locked vault says nothing about the account: leave its status as it is.
      vault.requireOpen();
      const check = await adapters[account.platform].checkConnection(account);
      accounts.setStatus(account.id, check.status, check.status === 'connected' ? null : check.reason);
      accountChanged(account.profileId);
      return accountOf(id);
    },
    'accounts.disconnect': async ({ id }) => {
      const account = accountOf(id);
      await adapters[account.platform].disconnect(account);
      accounts.softDelete(account.id);
      log.info('Account disconnected', { account: account.id });
      accountChanged(account.profileId);
      return {};
    },

    'drafts.list': () => compose.list(active()),
    'drafts.create': () => compose.create(active()),
    'drafts.get': ({ id }) => compose.get(active(), id),
    'drafts.save': (input) => ({ updatedAt: compose.save(active(), input) }),
    'drafts.delete': ({ id }) => {
      compose.delete(active(), id);
      return {};
    },
    'drafts.addImage': ({ draftId, bytes }) => compose.addImage(active(), draftId, bytes),
    'drafts.setImageAlt': ({ draftId, imageId, alt }) => {
      compose.setImageAlt(active(), draftId, imageId, alt);
      return {};
    },
    'drafts.removeImage': ({ draftId, imageId }) => {
      compose.removeImage(active(), draftId, imageId);
      return {};
    },
    'drafts.refreshLinkCard': ({ draftId }) => compose.refreshLinkCard(active(), draftId),
    'drafts.removeLinkCard': ({ draftId }) => {
      compose.removeLinkCard(active(), draftId);
      return {};
    },
    'drafts.preflight': ({ id }) => compose.preflight(active(), id),

    'publish.now': ({ draftId }) => outbox.publishNow(active(), draftId),
    'publish.schedule': ({ draftId, schedule }) => outbox.schedule(active(), draftId, schedule),
    'history.list': () => posts.list(active()),
    'outbox.list': () => posts.list(active(), { openOnly: true }),
    'outbox.cancel': ({ postId }) => outbox.cancel(active(), postId),
    'outbox.reschedule': ({ postId, schedule }) => outbox.reschedule(active(), postId, schedule),
    'outbox.edit': ({ postId }) => compose.get(active(), outbox.backToDraft(active(), postId)),
    'outbox.retry': ({ postId }) => outbox.retry(active(), postId),
    'outbox.resolveUnknown': ({ postId, accountId, resolution }) => outbox.resolveUnknown(active(), postId, accountId, resolution),
    'outbox.decideMissed': ({ postId, decision }) => outbox.decideMissed(active(), postId, decision),

    // X is the only platform with a developer app so far (the schema's enum says so).
    'developerApps.get': () => xDeveloperApp.describe(),
    'developerApps.save': ({ clientId, clientSecret, redirectPort }) =>
      describeXDeveloperApp(xDeveloperApp.save({ clientId, redirectPort, ...(clientSecret !== undefined ? { clientSecret } : {}) })),

    'settings.get': () => settings.get(),
    'settings.update': (changes) => settings.update(changes),

    'vault.status': () => vault.status(),
    'vault.usePassphrase': async ({ passphrase, currentPassphrase }) => {
      const status = await vault.usePassphrase(passphrase, currentPassphrase);
      emit('vault.changed', status);
      return status;
    },
    'vault.unlock': async ({ passphrase }) => {
      const status = await vault.unlock(passphrase);
      emit('vault.changed', status);
      if (!status.locked) vaultOpened();
      return status;
    },
    'vault.useSessionOnly': () => {
      const status = vault.useSessionOnly();
      emit('vault.changed', status);
      return status;
    },
    'vault.acknowledgeBackendChange': () => vault.acknowledgeBackendChange(),
    'vault.retryUnlock': async () => {
      const status = await vault.retryUnlock();
      emit('vault.changed', status);
      if (!status.locked) vaultOpened();
      return status;
    },
    'vault.forgetSignIns': async () => {
      const status = await vault.forgetSignIns();
      emit('vault.changed', status);
      accountChanged(active());
      return status;
    },

    'links.openExternal': async ({ url }) => {
      // Only https leaves the app, and only to the system browser (checklist 15).
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new AppError('invalid_input', 'That is not a web address.');
      }
      if (parsed.protocol !== 'https:') throw new AppError('invalid_input', 'Only https:// links open from Localpost.');
      // `https://bsky.app@evil.example` reads as bsky.app to a person but goes to evil.example.
      if (parsed.username || parsed.password) throw new AppError('invalid_input', 'Links with a user name in them do not open.');
      await ports.urlOpener.open(parsed.href);
      return {};
    },

    ...createDataRightsHandlers({
      dataDir,
      ports,
      exportSources: {
        profiles,
        accounts,
        drafts,
        posts,
        settings: () => settings.get(),
        mediaDir: path.join(dataDir, 'media'),
        postsMediaDir: path.join(dataDir, 'media', 'posts'),
        appVersion: options.version,
      },
      outbox,
      connectedAccounts: () => accounts.listAllConnected(),
      adapters,
      log: log.child('data'),
      closeCore: () => close(),
    }),
  };

  // Last: everything it calls exists. Resumes what an earlier run left (interrupted sends,
  // schedules that came due while Localpost was closed).
  outbox.start();

  // Once only: "Delete everything" closes the core before the shell quits, which closes it again.
  let closed = false;
  function close(): void {
    if (closed) return;
    closed = true;
    listeners.clear();
    oauth.cancelAll();
    stopRecheckingTokens?.();
    oauthAccounts.stop();
    outbox.stop();
    clearTimeout(changeTimer);
    db.close();
    logFile.close?.();
  }

  return {
    handlers,
    log,
    outbox,
    dispatch: createDispatch(handlers, { appOrigin: options.appOrigin, log: log.child('bridge') }),
    onEvent(listener) {
      const wrapped = listener as (event: EventName, payload: unknown) => void;
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    close,
  };
}
