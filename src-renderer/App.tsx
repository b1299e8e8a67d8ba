// The app's frame: start-up, the unlock screen while the vault waits for its passphrase, then the
// sidebar and the current screen.
import { useEffect } from 'react';
import { AccountAlerts } from './features/accounts/AccountAlerts';
import { AccountsView } from './features/accounts/AccountsView';
import { ApprovalsView } from './features/approvals/ApprovalsView';
import { CalendarView } from './features/calendar/CalendarView';
import { ComposeView } from './features/composer/ComposeView';
import { PublishAnnouncer } from './features/composer/PublishAnnouncer';
import { HistoryView } from './features/history/HistoryView';
import { Sidebar } from './features/navigation/Sidebar';
import { useWindowTitle } from './features/navigation/useWindowTitle';
import { QueueView } from './features/queue/QueueView';
import { BackendChangeNotice } from './features/settings/BackendChangeNotice';
import { SettingsView } from './features/settings/SettingsView';
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

export function App() {
  const start = useAppStore((s) => s.start);
  const phase = useAppStore((s) => s.startupPhase);
  const startupError = useAppStore((s) => s.startupError);
  const locked = useAppStore((s) => waitsForPassphrase(s.vault));
  useWindowTitle();
  useTheme();

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
  switch (view) {
    case 'compose':
      return <ComposeView />;
    case 'approvals':
      return <ApprovalsView />;
    case 'queue':
      return <QueueView />;
    case 'calendar':
      return <CalendarView />;
    case 'accounts':
      return <AccountsView />;
    case 'history':
      return <HistoryView />;
    case 'settings':
      return <SettingsView />;
  }
}
