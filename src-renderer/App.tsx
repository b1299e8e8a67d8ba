// The app's frame: start-up, the unlock screen while the vault waits for its passphrase, then the
// sidebar and the current screen.
//
// The first screen is the composer: its code comes with the page. Every other screen's code is a
// chunk of its own, loaded when the browser is idle after start-up (so that opening one later
// finds it there) or when it is first shown, whichever comes first.
import { Suspense, useEffect, type ComponentType } from 'react';
import { AccountAlerts } from './features/accounts/AccountAlerts';
import { ComposeView } from './features/composer/ComposeView';
import { PublishAnnouncer } from './features/composer/PublishAnnouncer';
import { Sidebar } from './features/navigation/Sidebar';
import { useWindowTitle } from './features/navigation/useWindowTitle';
import { BackendChangeNotice } from './features/settings/BackendChangeNotice';
import { KeyboardShortcuts } from './features/shortcuts/KeyboardShortcuts';
import { UnlockScreen } from './features/settings/UnlockScreen';
import { useTheme } from './features/settings/useTheme';
import { VaultLockedNotice } from './features/settings/VaultLockedNotice';
import { subscribeToBridgeEvents } from './state/bridgeEvents';
import { flushDraftsWhenLeaving } from './state/flushOnLeave';
import { watchNetworkStatus } from './state/networkStatus';
import { waitsForPassphrase } from './state/settingsSlice';
import { useAppStore } from './state/store';
import { ErrorAlert } from './ui/ErrorAlert';
import { BrandMark } from './ui/icons';
import { lazyComponent } from './ui/lazyComponent';
import type { View } from './state/appSlice';

/** Each screen but the composer: how to load its code. */
const laterScreens = {
  approvals: () => import('./features/approvals/ApprovalsView').then((m) => m.ApprovalsView),
  queue: () => import('./features/queue/QueueView').then((m) => m.QueueView),
  calendar: () => import('./features/calendar/CalendarView').then((m) => m.CalendarView),
  accounts: () => import('./features/accounts/AccountsView').then((m) => m.AccountsView),
  history: () => import('./features/history/HistoryView').then((m) => m.HistoryView),
  settings: () => import('./features/settings/SettingsView').then((m) => m.SettingsView),
} satisfies Record<Exclude<View, 'compose'>, () => Promise<ComponentType>>;

const screens: Record<View, ComponentType> = {
  compose: ComposeView,
  approvals: lazyComponent(laterScreens.approvals),
  queue: lazyComponent(laterScreens.queue),
  calendar: lazyComponent(laterScreens.calendar),
  accounts: lazyComponent(laterScreens.accounts),
  history: lazyComponent(laterScreens.history),
  settings: lazyComponent(laterScreens.settings),
};

/** Loads the other screens' code once the browser has nothing else to do (an import is loaded once). */
function loadLaterScreensWhenIdle(): () => void {
  const load = () => {
    for (const screen of Object.values(laterScreens)) void screen().catch(() => {});
  };
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(load, { timeout: 2_000 });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(load, 500);
  return () => clearTimeout(timer);
}

export function App() {
  const start = useAppStore((s) => s.start);
  const phase = useAppStore((s) => s.startupPhase);
  const startupError = useAppStore((s) => s.startupError);
  const locked = useAppStore((s) => waitsForPassphrase(s.vault));
  useWindowTitle();
  useTheme();

  useEffect(() => (phase === 'ready' ? loadLaterScreensWhenIdle() : undefined), [phase]);

  useEffect(() => {
    const unsubscribe = subscribeToBridgeEvents();
    const stopFlushing = flushDraftsWhenLeaving();
    const stopWatchingNetwork = watchNetworkStatus();
    void start();
    return () => {
      unsubscribe();
      stopFlushing();
      stopWatchingNetwork();
    };
  }, [start]);

  if (phase === 'failed' && startupError) {
    return (
      <main className="centered-screen">
        <div className="card unlock-card">
          <h1 className="unlock-title">Localpost could not start</h1>
          <ErrorAlert error={startupError} />
          <button type="button" className="button button-primary button-block" onClick={() => void start()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (phase === 'starting') {
    return (
      <main className="centered-screen" aria-busy="true">
        <div className="splash">
          <BrandMark />
          <p className="muted">Opening Localpost…</p>
        </div>
      </main>
    );
  }
  if (locked) return <UnlockScreen />;

  return (
    <div className="app-shell">
      <Sidebar />
      <main className="main">
        <AccountAlerts />
        <BackendChangeNotice />
        <VaultLockedNotice />
        <CurrentView />
        <PublishAnnouncer />
      </main>
      <KeyboardShortcuts />
    </div>
  );
}

function CurrentView() {
  const view = useAppStore((s) => s.view);
  const Screen = screens[view];
  // While a screen's code is still on its way (only if it is opened before the browser was idle
  // once): the main area stays empty for that moment, busy for assistive technology.
  return (
    <Suspense fallback={<div className="screen-loading" aria-busy="true" />}>
      <Screen />
    </Suspense>
  );
}
