// Settings → Your data: see it (the data folder in the file manager), take it (an export in a
// folder the user picks) or erase it. Erasing asks twice in ways a stray click cannot answer: the
// button opens a confirmation, whose own button stays disabled until DELETE is typed.
import { useState, type FormEvent } from 'react';
import type { BridgeError, DataExportOutcome } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { TypedConfirmationField } from '../../ui/TypedConfirmationField';

/** The word the core also checks (src-main/core/dataRights). */
const confirmationWord = 'DELETE';

export function YourDataSettings() {
  return (
    <section className="card panel" aria-labelledby="your-data-title">
      <h2 id="your-data-title" className="panel-title">
        Your data
      </h2>
      <p className="field-hint">
        Everything Localpost keeps is in one folder on this computer: the database (drafts, history, accounts and their encrypted
        sign-ins), images, the log and preferences. Nothing is kept anywhere else.
      </p>
      <div className="data-actions">
        <ShowDataFolder />
        <ExportData />
        <EraseEverything />
      </div>
    </section>
  );
}

function ShowDataFolder() {
  const showDataFolder = useAppStore((s) => s.showDataFolder);
  const [error, setError] = useState<BridgeError | null>(null);
  return (
    <div className="data-action">
      <div>
        <p className="choice-title">Data folder</p>
        <p className="field-hint">Opens it in your file manager.</p>
        {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
      </div>
      <button type="button" className="button" onClick={() => void showDataFolder().then(setError)}>
        Show data folder
      </button>
    </div>
  );
}

function ExportData() {
  const exportData = useAppStore((s) => s.exportData);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Extract<DataExportOutcome, { outcome: 'saved' }> | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    const result = await exportData();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    if (result.value.outcome === 'saved') setSaved(result.value);
  };

  return (
    <div className="data-action">
      <div>
        <p className="choice-title">Export my data</p>
        <p className="field-hint">
          Drafts, posts with where each one went, accounts, profiles and settings as one JSON file, with the images beside it, in a
          folder you choose. No password, token or webhook address is in it. It is not encrypted: keep it somewhere private.
        </p>
        {saved && (
          <p className="notice notice-success" role="status">
            Saved “{saved.folderName}”: {count(saved.drafts, 'draft')}, {count(saved.posts, 'post')}, {count(saved.accounts, 'account')},{' '}
            {count(saved.mediaFiles, 'image')}.
          </p>
        )}
        {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
      </div>
      <button type="button" className="button" disabled={busy} onClick={() => void run()}>
        {busy ? 'Exporting…' : 'Export my data…'}
      </button>
    </div>
  );
}

function EraseEverything() {
  const eraseEverything = useAppStore((s) => s.eraseEverything);
  const [confirming, setConfirming] = useState(false);
  const [revoke, setRevoke] = useState(true);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);

  const cancel = () => {
    setConfirming(false);
    setTyped('');
    setError(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed !== confirmationWord) return;
    setBusy(true);
    const failure = await eraseEverything(revoke, typed);
    // On success the page is replaced by a fresh start; only a refusal lands here.
    if (failure) {
      setBusy(false);
      setError(failure);
    }
  };

  return (
    <div className="data-action data-action-danger">
      <div>
        <p className="choice-title">Delete everything</p>
        <p className="field-hint">
          Removes every sign-in, draft, post in History, image, the log and your preferences from this computer, in every profile,
          and starts Localpost afresh. Posts already published stay on their platforms.
        </p>
      </div>
      {!confirming && (
        <button type="button" className="button button-quiet-danger" onClick={() => setConfirming(true)}>
          Delete everything…
        </button>
      )}
      {confirming && (
        <form className="erase-confirm" aria-labelledby="erase-confirm-title" onSubmit={(e) => void submit(e)} noValidate>
          <p id="erase-confirm-title" className="warning-title">
            This cannot be undone
          </p>
          <p>Export your data first if you want to keep any of it. Posts waiting in the Queue will not go out.</p>
          <div className="check-field">
            <input
              id="erase-revoke"
              type="checkbox"
              className="checkbox"
              checked={revoke}
              aria-describedby="erase-revoke-hint"
              onChange={(e) => setRevoke(e.target.checked)}
            />
            <div>
              <label htmlFor="erase-revoke" className="check-label">
                Sign out at each platform first
              </label>
              <p id="erase-revoke-hint" className="field-hint">
                Where a platform can end Localpost’s sign-in, Localpost asks it to. Webhooks and bots have no sign-in to end: they are
                only forgotten here.
              </p>
            </div>
          </div>
          <TypedConfirmationField
            id="erase-confirmation"
            className="field field-narrow"
            word={confirmationWord}
            value={typed}
            onChange={setTyped}
            disabled={busy}
          />
          {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
          <div className="form-actions">
            {busy && (
              <span className="muted form-progress" role="status">
                {revoke ? 'Signing out and deleting…' : 'Deleting…'}
              </span>
            )}
            <button type="button" className="button" disabled={busy} onClick={cancel}>
              Cancel
            </button>
            <button type="submit" className="button button-danger" disabled={busy || typed !== confirmationWord}>
              Delete everything
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
