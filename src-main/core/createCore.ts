// Builds the whole core from its ports. The Electron composition root and the test harness both
// call this, so what the tests exercise is exactly what the app runs. It only composes: it opens
// the data folder, builds the services, registers each bridge group's handlers and starts the
// outbox; the rules live with their owners.
import os from 'node:os';
import path from 'node:path';
import { createAccountHandlers } from './accounts/accountHandlers';
import { createAccountAvatars } from './accounts/accountAvatars';
import { AccountStore } from './accounts/accountStore';
import { createAppHandlers } from './app/appHandlers';
import { createDispatch, type Dispatch, type Handlers } from './bridge/dispatch';
import { createBoardHandlers } from './boards/boardHandlers';
import { createCalendarHandlers } from './calendar/calendarHandlers';
import { CalendarQuery } from './calendar/calendarQuery';
import { PostingSlotStore } from './calendar/postingSlotStore';
import { BoardStore } from './boards/boardStore';
import { createCreatorInfoHandlers } from './creatorInfo/creatorInfoHandlers';
import { ComposeService } from './compose/composeService';
import { createDraftHandlers } from './compose/draftHandlers';
import { DraftStore } from './compose/draftStore';
import { createAccountChanges, createEventHub, throttledOutboxAnnouncer, throttledProgressAnnouncer, type CoreEventListener } from './coreEvents';
import { createDataRightsHandlers } from './dataRights/dataRightsHandlers';
import { openDatabaseOrExplain } from './db/openedByVersion';
import { createDeveloperAppHandlers } from './developerApps/developerAppHandlers';
import { createAddressPolicy, type HostLookup } from './http/addressPolicy';
import { createHttpFetch } from './http/httpClient';
import { createPublicFetch, type SendPinned } from './http/publicFetch';
import { createLinkHandlers } from './links/linkHandlers';
import { MediaStorage } from './mediaStorage/mediaStorage';
import { createMediaStorageHandlers } from './mediaStorage/mediaStorageHandlers';
import { MediaStorageStore } from './mediaStorage/mediaStorageStore';
import { createLogger, fileLogSink, type LogSink, type Logger } from './log/logger';
import { MediaProcess } from './media/mediaProcess';
import { inProcessMediaTools } from './media/mediaTools';
import { Outbox } from './outbox/outbox';
import { createOutboxHandlers } from './outbox/outboxHandlers';
import { UploadProgress } from './outbox/uploadProgress';
import { PostStore } from './outbox/postStore';
import { createPlatforms } from './platforms/createPlatforms';
import type { CorePorts } from './ports';
import { createProfileHandlers } from './profiles/profileHandlers';
import { ProfileStore } from './profiles/profileStore';
import { createSettingsHandlers } from './settings/settingsHandlers';
import { AiClients } from './assistants/aiClients';
import { Approvals } from './assistants/approvals';
import { createAssistantHandlers } from './assistants/assistantHandlers';
import { defaultLocalpostCommand, McpClientSetupService, type LocalpostCommand, type UserFolders } from './assistants/mcpClientSetup';
import { loadOrCreateLoopbackCertificate, type LoopbackCertificate } from './oauth/loopbackCertificate';
import { SettingsService } from './settings/settingsService';
import { ensurePrivateDir } from './storage/privateFiles';
import { openVault } from './vault/openVault';
import { createVaultHandlers } from './vault/vaultHandlers';

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
  /** What starts `localpost mcp` on this install, for the MCP clients' configuration (the shell
   *  fills in the app's own command; `localpost mcp` by default). */
  localpostCommand?: LocalpostCommand;
  /** The user's home and config folders, where MCP clients keep their files: this process's by
   *  default; tests give a temporary one. */
  userFolders?: UserFolders;
}

