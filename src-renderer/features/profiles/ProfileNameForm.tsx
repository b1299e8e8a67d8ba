// One small form for both naming a new profile and renaming the current one. What was typed
// stays in the field when the core refuses it.
import { useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function ProfileNameForm({
  initialName,
  submitLabel,
  onSubmit,
  onDone,
}: {
  initialName: string;
  submitLabel: string;
  onSubmit(name: string): Promise<BridgeError | null>;
  onDone(): void;
}) {
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await onSubmit(name);
    setBusy(false);
    if (failure) return setError(failure);
    onDone();
  };

  return (
    <form className="profile-form" onSubmit={(e) => void submit(e)}>
      <label className="field-label" htmlFor="profile-name">
        Name
      </label>
      <input
        id="profile-name"
        className="input"
        value={name}
        maxLength={80}
        autoFocus
        autoComplete="off"
        onChange={(e) => setName(e.target.value)}
      />
      <div className="profile-actions">
        <button type="submit" className="button button-primary button-small" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && <ErrorAlert error={error} />}
    </form>
  );
}
