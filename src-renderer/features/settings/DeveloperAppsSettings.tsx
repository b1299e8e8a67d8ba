// Settings → Developer apps: one tab per platform that needs the user's own app, each the same form
// drawn from the platform's spec. One form at a time keeps every label ("Client ID", "Redirect
// URI") unique on the page, and a screen that sends the user here opens the right tab.
import { useRef, useState, type KeyboardEvent } from 'react';
import { developerAppSpecList, developerAppSpecs, type DeveloperAppPlatform, type DeveloperAppSpec } from '../../../src-shared/developerApps';
import { DeveloperAppSettings } from './DeveloperAppSettings';
import { GraphApiVersionField } from './GraphApiVersionField';

export function developerAppTitleId(platform: DeveloperAppPlatform): string {
  return `${platform}-developer-app-title`;
}

export function DeveloperAppsSettings({ initialPlatform }: { initialPlatform: DeveloperAppPlatform }) {
  const [platform, setPlatform] = useState(initialPlatform);
  const spec: DeveloperAppSpec = developerAppSpecs[platform];
  const tabs = useRef<Partial<Record<DeveloperAppPlatform, HTMLButtonElement | null>>>({});

  // The WAI-ARIA tabs pattern: arrows move between tabs and select them.
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = developerAppSpecList.findIndex((spec) => spec.platform === platform);
    const next = developerAppSpecList[(index + step + developerAppSpecList.length) % developerAppSpecList.length]!.platform;
    setPlatform(next);
    tabs.current[next]?.focus();
  };

  return (
    <section className="card panel" aria-labelledby="developer-apps-title">
      <h2 id="developer-apps-title" className="panel-title">
        Developer apps
      </h2>
      <p className="muted">
        Some platforms let only your own developer app post for you. Register it on the platform’s developer site, then enter it here.
      </p>
      <div className="developer-app-tabs" role="tablist" aria-label="Platform" onKeyDown={onKeyDown}>
        {developerAppSpecList.map((spec) => (
          <button
            key={spec.platform}
            ref={(element) => {
              tabs.current[spec.platform] = element;
            }}
            type="button"
            role="tab"
            id={`${spec.platform}-developer-app-tab`}
            className="button button-small"
            aria-selected={spec.platform === platform}
            aria-controls={`${spec.platform}-developer-app-panel`}
            tabIndex={spec.platform === platform ? 0 : -1}
            onClick={() => setPlatform(spec.platform)}
          >
            {spec.name}
          </button>
        ))}
      </div>
      <DeveloperAppSettings key={platform} spec={spec} titleId={developerAppTitleId(platform)} />
      {spec.graphApiVersion && <GraphApiVersionField />}
    </section>
  );
}
