// Connect a Mastodon account (issue 4, items 10 and 20): the user names an instance; the core
// registers Localpost there and opens the instance's sign-in page in the system browser (never in
// this window: RFC 8252 §8.12). The bridge call lasts until the browser answers, so the form says
// where the user has to go, and Cancel stops waiting here (the core's loopback listener closes on
// its own timeout, and a second Connect replaces the first sign-in).
import { useId, useRef, useState } from 'react';
import type { BridgeError } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ConnectField, ConnectPanel } from './ConnectPanel';

export function MastodonConnectForm({
  reconnecting = false,
  instance: initialInstance,
  onConnected,
  onCancel,
}: {
  reconnecting?: boolean;
  /** The account's instance when reconnecting (not a secret). */
  instance?: string | undefined;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}) {
  const connectMastodon = useAppStore((s) => s.connectMastodon);
  const [instance, setInstance] = useState(initialInstance ?? '');
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  // Each Connect gets a number; an answer for an attempt the user cancelled (or replaced) is ignored.
  const attempt = useRef(0);
  const ids = useId();

  const submit = async () => {
    const mine = ++attempt.current;
    setConnecting(true);
    setError(null);
    const result = await connectMastodon({ instance: instance.trim() });
    if (attempt.current !== mine) return;
    setConnecting(false);
    if (!result.ok) return setError(result.error);
    onConnected(result.value);
  };

  const cancel = () => {
    if (!connecting) return onCancel();
    attempt.current++;
    setConnecting(false);
  };

  return (
    <ConnectPanel
      platform="mastodon"
      titleId={`${ids}-title`}
      reconnecting={reconnecting}
      intro="Localpost opens your instance’s sign-in page in your web browser. Allow access there, then come back."
      error={error}
      connecting={connecting}
      progress="Finish signing in in your browser…"
      onSubmit={() => void submit()}
      onCancel={cancel}
    >
      <ConnectField
        id={`${ids}-instance`}
        label="Instance"
        value={instance}
        onChange={setInstance}
        inputMode="url"
        maxLength={300}
        placeholder="mastodon.social"
        hints={['mastodon.social, a full address, or @you@instance.']}
      />
    </ConnectPanel>
  );
}
