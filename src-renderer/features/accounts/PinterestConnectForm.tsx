// Connect a Pinterest account. Pinterest gives API access per developer app, so Localpost signs in
// through the user's own app, whose token request needs its secret key: without an app id and
// secret saved in Settings the form sends the user there. With them, Connect opens Pinterest's
// consent page in the system browser and waits for it, like X.
import { useEffect, useId } from 'react';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ConnectPanel, ConnectPanelHeader } from './ConnectPanel';
import { useBrowserSignIn } from './useBrowserSignIn';

export function PinterestConnectForm({
  reconnecting = false,
  onConnected,
  onCancel,
}: ConnectFormProps) {
  const developerApp = useAppStore((s) => s.developerApps.pinterest ?? null);
  const loadError = useAppStore((s) => s.developerAppErrors.pinterest ?? null);
  const loadDeveloperApp = useAppStore((s) => s.loadDeveloperApp);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const connect = useAppStore((s) => s.connect);
  const signIn = useBrowserSignIn(() => connect({ platform: 'pinterest' }), onConnected);
  const ids = useId();
  const titleId = `${ids}-title`;

  useEffect(() => {
    void loadDeveloperApp('pinterest');
  }, [loadDeveloperApp]);

  const openSettings = () => showSettingsSection('pinterest-developer-app');
  const settingsButton = (
    <button type="button" className="button button-primary" onClick={openSettings}>
      Set up your Pinterest developer app
    </button>
  );

  if (developerApp === null || developerApp.clientId === null || !developerApp.hasClientSecret) {
    return (
      <section className="card panel connect-form" aria-labelledby={titleId}>
        <ConnectPanelHeader
          platform="pinterest"
          titleId={titleId}
          reconnecting={reconnecting}
          intro="Localpost opens Pinterest’s sign-in page in your web browser, through your own Pinterest developer app."
        />
        {loadError && <ErrorAlert error={loadError} />}
        {developerApp === null && !loadError ? (
          <p className="muted" role="status">
            Looking for your Pinterest developer app…
          </p>
        ) : (
          <p className="notice notice-warning connect-note">
            Pinterest gives API access to each developer app, so Localpost pins through your own: create one at Pinterest
            Developers and save its app id and secret key in Settings first.
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          {developerApp !== null && settingsButton}
        </div>
      </section>
    );
  }

  return (
    <ConnectPanel
      platform="pinterest"
      titleId={titleId}
      reconnecting={reconnecting}
      intro="Localpost opens Pinterest’s sign-in page in your web browser. Allow access there, then come back."
      error={signIn.error}
      errorAction={signIn.error?.code === 'developer_app_missing' && settingsButton}
      connecting={signIn.connecting}
      browserSignIn
      onSubmit={() => void signIn.start({})}
      onCancel={() => signIn.stopWaiting() || onCancel()}
    >
      <dl className="facts connect-facts">
        <dt>Developer app</dt>
        <dd>
          <code>{developerApp.clientId}</code>{' '}
          <button type="button" className="button button-ghost button-small" aria-label="Change Pinterest developer app" onClick={openSettings}>
            Change
          </button>
        </dd>
        <dt>Board</dt>
        <dd>Pins go to your first board on Pinterest.</dd>
      </dl>
    </ConnectPanel>
  );
}
