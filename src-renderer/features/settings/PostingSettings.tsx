// Defaults for new posts. Each change is sent at once; the core answers with the settings it kept.
import { useState } from 'react';
import type { BridgeError, MissedSchedulePolicy, Settings } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LanguageSelect } from '../../ui/LanguageSelect';

const missedScheduleChoices: Array<{ value: MissedSchedulePolicy; label: string; hint: string }> = [
  { value: 'publish', label: 'Publish at next start', hint: 'It goes out as soon as Localpost runs again.' },
  { value: 'ask', label: 'Ask me', hint: 'It waits in the Queue until you publish or skip it.' },
  { value: 'skip', label: 'Skip', hint: 'It is not sent; History keeps it as cancelled.' },
];

export function PostingSettings() {
  const settings = useAppStore((s) => s.settings);
  const settingsError = useAppStore((s) => s.settingsError);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [error, setError] = useState<BridgeError | null>(null);

  const update = async (change: Partial<Settings>) => setError(await updateSettings(change));

  return (
    <section className="card panel" aria-labelledby="posting-title">
      <h2 id="posting-title" className="panel-title">
        Posting
      </h2>
      {settingsError && <ErrorAlert error={settingsError} />}
      {settings && (
        <div className="form">
          <div className="check-field">
            <input
              id="require-alt-text"
              type="checkbox"
              className="checkbox"
              checked={settings.requireAltText}
              aria-describedby="require-alt-text-hint"
              onChange={(e) => void update({ requireAltText: e.target.checked })}
            />
            <div>
              <label htmlFor="require-alt-text" className="check-label">
                Require alt text
              </label>
              <p id="require-alt-text-hint" className="field-hint">
                Publish stays blocked until every image has a description.
              </p>
            </div>
          </div>
          <div className="field field-narrow">
            <label htmlFor="default-language" className="field-label">
              Language
            </label>
            <LanguageSelect
              id="default-language"
              value={settings.defaultLanguage}
              describedBy="default-language-hint"
              onChange={(defaultLanguage) => void update({ defaultLanguage })}
            />
            <p id="default-language-hint" className="field-hint">
              The language new drafts start with. You can change it on each post.
            </p>
          </div>
          <fieldset className="field" aria-describedby="missed-schedule-hint">
            <legend className="field-label">Missed schedules</legend>
            <p id="missed-schedule-hint" className="field-hint">
              When a scheduled post’s time passes while Localpost is closed or the computer sleeps.
            </p>
            <div className="radio-list">
              {missedScheduleChoices.map((choice) => (
                <div key={choice.value} className="check-field">
                  <input
                    id={`missed-schedule-${choice.value}`}
                    type="radio"
                    name="missed-schedule"
                    className="checkbox"
                    value={choice.value}
                    checked={settings.missedSchedule === choice.value}
                    aria-describedby={`missed-schedule-${choice.value}-hint`}
                    onChange={() => void update({ missedSchedule: choice.value })}
                  />
                  <div>
                    <label htmlFor={`missed-schedule-${choice.value}`} className="check-label">
                      {choice.label}
                    </label>
                    <p id={`missed-schedule-${choice.value}-hint`} className="field-hint">
                      {choice.hint}
                    </p>
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
      )}
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
