import { useEffect } from 'react';
import { useAppStore } from '../../state/store';
import { ViewHeader } from '../../ui/ViewHeader';
import { PostingSettings } from './PostingSettings';
import { VaultSettings } from './VaultSettings';
import { XDeveloperAppSettings } from './XDeveloperAppSettings';
import { YourDataSettings } from './YourDataSettings';

const sectionTitleIds = { 'x-developer-app': 'x-developer-app-title', vault: 'vault-title' } as const;

export function SettingsView() {
  const appInfo = useAppStore((s) => s.appInfo);
  const takeSettingsSection = useAppStore((s) => s.takeSettingsSection);

  // Another screen sent the user here for one section (Add account → X): bring it into view and
  // move focus to its heading, so keyboard and screen-reader users land where they were sent.
  useEffect(() => {
    const section = takeSettingsSection();
    if (section === null) return;
    const heading = document.getElementById(sectionTitleIds[section]);
    (heading?.closest('section') ?? heading)?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }, [takeSettingsSection]);

  return (
    <div className="view">
      <ViewHeader title="Settings" description="These apply to every profile on this computer." />
      <PostingSettings />
      <VaultSettings />
      <XDeveloperAppSettings titleId={sectionTitleIds['x-developer-app']} />
      <YourDataSettings />
      {appInfo && (
        <section className="card panel" aria-labelledby="about-title">
          <h2 id="about-title" className="panel-title">
            About
          </h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{appInfo.version}</dd>
          </dl>
        </section>
      )}
    </div>
  );
}
