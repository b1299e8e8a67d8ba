// The one way saved sign-ins are deleted: the user's explicit choice, for a key store that stays
// locked or a forgotten passphrase. It cannot happen by accident: the first button only opens a
// second step, where the user types FORGET before the destructive button works, and focus lands
// on the text field, not on that button.
import { useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { TypedConfirmationField } from '../../ui/TypedConfirmationField';

const confirmWord = 'FORGET';

export function ForgetSignIns() {
  const forgetSignIns = useAppStore((s) => s.forgetSignIns);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed !== confirmWord) return;
    setBusy(true);
    setError(await forgetSignIns());
    setBusy(false);
  };

  if (!confirming) {
    return (
      <div className="choice">
        <p className="choice-title">Forget my sign-ins</p>
        <p className="field-hint">
          Only if the key cannot be had again. Every saved sign-in is deleted and you reconnect each account. Drafts, the queue and
          history are kept.
        </p>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Forget my sign-ins…
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="choice" onSubmit={(e) => void submit(e)} noValidate>
      <p className="choice-title">Forget every saved sign-in?</p>
      <p className="field-hint">This cannot be undone. Every account will need to be reconnected.</p>
      <TypedConfirmationField id="forget-confirm" word={confirmWord} value={typed} onChange={setTyped} />
      {error && <ErrorAlert error={error} />}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => (setConfirming(false), setTyped(''))}>
          Keep them
        </button>
        <button type="submit" className="button button-danger" disabled={busy || typed !== confirmWord}>
          Forget my sign-ins
        </button>
      </div>
    </form>
  );
}
