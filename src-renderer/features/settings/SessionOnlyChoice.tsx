import { useState } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function SessionOnlyChoice() {
  const keepSignInsForSessionOnly = useAppStore((s) => s.keepSignInsForSessionOnly);
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async () => {
    setBusy(true);
    setError(await keepSignInsForSessionOnly());
    setBusy(false);
  };

  return (
    <div className="choice">
      <p className="choice-title">Nothing on disk</p>
      <p className="field-hint">
        Sign-ins stay in memory and are forgotten when Localpost quits. Drafts and history are kept; you reconnect accounts after
        each restart.
      </p>
      {error && <ErrorAlert error={error} />}
      <div className="form-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void choose()}>
          Keep sign-ins for this session only
        </button>
      </div>
    </div>
  );
}
