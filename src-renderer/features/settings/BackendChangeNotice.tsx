// A change of OS key store is an event the user hears about, not something
// Localpost adapts to silently: it can mean the key is now less protected than before.
import { useState } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function BackendChangeNotice() {
  const change = useAppStore((s) => s.vault?.backendChange ?? null);
  const protects = useAppStore((s) => s.vault?.keyringProtects ?? true);
  const acknowledge = useAppStore((s) => s.acknowledgeBackendChange);
  const [error, setError] = useState<BridgeError | null>(null);
  if (!change) return null;

  return (
    <div className="notice notice-warning backend-change">
      <div>
        <p className="notice-title">
          The OS key store changed from <code>{change.from}</code> to <code>{change.to}</code>
        </p>
        {protects ? (
          <p>Your sign-ins may now be more or less protected than before. Settings shows how they are protected now.</p>
        ) : (
          <p>
            <code>{change.to}</code> protects nothing, so Localpost left your key with <code>{change.from}</code>. Settings → Sign-in
            storage offers a passphrase or this session only.
          </p>
        )}
        {error && <ErrorAlert error={error} />}
      </div>
      <button type="button" className="button button-small" onClick={() => void acknowledge().then(setError)}>
        OK
      </button>
    </div>
  );
}
