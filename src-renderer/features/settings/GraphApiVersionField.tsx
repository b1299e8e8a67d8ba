// The Graph API version Facebook Pages and Instagram are called with: one setting for both, shown
// on each of their developer-app tabs. Kept on blur or Enter, so a half-typed version is never sent.
import { useEffect, useState } from 'react';
import { defaultMetaGraphApiVersion, metaGraphApiVersionPattern } from '../../../src-shared/metaGraphApi';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function GraphApiVersionField() {
  const saved = useAppStore((s) => s.settings?.metaGraphApiVersion);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [value, setValue] = useState(saved ?? '');
  const [error, setError] = useState<BridgeError | null>(null);
  useEffect(() => setValue(saved ?? ''), [saved]);
  if (saved === undefined) return null;

  const valid = metaGraphApiVersionPattern.test(value.trim());
  const save = async () => {
    const version = value.trim();
    if (version === saved || !metaGraphApiVersionPattern.test(version)) return;
    setError(await updateSettings({ metaGraphApiVersion: version }));
  };

  return (
    <div className="field field-narrow">
      <label htmlFor="meta-graph-api-version" className="field-label">
        Graph API version
      </label>
      <input
        id="meta-graph-api-version"
        className="input"
        value={value}
        spellCheck={false}
        aria-invalid={!valid}
        aria-describedby="meta-graph-api-version-hint"
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save();
        }}
      />
      <p id="meta-graph-api-version-hint" className="field-hint">
        {valid
          ? `Facebook Pages and Instagram are called with this version of Meta’s API (default ${defaultMetaGraphApiVersion}). Change it when your app’s dashboard asks you to move.`
          : 'Write it as Meta does, like v24.0.'}
      </p>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}
