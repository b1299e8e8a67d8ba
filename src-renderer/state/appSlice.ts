// App-wide state that belongs to no feature: which screen is shown, how far start-up got, and
// what the core says about itself.
import type { DeveloperAppPlatform } from '../../src-shared/developerApps';
import { api, call, type BridgeError } from '../bridge';
import { waitsForPassphrase } from './settingsSlice';
import type { SliceCreator } from './types';

export type View = 'compose' | 'approvals' | 'queue' | 'calendar' | 'history' | 'accounts' | 'settings';

/** Fields a keyboard shortcut puts the focus in: the post's text, the History search. */
export type FocusTarget = 'postText' | 'historySearch';

/** A part of Settings another screen can send the user to (Add account → X needs the developer
 *  app; the composer's media.storage_missing needs the bucket); its heading's id is `<section>-title`. */
export type SettingsSection = `${DeveloperAppPlatform}-developer-app` | 'vault' | 'media-storage' | 'ai-assistants';

/** starting: asking the vault; ready: data loaded (or the unlock screen is up); failed: no core. */
export type StartupPhase = 'starting' | 'ready' | 'failed';

export interface AppInfo {
  version: string;
  locale: string;
  /** The system's IANA time zone: where a schedule starts. */
  timeZone: string;
}

export interface AppSlice {
  view: View;
  startupPhase: StartupPhase;
  startupError: BridgeError | null;
  appInfo: AppInfo | null;
  /** The OS says this computer is online (navigator.onLine). */
  online: boolean;
  /** The Settings section to bring into view next, once Settings has shown it. */
  settingsSection: SettingsSection | null;
  /** A field a shortcut asked for, focused by its screen once the screen shows it (its code may
   *  have to be fetched first); dropped when another screen is asked for meanwhile. */
  focusRequest: FocusTarget | null;
  showView(view: View): void;
  requestFocus(target: FocusTarget): void;
  /** Whether `target` was asked for since last time (and no longer). */
  takeFocusRequest(target: FocusTarget): boolean;
  /** The keyboard shortcuts' help sheet is open. */
  helpOpen: boolean;
  setHelpOpen(open: boolean): void;
  setOnline(online: boolean): void;
  showSettingsSection(section: SettingsSection): void;
  takeSettingsSection(): SettingsSection | null;
  /** Asks the vault first: while it is locked, nothing else but the settings (not in it) can be read. */
  start(): Promise<void>;
  loadEverything(): Promise<void>;
  /** What the first screen, the composer, shows: profiles, accounts, drafts, and the latest draft opened. */
  loadFirstScreen(): Promise<void>;
  /** The other screens' lists (History, Queue, Approvals, posting slots), and the Sidebar's counts from them. */
  loadOtherScreens(): Promise<void>;
}

export const createAppSlice: SliceCreator<AppSlice> = (set, get) => {
  // React's strict mode mounts twice; two start-ups racing would load every list twice.
  let starting: Promise<void> | null = null;

  return {
    view: 'compose',
    startupPhase: 'starting',
    startupError: null,
    appInfo: null,
    online: true,
    settingsSection: null,
    focusRequest: null,
    helpOpen: false,

    showView(view) {
      // Leaving the composer is a natural moment to write what was typed, not only after 300 ms.
      if (get().view === 'compose' && view !== 'compose') void get().flushComposer();
      set({ view, focusRequest: null });
    },

    requestFocus(target) {
      set({ focusRequest: target });
    },

    takeFocusRequest(target) {
      if (get().focusRequest !== target) return false;
      set({ focusRequest: null });
      return true;
    },

    setHelpOpen(open) {
      set({ helpOpen: open });
    },

    setOnline(online) {
      if (get().online !== online) set({ online });
    },

    showSettingsSection(section) {
      set({ settingsSection: section });
      get().showView('settings');
    },

    takeSettingsSection() {
      const section = get().settingsSection;
      if (section !== null) set({ settingsSection: null });
      return section;
    },

    start() {
      starting ??= (async () => {
        set({ startupPhase: 'starting', startupError: null });
        // Settings are not in the vault: read them first, so the theme the user chose applies
        // on the unlock screen too.
        const [vault] = await Promise.all([call(api.vault.status({})), get().loadSettings()]);
        if (!vault.ok) {
          starting = null;
          return set({ startupPhase: 'failed', startupError: vault.error });
        }
        set({ vault: vault.value });
        if (waitsForPassphrase(vault.value)) return set({ startupPhase: 'ready' });
        // The composer is up as soon as its own data is in; the other screens' lists are asked
        // for after it, so that the core answers the composer's calls first.
        await get().loadFirstScreen();
        set({ startupPhase: 'ready' });
        await get().loadOtherScreens();
      })();
      return starting;
    },

    async loadEverything() {
      await get().loadFirstScreen();
      await get().loadOtherScreens();
    },

    async loadFirstScreen() {
      const info = call(api.app.info({})).then((result) => {
        if (result.ok) set({ appInfo: result.value });
      });
      // All at once: the core answers each for its active profile, whichever the renderer knows.
      // The latest draft is opened as soon as the list names it (what ComposeView would ask for
      // once shown), so the composer appears with it rather than a moment before it.
      const drafts = get()
        .loadDrafts()
        .then(() => (get().view === 'compose' && get().drafts !== null ? get().ensureDraftOpen() : undefined));
      await Promise.all([info, get().loadProfiles(), get().loadAccounts(), drafts]);
    },

    async loadOtherScreens() {
      await Promise.all([get().loadHistory(), get().loadOutbox(), get().loadApprovals(), get().loadPostingSlots()]);
    },
  };
};
