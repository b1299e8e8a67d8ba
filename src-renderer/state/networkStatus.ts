// Whether this computer is online, as Chromium sees it (the same OS signal the shell gives the
// core). The core does not attempt anything while offline, so a post queued then has no error to
// explain itself with; this lets its line say it waits for the network.
import { useAppStore } from './store';

export function watchNetworkStatus(): () => void {
  const update = () => useAppStore.getState().setOnline(navigator.onLine);
  update();
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  return () => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  };
}
