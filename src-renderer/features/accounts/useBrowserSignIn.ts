// The state of a sign-in that happens in the system browser (Mastodon, X). The bridge call lasts
// until the browser answers, so Cancel only stops waiting here: each Connect gets a number, and an
// answer for an attempt the user cancelled (or replaced) is ignored. The core's loopback listener
// closes on its own timeout, and a second Connect replaces the first sign-in. A connect that asks
// for a yes first (connectConfirmation) is sent again, same input, by `confirm`.
import { useRef, useState } from 'react';
import type { BridgeError, ConnectConfirmation, Result } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { withConfirmation } from './connectConfirmation';

export interface BrowserSignIn<I> {
  connecting: boolean;
  error: BridgeError | null;
  start(input: I): Promise<void>;
  /** Connect anyway: the last input again, with this confirmation added. */
  confirm(confirmation: ConnectConfirmation): Promise<void>;
  /** Cancel on a question: forgets the error, keeps the form. */
  dismissQuestion(): void;
  /** Stops waiting; returns false when there was nothing to stop. */
  stopWaiting(): boolean;
}

export function useBrowserSignIn<I extends { confirm?: ConnectConfirmation[] | undefined }>(
  connect: (input: I) => Promise<Result<ConnectedAccount>>,
  onConnected: (connected: ConnectedAccount) => void,
): BrowserSignIn<I> {
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const attempt = useRef(0);
  const lastInput = useRef<I | null>(null);

  const start = async (input: I) => {
    lastInput.current = input;
    const mine = ++attempt.current;
    setConnecting(true);
    setError(null);
    const result = await connect(input);
    if (attempt.current !== mine) return;
    setConnecting(false);
    if (!result.ok) return setError(result.error);
    onConnected(result.value);
  };

  return {
    connecting,
    error,
    start,
    async confirm(confirmation) {
      if (lastInput.current) await start(withConfirmation(lastInput.current, confirmation));
    },
    dismissQuestion: () => setError(null),
    stopWaiting() {
      if (!connecting) return false;
      attempt.current++;
      setConnecting(false);
      return true;
    },
  };
}
