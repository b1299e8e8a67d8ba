// One platform's developer app, drawn from its spec (src-shared/developerApps.ts): the Client ID,
// the Client secret (typed once and never shown back; the core only says whether one is saved),
// and the redirect: for a platform that compares redirect URIs character for character, the port
// and the exact URI to register (an https one, said in one sentence, for a platform that takes
// only https addresses); for one that accepts any loopback port, what (if anything) to register,
// and no port.
import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  canConnectWithDeveloperApp,
  hasChosenPort,
  httpsRedirectExplanation,
  maxRedirectPort,
  minRedirectPort,
  redirectToRegister,
  type DeveloperAppSpec,
} from '../../../src-shared/developerApps';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { CopyField } from '../../ui/CopyField';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ExternalLink } from '../../ui/ExternalLink';
import { ConnectField } from '../accounts/ConnectField';

export function DeveloperAppSettings({ spec, titleId }: { spec: DeveloperAppSpec; titleId: string }) {
  const { platform, name } = spec;
  const app = useAppStore((s) => s.developerApps[platform] ?? null);
  const loadError = useAppStore((s) => s.developerAppErrors[platform] ?? null);
  const loadDeveloperApp = useAppStore((s) => s.loadDeveloperApp);
  const saveDeveloperApp = useAppStore((s) => s.saveDeveloperApp);
  const testDeveloperApp = useAppStore((s) => s.testDeveloperApp);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [port, setPort] = useState('');
  const [switches, setSwitches] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState<'saving' | 'removing' | 'testing' | null>(null);
  const [tested, setTested] = useState<{ ok: true; message: string } | { ok: false; error: BridgeError } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const filled = useRef(false);
  const ids = useId();
  const connectable = canConnectWithDeveloperApp(platform);

  // Read afresh on every visit: the store may hold what another screen read earlier.
  useEffect(() => {
    void loadDeveloperApp(platform).then(() => setLoaded(true));
  }, [loadDeveloperApp, platform]);

  const fixedPort = hasChosenPort(spec.redirect);
  const httpsRedirect = spec.redirect.kind === 'httpsLoopbackPort';
  const portNumber = /^\d+$/.test(port.trim()) ? Number(port.trim()) : NaN;
  // Where any port is accepted there is no field, and the saved port is sent back unchanged.
  const portValid = !fixedPort || (Number.isInteger(portNumber) && portNumber >= minRedirectPort && portNumber <= maxRedirectPort);
  // The URI follows the port as it is typed, built by the same function as the core's.
  const register = app ? redirectToRegister(spec.redirect, fixedPort && portValid ? portNumber : app.redirectPort) : null;
  const unsavedPort = app !== null && fixedPort && portValid && portNumber !== app.redirectPort;

  // The fields start from what is saved, once; later saves leave what the user typed alone.
  useEffect(() => {
    if (!app || !loaded || filled.current) return;
    filled.current = true;
    setClientId(app.clientId ?? '');
    setPort(String(app.redirectPort));
    setSwitches(app.switches);
  }, [app, loaded]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!app) return;
    if (!portValid) {
      return setError({
        code: 'invalid_input',
        message: `The redirect port is a number from ${minRedirectPort} to ${maxRedirectPort}.`,
        action: `Use the port in the redirect URI you registered with ${name}.`,
      });
    }
    setBusy('saving');
    setError(null);
    setSaved(null);
    const secret = clientSecret.trim();
    const failure = await saveDeveloperApp(platform, {
      clientId: clientId.trim(),
      redirectPort: fixedPort ? portNumber : app.redirectPort,
      ...(secret ? { clientSecret: secret } : {}),
      ...(spec.switches ? { switches } : {}),
    });
    setBusy(null);
    setError(failure);
    if (failure) return;
    setClientSecret('');
    if (!clientId.trim()) setSaved('Saved.');
    else if (connectable) setSaved(`Saved. You can connect ${spec.anAccount} under Accounts.`);
    else setSaved(`Saved. Connecting ${name} accounts is not available yet; your app is ready for it.`);
  };

  // A result speaks of what was typed when it was asked; a change makes it stale.
  useEffect(() => setTested(null), [clientId, clientSecret, port, switches]);

  // Tests what the form holds (the saved secret where none is typed), so a typo shows before Save.
  const testCredentials = async () => {
    if (!app) return;
    setBusy('testing');
    setTested(null);
    const secret = clientSecret.trim();
    const result = await testDeveloperApp(platform, {
      clientId: clientId.trim(),
      redirectPort: fixedPort && portValid ? portNumber : app.redirectPort,
      ...(secret ? { clientSecret: secret } : {}),
      ...(spec.switches ? { switches } : {}),
    });
    setBusy(null);
    setTested(result);
  };
  // Only a client that authenticates can be told apart from a wrong one; an id alone proves little.
  const testable = connectable && clientId.trim() !== '' && (clientSecret.trim() !== '' || app?.hasClientSecret === true);

  const removeSecret = async () => {
    if (!app) return;
    setBusy('removing');
    setError(null);
    setSaved(null);
    const failure = await saveDeveloperApp(platform, { clientId: app.clientId ?? '', redirectPort: app.redirectPort, clientSecret: '' });
    setBusy(null);
    setError(failure);
    if (!failure) setSaved('The client secret is removed.');
  };

  const secretState = app?.hasClientSecret ? (
    <span className="secret-state">
      <span className="badge" data-tone="good">
        saved
      </span>
      <span>A client secret is saved. Leave this empty to keep it, or type a new one to replace it.</span>
    </span>
  ) : spec.clientSecret.required ? (
    `Required: ${name} asks for it with every sign-in.`
  ) : (
    spec.clientSecret.whenNone
  );

  return (
    <div className="developer-app" role="tabpanel" id={`${platform}-developer-app-panel`} aria-labelledby={`${platform}-developer-app-tab`}>
      <h3 id={titleId} className="panel-title" tabIndex={-1}>
        {name} developer app
      </h3>
      <div className="panel-intro">
        <p>{spec.why}</p>
        {spec.caveats && (
          <ul className="notice notice-warning developer-app-caveats" aria-label={`Before you use ${name}`}>
            {spec.caveats.map((caveat) => (
              <li key={caveat}>{caveat}</li>
            ))}
          </ul>
        )}
        {!connectable && (
          <p className="notice notice-warning" role="note">
            Connecting {name} accounts is not available in this version of Localpost yet. You can register and save your app now.
          </p>
        )}
        <p className="muted">
          In the <ExternalLink href={spec.portal.url}>{spec.portal.name}</ExternalLink>, create an app
          {spec.appType && (
            <>
              {' '}
              of type <strong>{spec.appType}</strong>
            </>
          )}
          {spec.products.length > 0 && (
            <>
              , add the {spec.products.length === 1 ? 'product' : 'products'} <Listed items={spec.products} as="strong" />
            </>
          )}
          {register ? ', register the redirect URI below exactly as shown' : ''}, allow the scopes <Listed items={spec.scopes} as="code" />, then copy its
          Client ID{spec.clientSecret.required ? ' and Client secret' : ''} here.
        </p>
      </div>

      {loadError && <ErrorAlert error={loadError} />}
      {app && loaded && (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <ConnectField
            id={`${ids}-client-id`}
            label="Client ID"
            value={clientId}
            maxLength={200}
            onChange={setClientId}
            hints={[
              <>
                Under your app’s <strong>{spec.credentialsAt.tab}</strong>, “{spec.credentialsAt.heading}”.
              </>,
            ]}
          />

          <div className="field">
            <ConnectField
              id={`${ids}-client-secret`}
              label="Client secret"
              value={clientSecret}
              maxLength={500}
              secret
              placeholder={app.hasClientSecret ? 'Saved, not shown' : undefined}
              onChange={setClientSecret}
              hints={[secretState]}
            />
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

          <div className="field">
            <div className="form-actions form-actions-start">
              <button
                type="button"
                className="button button-small"
                disabled={busy !== null || !testable}
                aria-busy={busy === 'testing'}
                aria-describedby={`${ids}-test-result`}
                onClick={() => void testCredentials()}
              >
                Test these credentials
              </button>
              <span id={`${ids}-test-result`} className="secret-state" role="status">
                {busy === 'testing' ? (
                  <span className="muted">Asking {name}…</span>
                ) : tested?.ok ? (
                  <>
                    <span className="badge" data-tone="good">
                      accepted
                    </span>
                    <span>{tested.message}</span>
                  </>
                ) : !testable && connectable && !spec.clientSecret.required && clientId.trim() !== '' ? (
                  <span className="muted">An app without a Client secret is checked when you connect.</span>
                ) : null}
              </span>
            </div>
            {tested && !tested.ok && <ErrorAlert error={tested.error} onDismiss={() => setTested(null)} />}
          </div>

          {fixedPort && (
            <div className="field field-narrow">
              <label htmlFor={`${ids}-port`} className="field-label">
                Redirect port
              </label>
              <input
                id={`${ids}-port`}
                className="input"
                type="number"
                inputMode="numeric"
                min={minRedirectPort}
                max={maxRedirectPort}
                step={1}
                value={port}
                aria-describedby={`${ids}-port-hint`}
                aria-invalid={port !== '' && !portValid}
                onChange={(e) => setPort(e.target.value)}
              />
              <p id={`${ids}-port-hint`} className="field-hint">
                {name} accepts only the exact address it has on file, so Localpost listens on this one port. Change it only if another
                program uses it.
              </p>
            </div>
          )}

          {register && (
            <CopyField
              id={`${ids}-redirect-uri`}
              label="Redirect URI"
              value={register.uri}
              hint={
                unsavedPort
                  ? `Register this address as the ${register.as} of your ${name} app. Save to use the new port.`
                  : `Register this address as the ${register.as} of your ${name} app, character for character.`
              }
            />
          )}
          {register && httpsRedirect && <p className="field-hint">{httpsRedirectExplanation}</p>}
          {!register && (
            <p className="field-hint">
              Nothing to register for the redirect: {name} accepts a sign-in on any port of this computer’s loopback address, and
              Localpost listens on a free one each time.
            </p>
          )}

          {spec.switches?.map((option) => (
            <div key={option.id} className="check-field">
              <input
                id={`${ids}-switch-${option.id}`}
                type="checkbox"
                className="checkbox"
                checked={switches[option.id] === true}
                aria-describedby={`${ids}-switch-${option.id}-hint`}
                onChange={(e) => setSwitches((current) => ({ ...current, [option.id]: e.target.checked }))}
              />
              <div>
                <label htmlFor={`${ids}-switch-${option.id}`} className="check-label">
                  {option.label}
                </label>
                <p id={`${ids}-switch-${option.id}-hint`} className="field-hint">
                  {option.why}
                </p>
              </div>
            </div>
          ))}

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
    </div>
  );
}

/** "a", "a and b", "a, b and c", each item in its own element. */
function Listed({ items, as: Tag }: { items: readonly string[]; as: 'code' | 'strong' }) {
  return items.map((item, index) => (
    <Fragment key={item}>
      <Tag>{item}</Tag>
      {index < items.length - 2 ? ', ' : index === items.length - 2 ? ' and ' : ''}
    </Fragment>
  ));
}
