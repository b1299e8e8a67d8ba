// What only Mastodon has, shown once a Mastodon account is chosen (its `PostOptions` in the
// platform registry): a content warning (sent as
// `spoiler_text`, shown in place of the post until opened, and counted in the instance's limit)
// and who sees the post (methods/statuses `visibility`). Both are kept with the draft.
import type { MastodonVisibility } from '../../bridge';
import { useAppStore } from '../../state/store';

const visibilityLabels: Record<MastodonVisibility, string> = {
  public: 'Public',
  unlisted: 'Unlisted',
  private: 'Followers only',
  direct: 'Mentioned people only',
};

const visibilityHints: Record<MastodonVisibility, string> = {
  public: 'Everyone, on public timelines too.',
  unlisted: 'Everyone, but not on public timelines.',
  private: 'Only your followers.',
  direct: 'Only the people the post mentions.',
};

export function MastodonOptions() {
  const contentWarning = useAppStore((s) => s.composer?.contentWarning ?? '');
  const visibility = useAppStore((s) => s.composer?.visibility ?? 'public');
  const setContentWarning = useAppStore((s) => s.setContentWarning);
  const setVisibility = useAppStore((s) => s.setVisibility);

  return (
    <fieldset className="platform-options">
      <legend className="section-label">On Mastodon</legend>
      <div className="platform-options-fields">
        <div className="field">
          <label htmlFor="post-content-warning" className="field-label">
            Content warning
          </label>
          <input
            id="post-content-warning"
            className="input"
            type="text"
            value={contentWarning}
            maxLength={1000}
            placeholder="Optional, e.g. Film spoilers"
            aria-describedby="post-content-warning-hint"
            onChange={(e) => setContentWarning(e.target.value)}
          />
          <p id="post-content-warning-hint" className="field-hint">
            Shown instead of the post until someone opens it. It counts toward the instance’s limit.
          </p>
        </div>
        <div className="field">
          <label htmlFor="post-visibility" className="field-label">
            Visibility
          </label>
          <select
            id="post-visibility"
            className="select"
            value={visibility}
            aria-describedby="post-visibility-hint"
            onChange={(e) => setVisibility(e.target.value as MastodonVisibility)}
          >
            {(Object.keys(visibilityLabels) as MastodonVisibility[]).map((value) => (
              <option key={value} value={value}>
                {visibilityLabels[value]}
              </option>
            ))}
          </select>
          <p id="post-visibility-hint" className="field-hint">
            {visibilityHints[visibility]}
          </p>
        </div>
      </div>
    </fieldset>
  );
}
