// The NetworkState port: Chromium's view of connectivity. It can say "online" on a network that
// reaches nothing, so the core still treats a failed request as the final word.
//
// Runtime: main (shell).
import { net } from 'electron';
import type { NetworkState } from '../core/ports';

export function createElectronNetworkState(): NetworkState {
  return {
    isOnline(): boolean {
      return net.isOnline();
    },
  };
}