export interface Core {
  dispatch: Dispatch;
  /** The core's redacting logger, for the shell to log through the same file. */
  log: Logger;
  handlers: Handlers;
  /** The outbox worker: `wake` looks for due work now, `idle` resolves when nothing is in flight. */
  outbox: Pick<Outbox, 'wake' | 'idle'>;
  /** The assistants seen through the local endpoint, each with the user's switch and its calls. */
  aiClients: Pick<AiClients, 'admit' | 'record'>;
  /** Public media in the user's own bucket, for the platforms that fetch files by address. */
  mediaStorage: Pick<MediaStorage, 'publish' | 'remove' | 'sweepLeftovers' | 'pendingKeys'>;
  onEvent(listener: CoreEventListener): () => void;
  close(): void;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir, ports } = options;
  const mediaDir = path.join(dataDir, 'media');
  const postsMediaDir = path.join(mediaDir, 'posts');
  ensurePrivateDir(dataDir);
  const logFile = fileLogSink(path.join(dataDir, 'logs'));
  const log = createLogger('core', [logFile, ...(options.extraLogSinks ?? [])]);
  const db = openDatabaseOrExplain(dataDir, options.version, ports.clock);
  const events = createEventHub();
  const { emit } = events;
  const accountChanges = createAccountChanges();
  const accountChanged = accountChanges.announce;
  accountChanges.onDidChange((profileId) => emit('accounts.changed', { profileId }));

  const profiles = new ProfileStore(db, ports.preferences, ports.clock);
  const active = () => profiles.activeId();
  const accounts = new AccountStore(db, ports.clock);
  const settings = new SettingsService(ports.preferences, ports.locale);
  const httpFetch = createHttpFetch({ fetch: ports.fetch, network: ports.network, ...(options.httpTimeoutMs ? { timeoutMs: options.httpTimeoutMs } : {}) });
  const vault = await openVault({ db, ports, log: log.child('vault'), accounts });

  const addressPolicy = createAddressPolicy({
    ...(options.publicWeb?.lookup ? { lookup: options.publicWeb.lookup } : {}),
    ...(options.allowPrivateAddressesFor ? { allowPrivateAddressesFor: options.allowPrivateAddressesFor } : {}),
  });
  // Images are decoded and videos probed in a worker process where the shell can start one.
  const mediaProcess = ports.mediaWorker ? new MediaProcess({ launcher: ports.mediaWorker, log: log.child('media') }) : undefined;
  const media = mediaProcess?.tools ?? inProcessMediaTools;
  const fetchPublic = createPublicFetch({ policy: addressPolicy, network: ports.network, ...(options.publicWeb?.send ? { send: options.publicWeb.send } : {}) });
  const avatars = createAccountAvatars({ fetchPublic, accounts, log: log.child('avatars'), media });
  // Made at the first https loopback sign-in, then read from the data folder; a failure is retried next time.
  let loopbackCertificate: Promise<LoopbackCertificate> | undefined;
  const loopbackCertificateOnce = () =>
    (loopbackCertificate ??= loadOrCreateLoopbackCertificate(dataDir, ports.clock.now()).catch((error: unknown) => {
      loopbackCertificate = undefined;
      throw error;
    }));
  const mediaStorageStore = new MediaStorageStore(vault);
  const mediaStorage = new MediaStorage({ store: mediaStorageStore, db, fetch: httpFetch, clock: ports.clock, log: log.child('media-storage') });
  const platforms = createPlatforms({
    vault,
    accounts,
    fetch: httpFetch,
    ports,
    env: options.env ?? {},
    addressPolicy,
    log,
    activeProfileId: active,
    avatars,
    emit,
    accountChanged,
    loopbackCertificate: loopbackCertificateOnce,
    mediaStorage,
    media,
    settings: () => settings.get(),
  });
  const { adapters, connect, oauth, developerApps, developerAppTests } = platforms;

  // What a crash left in the user's bucket goes now, or once the vault opens (it holds the keys).
  const sweepMediaStorage = () => {
    if (vault.status().locked) return;
    mediaStorage.sweepLeftovers().catch((error: unknown) => log.warn('Media storage sweep failed', { error: String(error) }));
  };

  // Whether a bucket is saved, for preflight: while the vault is locked nobody can tell (the bucket
  // is in it), and the post waits for the vault anyway, so preflight does not refuse it for that.
  const mediaStorageSavedOrUnknown = () => vault.status().locked || mediaStorageStore.read() !== null;
  const drafts = new DraftStore(db, ports.clock);
  const compose = new ComposeService({ drafts, accounts, settings, fetchPublic, mediaDir, filePicker: ports.filePicker, media, mediaStorageSaved: mediaStorageSavedOrUnknown });
  const posts = new PostStore(db);
  const outboxChanges = throttledOutboxAnnouncer(emit, (profileId) => posts.waitingCount(profileId));
  const progress = new UploadProgress();
  const progressChanges = throttledProgressAnnouncer(emit, active);
  const outbox = new Outbox({
    store: posts, compose, drafts, accounts, adapters, postsMediaDir, progress,
    network: ports.network, clock: ports.clock, notifier: ports.notifier, log: log.child('outbox'),
    missedSchedulePolicy: () => settings.get().missedSchedule,
    onChanged: outboxChanges.announce,
    onProgress: progressChanges.announce,
    onAccountChanged: (account) => accountChanged(account.profileId),
    vaultLocked: () => vault.status().locked,
  });
  const postingSlots = new PostingSlotStore(db);
  const aiClients = new AiClients(db, ports.clock);
  const approvals = new Approvals({
    db,
    clock: ports.clock,
    notifier: ports.notifier,
    log: log.child('approvals'),
    compose,
    publish: { now: (profileId, draftId) => outbox.publishNow(profileId, draftId), schedule: (profileId, draftId, schedule) => outbox.schedule(profileId, draftId, schedule) },
    findPost: (profileId, postId) => posts.get(profileId, postId) ?? null,
    onChanged: (profileId, waiting) => emit('approvals.changed', { profileId, waiting }),
  });
  // A reconnected account may release posts held for it: the outbox looks again.
  accountChanges.onDidChange(() => outbox.wake());

  const handlers: Handlers = {
    ...createAppHandlers({ version: options.version, ports }),
    ...createProfileHandlers({ profiles, emit }),
    ...createAccountHandlers({ accounts, vault, adapters, connect, oauth, activeProfileId: active, accountChanged, log }),
    ...createBoardHandlers({ boards: new BoardStore(db, ports.clock), accounts, vault, adapters, activeProfileId: active }),
    ...createCreatorInfoHandlers({ accounts, vault, adapters, activeProfileId: active }),
    ...createDraftHandlers({ compose, activeProfileId: active }),
    ...createOutboxHandlers({ outbox, posts, compose, progress, clock: ports.clock, activeProfileId: active }),
    ...createCalendarHandlers({ calendar: new CalendarQuery(db), slots: postingSlots, outbox, compose, progress, clock: ports.clock, activeProfileId: active }),
    ...createDeveloperAppHandlers({ developerApps, tests: developerAppTests }),
    ...createMediaStorageHandlers({ store: mediaStorageStore, mediaStorage }),
    ...createSettingsHandlers({ settings }),
    ...createAssistantHandlers({
      approvals,
      aiClients,
      mcpClients: new McpClientSetupService(options.localpostCommand ?? defaultLocalpostCommand, options.userFolders ?? processUserFolders()),
      activeProfileId: active,
    }),
    ...createVaultHandlers({
      vault,
      emit,
      // What waited for the vault's secrets goes on.
      opened: () => {
        platforms.trackSavedGrants();
        outbox.wake();
        sweepMediaStorage();
      },
      signInsForgotten: () => accountChanged(active()),
    }),
    ...createLinkHandlers({ ports }),
    ...createDataRightsHandlers({
      dataDir,
      ports,
      exportSources: { profiles, accounts, drafts, posts, postingSlots, settings: () => settings.get(), mediaDir, postsMediaDir, appVersion: options.version },
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
  sweepMediaStorage();

  // Once only: "Delete everything" closes the core before the shell quits, which closes it again.
  let closed = false;
  function close(): void {
    if (closed) return;
    closed = true;
    events.clear();
    platforms.stop();
    outbox.stop();
    mediaProcess?.stop();
    outboxChanges.stop();
    progressChanges.stop();
    db.close();
    log.flush();
    logFile.close?.();
  }

  return {
    handlers,
    log,
    outbox,
    mediaStorage,
    aiClients,
    dispatch: createDispatch(handlers, { appOrigin: options.appOrigin, log: log.child('bridge') }),
    onEvent: events.onEvent,
    close,
  };
}

function processUserFolders(): UserFolders {
  return { home: os.homedir(), platform: process.platform, ...(process.env.APPDATA ? { appData: process.env.APPDATA } : {}), ...(process.env.XDG_CONFIG_HOME ? { xdgConfigHome: process.env.XDG_CONFIG_HOME } : {}) };
}
