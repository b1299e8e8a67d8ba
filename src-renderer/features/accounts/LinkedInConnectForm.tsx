// Connect a LinkedIn account. LinkedIn lets an app post for a member only once the app has the
// "Share on LinkedIn" product, so Localpost signs in through the user's own app: without its Client
// ID and Client Secret saved in Settings there is nothing to sign in with, and the form sends the
// user there instead. With them, Connect opens LinkedIn's consent page in the system browser.
import { useEffect, useId } from 'react';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ConnectPanel, ConnectPanelHeader } from './ConnectPanel';
import { useBrowserSignIn } from './useBrowserSignIn';

export function LinkedInConnectForm({ reconnecting = false, onConnected, onCancel }: ConnectFormProps) {
  const developerApp = useAppStore((s) => s.developerApps.linkedin ?? null);
  const loadError = useAppStore((s) => s.developerAppErrors.linkedin ?? null);
  const loadDeveloperApp = useAppStore((s) => s.loadDeveloperApp);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const connect = useAppStore((s) => s.connect);
  const signIn = useBrowserSignIn(() => connect({ platform: 'linkedin' }), onConnected);
  const ids = useId();
  const titleId = `${ids}-title`;

  useEffect(() => {
    void loadDeveloperApp('linkedin');
  }, [loadDeveloperApp]);

  const openSettings = () => showSettingsSection('linkedin-developer-app');
  const settingsButton = (
    <button type="button" className="button button-primary" onClick={openSettings}>
      Set up your LinkedIn developer app
    </button>
  );

  if (developerApp === null || developerApp.clientId === null) {
    return (
      <section className="card panel connect-form" aria-labelledby={titleId}>
        <ConnectPanelHeader
          platform="linkedin"
          titleId={titleId}
          reconnecting={reconnecting}
          intro="Localpost opens LinkedIn’s sign-in page in your web browser, through your own LinkedIn developer app."
        />
        {loadError && <ErrorAlert error={loadError} />}
        {developerApp === null && !loadError ? (
          <p className="muted" role="status">
            Looking for your LinkedIn developer app…
          </p>
        ) : (
          <p className="notice notice-warning connect-note">
            LinkedIn lets an app post for you only once it has the Share on LinkedIn product, so Localpost posts through your own:
            create one in the LinkedIn Developer Portal and save its Client ID and Client Secret in Settings first.
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
      platform="linkedin"
      titleId={titleId}
      reconnecting={reconnecting}
      intro="Localpost opens LinkedIn’s sign-in page in your web browser. Allow access there, then come back."
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
          <button type="button" className="button button-ghost button-small" aria-label="Change LinkedIn developer app" onClick={openSettings}>
            Change
          </button>
        </dd>
        <dt>Sign-in</dt>
        <dd>LinkedIn’s sign-in lasts 60 days; Localpost reminds you a week ahead to connect again.</dd>
      </dl>
    </ConnectPanel>
  );
}
