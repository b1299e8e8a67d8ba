// The window's title says how many assistant requests wait for approval and how many posts are
// not done yet: Electron's window title follows the page's, so the counts show in the task bar and
// window switcher while Localpost is behind another window.
import { useEffect } from 'react';
import { useAppStore } from '../../state/store';

export function useWindowTitle(): void {
  const waiting = useAppStore((s) => s.waitingCount);
  const asking = useAppStore((s) => s.approvalsWaiting);
  useEffect(() => {
    const counts = [asking > 0 ? `${asking} to approve` : null, waiting > 0 ? `${waiting} waiting` : null].filter((count) => count !== null);
    document.title = counts.length > 0 ? `Localpost (${counts.join(', ')})` : 'Localpost';
  }, [waiting, asking]);
}
