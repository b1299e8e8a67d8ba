// The NetworkState port: Chromium's view of connectivity. It can say "online" on a network that
// reaches nothing, so the core still treats a failed request as the final word.
//
// Main has no online/offline event, so a change is noticed by polling `net.isOnline()` (cheap: it
// reads Chromium's cached state) and by the system waking from sleep, after which the network is
// often back and scheduled posts are due.
//
// Runtime: main (shell).
import { net, powerMonitor } from 'electron';
import type { NetworkState } from '../core/ports';

const pollIntervalMs = 5_000;

export function createElectronNetworkState(): NetworkState {
  return {
    isOnline(): boolean {
      return net.isOnline();
    },
    onChange(listener) {
      let last = net.isOnline();
      const timer = setInterval(() => {
        const now = net.isOnline();
        if (now !== last) listener();
        last = now;
      }, pollIntervalMs);
      timer.unref();
      powerMonitor.on('resume', listener);
      return () => {
        clearInterval(timer);
        powerMonitor.off('resume', listener);
      };
    },
  };
}
