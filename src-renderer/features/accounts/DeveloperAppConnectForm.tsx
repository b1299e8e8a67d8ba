// Connect an account of a platform that posts only through the user's own developer app (X,
// LinkedIn, and the others as they arrive). Without the app's credentials saved in Settings there is
// nothing to sign in with, so the form says why (the platform's spec) and leads there; with them,
// Connect opens the platform's consent page in the system browser and waits for it, like Mastodon.
import { useEffect, useId, type ReactNode } from 'react';
import { developerAppSpecs, type DeveloperAppPlatform, type DeveloperAppSpec } from '../../../src-shared/developerApps';
import type { Platform } from '../../bridge';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ConnectPanel, ConnectPanelHeader } from './ConnectPanel';
import { useBrowserSignIn } from './useBrowserSignIn';

export interface DeveloperAppConnectFormProps extends ConnectFormProps {
  /** A platform with both a developer app and an account to connect. */
  platform: Extract<DeveloperAppPlatform, Platform>;
  /** Why the platform needs the user's own app, and what to save first, when none is saved. */
  needsApp: ReactNode;
  /** What else to know before connecting (X's cost per post, LinkedIn's 60-day sign-in). */
  facts: ReactNode;
}

export function DeveloperAppConnectForm({ platform, needsApp, facts, reconnecting = false, onConnected, onCancel }: DeveloperAppConnectFormProps) {
  const spec: DeveloperAppSpec = developerAppSpecs[platform];
  const { name } = spec;
  const developerApp = useAppStore((s) => s.developerApps[platform] ?? null);
  const loadError = useAppStore((s) => s.developerAppErrors[platform] ?? null);
  const loadDeveloperApp = useAppStore((s) => s.loadDeveloperApp);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const connect = useAppStore((s) => s.connect);
  const signIn = useBrowserSignIn(() => connect({ platform }), onConnected);
  const ids = useId();
  const titleId = `${ids}-title`;

  useEffect(() => {
    void loadDeveloperApp(platform);
  }, [loadDeveloperApp, platform]);

  const openSettings = () => showSettingsSection(`${platform}-developer-app`);
  const settingsButton = (
    <button type="button" className="button button-primary" onClick={openSettings}>
      Set up your {name} developer app
    </button>
  );

  if (developerApp === null || developerApp.clientId === null) {
    return (
      <section className="card panel connect-form" aria-labelledby={titleId}>
        <ConnectPanelHeader
          platform={platform}
          titleId={titleId}
          reconnecting={reconnecting}
          intro={`Localpost opens ${name}’s sign-in page in your web browser, through your own ${name} developer app.`}
        />
        {loadError && <ErrorAlert error={loadError} />}
        {developerApp === null && !loadError ? (
          <p className="muted" role="status">
            Looking for your {name} developer app…
          </p>
        ) : (
          <p className="notice notice-warning connect-note">{needsApp}</p>
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
      platform={platform}
      titleId={titleId}
      reconnecting={reconnecting}
      intro={`Localpost opens ${name}’s sign-in page in your web browser. Allow access there, then come back.`}
      error={signIn.error}
      errorAction={signIn.error?.code === 'developer_app_missing' && settingsButton}
      connecting={signIn.connecting}
      browserSignIn
      httpsLanding={spec.redirect.kind === 'httpsLoopbackPort'}
      onSubmit={() => void signIn.start({})}
      onCancel={() => signIn.stopWaiting() || onCancel()}
    >
      <dl className="facts connect-facts">
        <dt>Developer app</dt>
        <dd>
          <code>{developerApp.clientId}</code>{' '}
          <button type="button" className="button button-ghost button-small" aria-label={`Change ${name} developer app`} onClick={openSettings}>
            Change
          </button>
        </dd>
        {facts}
      </dl>
    </ConnectPanel>
  );
}
