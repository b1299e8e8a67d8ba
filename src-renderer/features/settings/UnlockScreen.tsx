// Shown instead of the whole app while the vault waits for its passphrase: nothing else can be
// read until the key is unwrapped.
import { useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { BrandMark, LockIcon } from '../../ui/icons';
import { BackendChangeNotice } from './BackendChangeNotice';
import { ForgetSignIns } from './ForgetSignIns';

export function UnlockScreen() {
  const unlockVault = useAppStore((s) => s.unlockVault);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await unlockVault(passphrase);
    setBusy(false);
    setError(failure);
  };

  return (
    <main className="centered-screen">
      <div className="card unlock-card">
        <div className="brand brand-large">
          <BrandMark />
          <span className="brand-name">Localpost</span>
        </div>
        <BackendChangeNotice />
        <h1 className="unlock-title">
          <LockIcon />
          Localpost is locked
        </h1>
        <p className="muted">Your sign-ins are protected by your passphrase. Enter it to continue.</p>
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="unlock-passphrase" className="field-label">
              Passphrase
            </label>
            <input
              id="unlock-passphrase"
              className="input"
              type="password"
              autoComplete="current-password"
              autoFocus
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </div>
          {error && <ErrorAlert error={error} />}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            Unlock
          </button>
        </form>
        {/* A forgotten passphrase cannot be recovered: the way on is to start over, on purpose. */}
        <details className="unlock-forgot">
          <summary>Forgot your passphrase?</summary>
          <ForgetSignIns />
        </details>
      </div>
    </main>
  );
}
