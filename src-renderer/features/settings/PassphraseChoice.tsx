import { useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

const mismatch: BridgeError = {
  code: 'invalid_input',
  message: 'The two passphrases are different.',
  action: 'Type the same passphrase in both fields.',
};

/** Choosing a passphrase; with `change`, replacing the one that protects the vault now, which
 *  needs that current one (an unlocked window alone must not be enough to lock its owner out). */
export function PassphraseChoice({ change = false }: { change?: boolean }) {
  const protectWithPassphrase = useAppStore((s) => s.protectWithPassphrase);
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase !== repeat) return setError(mismatch);
    setBusy(true);
    const failure = await protectWithPassphrase(passphrase, change ? current : undefined);
    setBusy(false);
    setError(failure);
    if (!failure) {
      setCurrent('');
      setPassphrase('');
      setRepeat('');
    }
  };

  return (
    <form className="choice" onSubmit={(e) => void submit(e)} noValidate>
      <p className="choice-title">{change ? 'Change the passphrase' : 'Protect with a passphrase'}</p>
      <p className="field-hint">Localpost asks for it each time it starts. If you forget it, you reconnect your accounts.</p>
      {change && (
        <div className="field">
          <label htmlFor="vault-current-passphrase" className="field-label">
            Current passphrase
          </label>
          <input
            id="vault-current-passphrase"
            className="input"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="vault-passphrase" className="field-label">
          {change ? 'New passphrase' : 'Passphrase'}
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
          {change ? 'Change the passphrase' : 'Use a passphrase'}
        </button>
      </div>
    </form>
  );
}
