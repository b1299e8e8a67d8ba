import { useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

const mismatch: BridgeError = {
  code: 'invalid_input',
  message: 'The two passphrases are different.',
  action: 'Type the same passphrase in both fields.',
};

export function PassphraseChoice() {
  const protectWithPassphrase = useAppStore((s) => s.protectWithPassphrase);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase !== repeat) return setError(mismatch);
    setBusy(true);
    const failure = await protectWithPassphrase(passphrase);
    setBusy(false);
    setError(failure);
    if (!failure) {
      setPassphrase('');
      setRepeat('');
    }
  };

  return (
    <form className="choice" onSubmit={(e) => void submit(e)} noValidate>
      <p className="choice-title">Protect with a passphrase</p>
      <p className="field-hint">Localpost asks for it each time it starts. If you forget it, you reconnect your accounts.</p>
      <div className="field">
        <label htmlFor="vault-passphrase" className="field-label">
          Passphrase
        </label>
        <input
          id="vault-passphrase"
          className="input"
          type="password"
          autoComplete="new-password"
          value={passphrase}
          aria-describedby="vault-passphrase-hint"
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <p id="vault-passphrase-hint" className="field-hint">
          At least 8 characters.
        </p>
      </div>
      <div className="field">
        <label htmlFor="vault-passphrase-repeat" className="field-label">
          Type it again
        </label>
        <input
          id="vault-passphrase-repeat"
          className="input"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </div>
      {error && <ErrorAlert error={error} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Use a passphrase
        </button>
      </div>
    </form>
  );
}
