// The state of a sign-in that happens in the system browser (Mastodon, X). The bridge call lasts
// until the browser answers, so Cancel only stops waiting here: each Connect gets a number, and an
// answer for an attempt the user cancelled (or replaced) is ignored. The core's loopback listener
// closes on its own timeout, and a second Connect replaces the first sign-in.
import { useRef, useState } from 'react';
import type { BridgeError, Result } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';

export interface BrowserSignIn {
  connecting: boolean;
  error: BridgeError | null;
  start(): Promise<void>;
  /** Stops waiting; returns false when there was nothing to stop. */
  stopWaiting(): boolean;
}

export function useBrowserSignIn(
  connect: () => Promise<Result<ConnectedAccount>>,
  onConnected: (connected: ConnectedAccount) => void,
): BrowserSignIn {
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const attempt = useRef(0);

  return {
    connecting,
    error,
    async start() {
      const mine = ++attempt.current;
      setConnecting(true);
      setError(null);
      const result = await connect();
      if (attempt.current !== mine) return;
      setConnecting(false);
      if (!result.ok) return setError(result.error);
      onConnected(result.value);
    },
    stopWaiting() {
      if (!connecting) return false;
      attempt.current++;
      setConnecting(false);
      return true;
    },
  };
}
