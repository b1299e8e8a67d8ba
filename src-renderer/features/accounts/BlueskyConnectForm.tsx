// Connect a Bluesky account with an app password (issue 3, items 10-12). The password lives only
// in this component's state and the one bridge call; every field keeps its value on an error so
// the user fixes one thing and presses Connect again.
import { useId, useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ExternalLink } from '../../ui/ExternalLink';
import { BlueskyLogo } from '../../ui/icons';

export const defaultBlueskyService = 'https://bsky.social';
export const appPasswordSettingsUrl = 'https://bsky.app/settings/app-passwords';
/** The shape Bluesky gives app passwords; anything else is probably the main password. */
const appPasswordPattern = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;

export interface ConnectPrefill {
  handle: string;
  service: string;
}

export function BlueskyConnectForm({
  prefill,
  onConnected,
  onCancel,
}: {
  prefill?: ConnectPrefill;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}) {
  const connectBluesky = useAppStore((s) => s.connectBluesky);
  const [handle, setHandle] = useState(prefill?.handle ?? '');
  const [appPassword, setAppPassword] = useState('');
  const [service, setService] = useState(prefill?.service ?? defaultBlueskyService);
  const [emailCode, setEmailCode] = useState('');
  const [askForEmailCode, setAskForEmailCode] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const ids = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setConnecting(true);
    setError(null);
    const code = emailCode.trim();
    const result = await connectBluesky({
      handle,
      appPassword,
      service,
      ...(askForEmailCode && code ? { authFactorToken: code } : {}),
    });
    setConnecting(false);
    if (!result.ok) {
      setError(result.error);
      if (result.error.code === 'auth_factor_required') setAskForEmailCode(true);
      return;
    }
    onConnected(result.value);
  };

  const passwordLooksWrong = appPassword !== '' && !appPasswordPattern.test(appPassword);

  return (
    <section className="card panel connect-form" aria-labelledby={`${ids}-title`}>
      <header className="panel-header">
        <span className="platform-logo" data-platform="bluesky">
          <BlueskyLogo />
        </span>
        <div>
          <h2 id={`${ids}-title`} className="panel-title">
            {prefill ? 'Reconnect Bluesky' : 'Connect Bluesky'}
          </h2>
          <p className="muted">Localpost signs in from this computer. Nothing goes through a server of ours.</p>
        </div>
      </header>

      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-handle`}>
            Handle
          </label>
          <input
            id={`${ids}-handle`}
            className="input"
            value={handle}
            placeholder="alice.bsky.social"
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby={`${ids}-handle-hint`}
            onChange={(e) => setHandle(e.target.value)}
          />
          <p id={`${ids}-handle-hint`} className="field-hint">
            Your full handle, with its domain.
          </p>
        </div>

        <div className="field">
          <label className="field-label" htmlFor={`${ids}-password`}>
            App password
          </label>
          <input
            id={`${ids}-password`}
            className="input input-mono"
            type="password"
            value={appPassword}
            placeholder="xxxx-xxxx-xxxx-xxxx"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids}-password-hint ${ids}-password-why`}
            onChange={(e) => setAppPassword(e.target.value)}
          />
          <p id={`${ids}-password-hint`} className="field-hint">
            Format <code>xxxx-xxxx-xxxx-xxxx</code>.{' '}
            <ExternalLink href={appPasswordSettingsUrl}>Create an app password in Bluesky settings</ExternalLink>
          </p>
          <p id={`${ids}-password-why`} className="field-hint">
            An app password lets Localpost post for you without ever knowing your main password, and you can revoke it at any
            time.
          </p>
          {passwordLooksWrong && (
            <p className="field-warning" aria-live="polite">
              This does not look like an app password. If it is your main password, create an app password instead; you can still
              try to connect.
            </p>
          )}
        </div>

        <div className="field">
          <label className="field-label" htmlFor={`${ids}-service`}>
            Hosting provider
          </label>
          <input
            id={`${ids}-service`}
            className="input"
            value={service}
            inputMode="url"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby={`${ids}-service-hint`}
            onChange={(e) => setService(e.target.value)}
          />
          <p id={`${ids}-service-hint`} className="field-hint">
            Leave as it is unless your account lives on another server (PDS).
          </p>
        </div>

        {askForEmailCode && (
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-email-code`}>
              Email code
            </label>
            <input
              id={`${ids}-email-code`}
              className="input input-mono"
              value={emailCode}
              autoComplete="one-time-code"
              autoFocus
              spellCheck={false}
              aria-describedby={`${ids}-email-code-hint`}
              onChange={(e) => setEmailCode(e.target.value)}
            />
            <p id={`${ids}-email-code-hint`} className="field-hint">
              Bluesky emailed you a sign-in code. Type it here and press Connect again.
            </p>
          </div>
        )}

        {error && <ErrorAlert error={error} />}

        <div className="form-actions">
          {connecting && (
            <span className="muted form-progress" role="status">
              Connecting…
            </span>
          )}
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={connecting} aria-busy={connecting}>
            Connect
          </button>
        </div>
      </form>
    </section>
  );
}
