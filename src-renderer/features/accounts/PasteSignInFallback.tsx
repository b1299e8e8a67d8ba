// When the browser cannot reach Localpost after consent (a firewall, a browser on another
// machine, a redirect the platform sends elsewhere), the user copies the address the browser
// landed on and pastes it here; the core checks it against the sign-in that is waiting (state,
// PKCE) and the waiting Connect settles as if the redirect had arrived (RFC 8252 leaves the
// transport to the app; SPEC, "paste the address you landed on"). The address carries a one-time
// code, so it lives only in this component's state and the one bridge call.
import { useId, useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ChevronIcon } from '../../ui/icons';
import { ConnectField } from './ConnectField';

const addressMissing: BridgeError = {
  code: 'invalid_input',
  message: 'Paste the address from your browser first.',
  action: 'Copy the whole address from the browser’s address bar after you allowed access.',
};

/**
 * `httpsLanding`: the platform redirects to Localpost's https loopback address, whose certificate
 * Localpost made itself, so the browser warns before it gets there. Pasting is then an equal way to
 * finish, not a rescue: the form is open from the start and says what the browser will show.
 */
export function PasteSignInFallback({ httpsLanding = false }: { httpsLanding?: boolean }) {
  const completeSignIn = useAppStore((s) => s.completeSignIn);
  const [open, setOpen] = useState(httpsLanding);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [finishing, setFinishing] = useState(false);
  const ids = useId();
  const panelId = `${ids}-panel`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (address.trim() === '') return setError(addressMissing);
    setFinishing(true);
    setError(null);
    // On success the waiting Connect settles and the form that holds this one goes away.
    const failure = await completeSignIn(address);
    setFinishing(false);
    setError(failure);
  };

  return (
    <div className="paste-fallback">
      {httpsLanding && (
        <p className="notice connect-note" role="note">
          Your browser will warn that the connection to localhost is not private: the certificate is one Localpost made on this
          computer, not one a browser knows. Continue to localhost, or copy the address your browser shows and paste it below;
          either finishes the sign-in.
        </p>
      )}
      <button
        type="button"
        className="disclosure"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <ChevronIcon />
        {httpsLanding ? 'Paste the address from your browser' : 'Browser did not come back to Localpost?'}
      </button>
      <form
        id={panelId}
        className="form paste-fallback-form"
        hidden={!open}
        onSubmit={(e) => void submit(e)}
        noValidate
      >
          <ConnectField
            id={`${ids}-address`}
            label="Address from the browser"
            value={address}
            onChange={setAddress}
            inputMode="url"
            maxLength={4096}
            placeholder={httpsLanding ? 'https://localhost:…/callback?code=…' : 'http://127.0.0.1:…/callback?code=…'}
            hints={[
              httpsLanding
                ? 'After you allowed access, copy the whole address from your browser’s address bar, even from the warning page, and paste it here.'
                : 'After you allowed access, copy the whole address from your browser’s address bar, even if the page shows an error, and paste it here.',
              'Do it soon: the code in it is valid for a short time only (some platforms, for 30 seconds).',
            ]}
          />
          {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
          <div className="form-actions">
            {finishing && (
              <span className="muted form-progress" role="status">
                Finishing sign-in…
              </span>
            )}
            <button type="submit" className="button" disabled={finishing} aria-busy={finishing}>
              Finish sign-in
            </button>
          </div>
      </form>
    </div>
  );
}
