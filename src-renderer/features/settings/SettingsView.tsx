import { useEffect, useState } from 'react';
import { developerAppPlatforms, type DeveloperAppPlatform } from '../../../src-shared/developerApps';
import { useAppStore } from '../../state/store';
import { ViewHeader } from '../../ui/ViewHeader';
import { PostingSettings } from './PostingSettings';
import { VaultSettings } from './VaultSettings';
import { DeveloperAppsSettings } from './DeveloperAppsSettings';
import { MediaStorageSettings } from './MediaStorageSettings';
import { YourDataSettings } from './YourDataSettings';

export function SettingsView() {
  const appInfo = useAppStore((s) => s.appInfo);
  const takeSettingsSection = useAppStore((s) => s.takeSettingsSection);
  // The developer app a screen sent the user to opens as the selected tab, already on first render.
  const [developerAppPlatform] = useState<DeveloperAppPlatform>(
    () => developerAppPlatforms.find((platform) => useAppStore.getState().settingsSection === `${platform}-developer-app`) ?? developerAppPlatforms[0],
  );

  // Another screen sent the user here for one section (Add account → X): bring it into view and
  // move focus to its heading, so keyboard and screen-reader users land where they were sent.
  useEffect(() => {
    const section = takeSettingsSection();
    if (section === null) return;
    const heading = document.getElementById(`${section}-title`);
    (heading?.closest('section') ?? heading)?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }, [takeSettingsSection]);

  return (
    <div className="view">
      <ViewHeader title="Settings" description="These apply to every profile on this computer." />
      <PostingSettings />
      <VaultSettings />
      <DeveloperAppsSettings initialPlatform={developerAppPlatform} />
      <MediaStorageSettings />
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
