// Light, dark, or as the system is set. Sent at once like the posting settings; useTheme applies it.
import { useState } from 'react';
import type { BridgeError, ThemeChoice } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

const themeChoices: Array<{ value: ThemeChoice; label: string; hint: string }> = [
  { value: 'system', label: 'Same as the system', hint: 'Light or dark as your computer is set, changing when it does.' },
  { value: 'light', label: 'Light', hint: '' },
  { value: 'dark', label: 'Dark', hint: '' },
];

export function AppearanceSettings() {
  const theme = useAppStore((s) => s.settings?.theme);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [error, setError] = useState<BridgeError | null>(null);

  return (
    <section className="card panel" aria-labelledby="appearance-title">
      <h2 id="appearance-title" className="panel-title">
        Appearance
      </h2>
      {theme && (
        <fieldset className="field">
          <legend className="field-label">Theme</legend>
          <div className="radio-list">
            {themeChoices.map((choice) => (
              <div key={choice.value} className="check-field">
                <input
                  id={`theme-${choice.value}`}
                  type="radio"
                  name="theme"
                  className="checkbox"
                  value={choice.value}
                  checked={theme === choice.value}
                  aria-describedby={choice.hint ? `theme-${choice.value}-hint` : undefined}
                  onChange={() => void updateSettings({ theme: choice.value }).then(setError)}
                />
                <div>
                  <label htmlFor={`theme-${choice.value}`} className="check-label">
                    {choice.label}
                  </label>
                  {choice.hint && (
                    <p id={`theme-${choice.value}-hint`} className="field-hint">
                      {choice.hint}
                    </p>
                  )}
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      )}
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
