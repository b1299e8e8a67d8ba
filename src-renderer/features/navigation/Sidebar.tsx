// The left column: the app's mark, the profile switcher and the screens. Approvals carries the
// number of requests from AI assistants waiting for the user, Queue the number of posts not done yet.
import type { ReactNode } from 'react';
import { useAppStore } from '../../state/store';
import type { View } from '../../state/appSlice';
import { AccountsIcon, ApprovalsIcon, BrandMark, CalendarIcon, ComposeIcon, HistoryIcon, QueueIcon, SettingsIcon } from '../../ui/icons';
import { ProfileSwitcher } from '../profiles/ProfileSwitcher';

/** In this order; the keyboard's Mod+1 to Mod+9 follow it. */
export const sections: Array<{ view: View; label: string; icon: ReactNode }> = [
  { view: 'compose', label: 'Compose', icon: <ComposeIcon /> },
  { view: 'approvals', label: 'Approvals', icon: <ApprovalsIcon /> },
  { view: 'queue', label: 'Queue', icon: <QueueIcon /> },
  { view: 'calendar', label: 'Calendar', icon: <CalendarIcon /> },
  { view: 'history', label: 'History', icon: <HistoryIcon /> },
  { view: 'accounts', label: 'Accounts', icon: <AccountsIcon /> },
  { view: 'settings', label: 'Settings', icon: <SettingsIcon /> },
];

export function Sidebar() {
  const view = useAppStore((s) => s.view);
  const showView = useAppStore((s) => s.showView);
  const version = useAppStore((s) => s.appInfo?.version);
  const attention = useAppStore((s) => s.accounts?.filter((a) => a.status !== 'connected').length ?? 0);
  const waiting = useAppStore((s) => s.waitingCount);
  const asking = useAppStore((s) => s.approvalsWaiting);
  const setHelpOpen = useAppStore((s) => s.setHelpOpen);
  const counts: Partial<Record<View, { count: number; describedAs: string }>> = {
    approvals: { count: asking, describedAs: `${asking} waiting for your approval` },
    queue: { count: waiting, describedAs: `${waiting} waiting` },
  };

  return (
    <aside className="sidebar">
      <div className="brand">
        <BrandMark />
        <span className="brand-name">Localpost</span>
      </div>
      <ProfileSwitcher />
      <nav className="nav" aria-label="Sections">
        <ul>
          {sections.map((section) => {
            const count = counts[section.view];
            return (
              <li key={section.view}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={view === section.view ? 'page' : undefined}
                  // The count is the button's description, not its name, so "Queue" stays "Queue".
                  aria-describedby={count && count.count > 0 ? `${section.view}-waiting` : undefined}
                  onClick={() => showView(section.view)}
                >
                  {section.icon}
                  <span>{section.label}</span>
                  {count && count.count > 0 && (
                    <span className="nav-count" data-view={section.view} aria-hidden="true">
                      {count.count}
                    </span>
                  )}
                  {section.view === 'accounts' && attention > 0 && (
                    <span className="nav-dot" title={`${attention} need attention`} aria-hidden="true" />
                  )}
                </button>
              </li>
            );
          })}
        </ul>
        {Object.entries(counts).map(([countedView, count]) => (
          <span key={countedView} id={`${countedView}-waiting`} hidden>
            {count.describedAs}
          </span>
        ))}
      </nav>
      <footer className="sidebar-footer">
        <button type="button" className="button button-ghost button-small" aria-haspopup="dialog" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts
        </button>
        {version && <span>Localpost {version}</span>}
      </footer>
    </aside>
  );
}
