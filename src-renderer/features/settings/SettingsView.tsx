import { useAppStore } from '../../state/store';
import { ViewHeader } from '../../ui/ViewHeader';
import { PostingSettings } from './PostingSettings';
import { VaultSettings } from './VaultSettings';

export function SettingsView() {
  const appInfo = useAppStore((s) => s.appInfo);
  return (
    <div className="view">
      <ViewHeader title="Settings" description="These apply to every profile on this computer." />
      <PostingSettings />
      <VaultSettings />
      {appInfo && (
        <section className="card panel" aria-labelledby="about-title">
          <h2 id="about-title" className="panel-title">
            About
          </h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{appInfo.version}</dd>
            <dt>Data folder</dt>
            <dd>
              <code className="path">{appInfo.dataDir}</code>
            </dd>
          </dl>
        </section>
      )}
    </div>
  );
}
