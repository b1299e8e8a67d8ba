import { useEffect, useRef, useState } from 'react';
import { developerAppPlatforms, type DeveloperAppPlatform } from '../../../src-shared/developerApps';
import { useAppStore } from '../../state/store';
import { ViewHeader } from '../../ui/ViewHeader';
import { PostingSettings } from './PostingSettings';
import { AppearanceSettings } from './AppearanceSettings';
import { VaultSettings } from './VaultSettings';
import { DeveloperAppsSettings } from './DeveloperAppsSettings';
import { MediaStorageSettings } from './MediaStorageSettings';
import { AiAssistantsSettings } from './AiAssistantsSettings';
import { YourDataSettings } from './YourDataSettings';

/** What the user does that ends keeping a section in view: they have taken over. */
const userActions = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;

export function SettingsView() {
  const appInfo = useAppStore((s) => s.appInfo);
  const takeSettingsSection = useAppStore((s) => s.takeSettingsSection);
  // The developer app a screen sent the user to opens as the selected tab, already on first render.
  const [developerAppPlatform] = useState<DeveloperAppPlatform>(
    () => developerAppPlatforms.find((platform) => useAppStore.getState().settingsSection === `${platform}-developer-app`) ?? developerAppPlatforms[0],
  );

  // Another screen sent the user here for one section (Add account → X): bring it into view and
  // move focus to its heading, so keyboard and screen-reader users land where they were sent. The
  // sections above it fill in as their settings arrive and would push it down, so it is kept in
  // view while they settle (a second at most), unless the user scrolls or acts first.
  const view = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const section = takeSettingsSection();
    if (section === null) return;
    const heading = document.getElementById(`${section}-title`);
    const target = heading?.closest('section') ?? heading;
    if (!target) return;
    const bringIntoView = () => target.scrollIntoView({ block: 'start' });
    bringIntoView();
    heading?.focus();
    const settling = new ResizeObserver(bringIntoView);
    if (view.current) settling.observe(view.current);
    const stop = () => {
      settling.disconnect();
      clearTimeout(timer);
      for (const type of userActions) window.removeEventListener(type, stop, true);
    };
    const timer = setTimeout(stop, 1000);
    for (const type of userActions) window.addEventListener(type, stop, true);
    return stop;
  }, [takeSettingsSection]);

  return (
    <div className="view" ref={view}>
      <ViewHeader title="Settings" description="These apply to every profile on this computer." />
      <PostingSettings />
      <AppearanceSettings />
      <VaultSettings />
      <DeveloperAppsSettings initialPlatform={developerAppPlatform} />
      <MediaStorageSettings />
      <AiAssistantsSettings />
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
