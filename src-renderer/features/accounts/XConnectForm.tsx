// Connect an X account. X bills every post to the developer app that makes it, so Localpost signs
// in through the user's own app (docs.x.com, x-api/getting-started/pricing): without a Client ID
// saved in Settings there is nothing to sign in with, and the form sends the user there instead.
// With one, Connect opens X's consent page in the system browser and waits for it, like Mastodon.
import { useEffect, useId } from 'react';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ConnectPanel, ConnectPanelHeader } from './ConnectPanel';
import { useBrowserSignIn } from './useBrowserSignIn';

export function XConnectForm({
  reconnecting = false,
  onConnected,
  onCancel,
}: ConnectFormProps) {
  const developerApp = useAppStore((s) => s.developerApps.x ?? null);
  const loadError = useAppStore((s) => s.developerAppErrors.x ?? null);
  const loadDeveloperApp = useAppStore((s) => s.loadDeveloperApp);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const connect = useAppStore((s) => s.connect);
  const signIn = useBrowserSignIn(() => connect({ platform: 'x' }), onConnected);
  const ids = useId();
  const titleId = `${ids}-title`;

  useEffect(() => {
    void loadDeveloperApp('x');
  }, [loadDeveloperApp]);

  const openSettings = () => showSettingsSection('x-developer-app');
  const settingsButton = (
    <button type="button" className="button button-primary" onClick={openSettings}>
      Set up your X developer app
    </button>
  );

  if (developerApp === null || developerApp.clientId === null) {
    return (
      <section className="card panel connect-form" aria-labelledby={titleId}>
        <ConnectPanelHeader
          platform="x"
          titleId={titleId}
          reconnecting={reconnecting}
          intro="Localpost opens X’s sign-in page in your web browser, through your own X developer app."
        />
        {loadError && <ErrorAlert error={loadError} />}
        {developerApp === null && !loadError ? (
          <p className="muted" role="status">
            Looking for your X developer app…
          </p>
        ) : (
          <p className="notice notice-warning connect-note">
            X bills every post to the developer app that makes it, so Localpost posts through your own: create one in the X
            Developer Console and save its Client ID in Settings first.
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
      platform="x"
      titleId={titleId}
      reconnecting={reconnecting}
      intro="Localpost opens X’s sign-in page in your web browser. Allow access there, then come back."
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
          <button type="button" className="button button-ghost button-small" aria-label="Change X developer app" onClick={openSettings}>
            Change
          </button>
        </dd>
        <dt>Cost</dt>
        <dd>
          X charges your developer app for each post (about $0.015, or $0.20 with a link). Localpost stops at the spending cap
          you set for each account in Accounts.
        </dd>
      </dl>
    </ConnectPanel>
  );
}
