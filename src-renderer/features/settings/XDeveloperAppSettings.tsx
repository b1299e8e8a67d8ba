// The user's own X developer app (docs.x.com, x-api/getting-started/pricing): X bills every post to
// the app that makes it, so there is no shared Localpost app to sign in with. The user registers a
// "Native App", types its Client ID here (and a Client secret only for a confidential "Web App"
// client), and registers the redirect URI shown here exactly: X compares it character for character.
// The secret is typed once and never shown back; the core only says whether one is saved.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ExternalLink } from '../../ui/ExternalLink';

export const xDeveloperConsoleUrl = 'https://developer.x.com/en/portal/dashboard';
/** What Localpost asks X for (docs.x.com, authorization-code; openapi.json security): posting
 *  needs the first three, images media.write, and only offline.access brings a refresh token. */
export const xScopes = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];

const minPort = 1024;
const maxPort = 65535;

export function XDeveloperAppSettings({ titleId }: { titleId: string }) {
  const app = useAppStore((s) => s.xDeveloperApp);
  const loadError = useAppStore((s) => s.xDeveloperAppError);
  const loadXDeveloperApp = useAppStore((s) => s.loadXDeveloperApp);
  const saveXDeveloperApp = useAppStore((s) => s.saveXDeveloperApp);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [port, setPort] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState<'saving' | 'removing' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  const redirectUriField = useRef<HTMLInputElement>(null);
  const [loaded, setLoaded] = useState(false);
  const filled = useRef(false);
  const ids = useId();

  // Read afresh on every visit: the store may hold what another screen read earlier.
  useEffect(() => {
    void loadXDeveloperApp().then(() => setLoaded(true));
  }, [loadXDeveloperApp]);

  const portNumber = /^\d+$/.test(port.trim()) ? Number(port.trim()) : NaN;
  const portValid = Number.isInteger(portNumber) && portNumber >= minPort && portNumber <= maxPort;
  const redirectUri = app ? redirectUriFor(app.redirectUri, portValid ? portNumber : app.redirectPort) : '';
  const unsavedPort = app !== null && portValid && portNumber !== app.redirectPort;

  // "Copied" speaks of the address that was copied, not of one the port has changed since.
  useEffect(() => setCopied(null), [redirectUri]);

  // The fields start from what is saved, once; later saves leave what the user typed alone.
  useEffect(() => {
    if (!app || !loaded || filled.current) return;
    filled.current = true;
    setClientId(app.clientId ?? '');
    setPort(String(app.redirectPort));
  }, [app, loaded]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!portValid) {
      return setError({
        code: 'invalid_input',
        message: `The redirect port is a number from ${minPort} to ${maxPort}.`,
        action: 'Use the port in the redirect URI you registered with X.',
      });
    }
    setBusy('saving');
    setError(null);
    setSaved(null);
    const secret = clientSecret.trim();
    const failure = await saveXDeveloperApp({
      clientId: clientId.trim(),
      redirectPort: portNumber,
      ...(secret ? { clientSecret: secret } : {}),
    });
    setBusy(null);
    setError(failure);
    if (failure) return;
    setClientSecret('');
    setSaved(clientId.trim() ? 'Saved. You can connect an X account under Accounts.' : 'Saved.');
  };

  const removeSecret = async () => {
    if (!app) return;
    setBusy('removing');
    setError(null);
    setSaved(null);
    const failure = await saveXDeveloperApp({ clientId: app.clientId ?? '', redirectPort: app.redirectPort, clientSecret: '' });
    setBusy(null);
    setError(failure);
    if (!failure) setSaved('The client secret is removed.');
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(redirectUri);
      setCopied('copied');
    } catch {
      // The async clipboard can be refused: the shell denies every permission request, and
      // Electron asks for `clipboard-sanitized-write`. Copying the selection from this click still
      // works; failing that, the address is left selected to copy by hand.
      redirectUriField.current?.select();
      setCopied(copySelection() ? 'copied' : 'select');
    }
  };

  return (
    <section className="card panel" aria-labelledby={titleId}>
      <h2 id={titleId} className="panel-title" tabIndex={-1}>
        X developer app
      </h2>
      <div className="panel-intro">
        <p>
          X bills every post to the developer app that sends it, so Localpost posts through your own app: the cost goes to your X
          developer account, where you can see it.
        </p>
        <p className="muted">
          In the <ExternalLink href={xDeveloperConsoleUrl}>X Developer Console</ExternalLink>, create an app of type{' '}
          <strong>Native App</strong>, register the redirect URI below exactly as shown, allow the scopes{' '}
          {xScopes.map((scope, index) => (
            <span key={scope}>
              <code>{scope}</code>
              {index < xScopes.length - 2 ? ', ' : index === xScopes.length - 2 ? ' and ' : ''}
            </span>
          ))}
          , then copy its Client ID here.
        </p>
      </div>

      {loadError && <ErrorAlert error={loadError} />}
      {app && loaded && (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-client-id`} className="field-label">
              Client ID
            </label>
            <input
              id={`${ids}-client-id`}
              className="input input-mono"
              type="text"
              value={clientId}
              maxLength={200}
              autoComplete="off"
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              aria-describedby={`${ids}-client-id-hint`}
              onChange={(e) => setClientId(e.target.value)}
            />
            <p id={`${ids}-client-id-hint`} className="field-hint">
              Under your app’s <strong>Keys and tokens</strong>, “OAuth 2.0 Client ID and Client Secret”.
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${ids}-client-secret`} className="field-label">
              Client secret
            </label>
            <input
              id={`${ids}-client-secret`}
              className="input input-mono"
              type="password"
              value={clientSecret}
              maxLength={500}
              autoComplete="off"
              placeholder={app.hasClientSecret ? 'Saved, not shown' : undefined}
              aria-describedby={`${ids}-client-secret-hint`}
              onChange={(e) => setClientSecret(e.target.value)}
            />
            <div id={`${ids}-client-secret-hint`} className="field-hint secret-state">
              {app.hasClientSecret ? (
                <>
                  <span className="badge" data-tone="good">
                    saved
                  </span>
                  <span>A client secret is saved. Leave this empty to keep it, or type a new one to replace it.</span>
                </>
              ) : (
                <span>A Native App has none: leave this empty. Only a confidential (Web App) client has a secret.</span>
              )}
            </div>
            {app.hasClientSecret && (
              <div className="form-actions form-actions-start">
                <button
                  type="button"
                  className="button button-small button-quiet-danger"
                  disabled={busy !== null}
                  onClick={() => void removeSecret()}
                >
                  Remove saved secret
                </button>
              </div>
            )}
          </div>

          <div className="field field-narrow">
            <label htmlFor={`${ids}-port`} className="field-label">
              Redirect port
            </label>
            <input
              id={`${ids}-port`}
              className="input"
              type="number"
              inputMode="numeric"
              min={minPort}
              max={maxPort}
              step={1}
              value={port}
              aria-describedby={`${ids}-port-hint`}
              aria-invalid={port !== '' && !portValid}
              onChange={(e) => setPort(e.target.value)}
            />
            <p id={`${ids}-port-hint`} className="field-hint">
              X accepts only the exact address it has on file, so Localpost listens on this one port. Change it only if another
              program uses it.
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${ids}-redirect-uri`} className="field-label">
              Redirect URI
            </label>
            <div className="copy-field">
              <input
                ref={redirectUriField}
                id={`${ids}-redirect-uri`}
                className="input input-mono"
                type="text"
                value={redirectUri}
                readOnly
                aria-describedby={`${ids}-redirect-uri-hint`}
                onFocus={(e) => e.target.select()}
              />
              <button type="button" className="button" onClick={() => void copy()}>
                Copy
              </button>
            </div>
            <p id={`${ids}-redirect-uri-hint`} className="field-hint" aria-live="polite">
              {copied === 'copied'
                ? 'Copied'
                : copied === 'select'
                  ? 'Localpost could not reach the clipboard: the address is selected, copy it with Ctrl+C (⌘C on a Mac).'
                  : unsavedPort
                    ? 'Register this address as the callback URI of your X app. Save to use the new port.'
                    : 'Register this address as the callback URI of your X app, character for character.'}
            </p>
          </div>

          {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
          <div className="form-actions">
            {saved && (
              <span className="muted form-progress" role="status">
                {saved}
              </span>
            )}
            <button type="submit" className="button button-primary" disabled={busy !== null} aria-busy={busy === 'saving'}>
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function copySelection(): boolean {
  try {
    // Deprecated, but the one copy that needs no permission, only the user's click.
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** The core's redirect URI with another port: the shape stays the core's, only the port is the user's. */
function redirectUriFor(savedUri: string, port: number): string {
  try {
    const url = new URL(savedUri);
    url.port = String(port);
    return url.href;
  } catch {
    return savedUri;
  }
}
