// The window's title says how many posts are not done yet: Electron's window title follows the
// page's, so the count shows in the task bar and window switcher while Localpost is behind
// another window.
import { useEffect } from 'react';
import { useAppStore } from '../../state/store';

export function useWindowTitle(): void {
  const waiting = useAppStore((s) => s.waitingCount);
  useEffect(() => {
    document.title = waiting > 0 ? `Localpost (${waiting} waiting)` : 'Localpost';
  }, [waiting]);
}
