// What only YouTube has, shown once a YouTube channel is chosen (its `PostOptions` in the platform
// registry): the video's title, who may watch it, the made-for-kids answer YouTube requires (no
// default: preflight refuses until it is given), its category and tags, and an optional time at
// which YouTube itself makes the private video public. The post's text is the description. All are
// kept with the draft and checked by preflight (youtube.title_length, .made_for_kids, ...).
import { useState } from 'react';
import {
  countYouTubeTags,
  countYouTubeTitle,
  emptyYouTubeFields,
  parseYouTubeTags,
  youTubeCategories,
  youTubePrivacies,
  youTubeTagsLimit,
  youTubeTitleLimit,
  type YouTubePrivacy,
} from '../../../src-shared/youtube';
import { useAppStore } from '../../state/store';

const privacyLabels: Record<YouTubePrivacy, string> = { private: 'Private', unlisted: 'Unlisted', public: 'Public' };

/** A `datetime-local` value (the computer's time zone) for an ISO time, and back. */
function toLocalInput(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const local = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function YouTubeOptions() {
  const video = useAppStore((s) => s.composer?.platformOptions.youtube ?? emptyYouTubeFields);
  const editYouTube = useAppStore((s) => s.editYouTube);
  // The tags as typed, commas and all, so a trailing comma is not lost while typing; the draft's
  // own tags when they say otherwise (another draft opened).
  const [typed, setTypedTags] = useState(video.tags.join(', '));
  const typedTags = parseYouTubeTags(typed).join('\u0000') === video.tags.join('\u0000') ? typed : video.tags.join(', ');
  const titleLength = countYouTubeTitle(video.title.trim());
  const tagsLength = countYouTubeTags(video.tags);
  const scheduledOnYouTube = video.publishAt !== '';

  return (
    <fieldset className="platform-options">
      <legend className="section-label">On YouTube</legend>
      <div className="pin-fields">
        <div className="field">
          <div className="field-label-row">
            <label htmlFor="youtube-title" className="field-label">
              Title
            </label>
            <span className="counter" data-over={titleLength > youTubeTitleLimit}>
              {titleLength} / {youTubeTitleLimit}
            </span>
          </div>
          <input
            id="youtube-title"
            className="input"
            type="text"
            value={video.title}
            placeholder="Required: the video’s title"
            aria-describedby="youtube-title-hint"
            onChange={(e) => editYouTube({ title: e.target.value })}
          />
          <p id="youtube-title-hint" className="field-hint">
            The post’s text becomes the video’s description (at most 5,000 bytes; YouTube refuses &lt; and &gt; in both).
          </p>
        </div>
        <div className="platform-options-fields">
          <div className="field">
            <label htmlFor="youtube-privacy" className="field-label">
              Visibility
            </label>
            <select
              id="youtube-privacy"
              className="select"
              value={video.privacy}
              disabled={scheduledOnYouTube}
              aria-describedby="youtube-privacy-hint"
              onChange={(e) => editYouTube({ privacy: e.target.value as YouTubePrivacy })}
            >
              {youTubePrivacies.map((privacy) => (
                <option key={privacy} value={privacy}>
                  {privacyLabels[privacy]}
                </option>
              ))}
            </select>
            <p id="youtube-privacy-hint" className="field-hint">
              Google keeps every upload private while your Google Cloud project has not passed its audit, whatever you choose here.
            </p>
          </div>
          <div className="field">
            <label htmlFor="youtube-category" className="field-label">
              Category
            </label>
            <select id="youtube-category" className="select" value={video.categoryId} onChange={(e) => editYouTube({ categoryId: e.target.value })}>
              {youTubeCategories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset className="field" aria-describedby="youtube-kids-hint">
          <legend className="field-label">Made for kids?</legend>
          <p id="youtube-kids-hint" className="field-hint">
            YouTube requires an answer for every video (COPPA); there is no default.
          </p>
          <div className="radio-list">
            {[
              { value: false, id: 'youtube-kids-no', label: 'No, it’s not made for kids' },
              { value: true, id: 'youtube-kids-yes', label: 'Yes, it’s made for kids' },
            ].map((choice) => (
              <div key={choice.id} className="check-field">
                <input
                  id={choice.id}
                  type="radio"
                  name="youtube-made-for-kids"
                  className="checkbox"
                  checked={video.madeForKids === choice.value}
                  onChange={() => editYouTube({ madeForKids: choice.value })}
                />
                <label htmlFor={choice.id} className="check-label">
                  {choice.label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <div className="field-label-row">
            <label htmlFor="youtube-tags" className="field-label">
              Tags
            </label>
            <span className="counter" data-over={tagsLength > youTubeTagsLimit}>
              {tagsLength} / {youTubeTagsLimit}
            </span>
          </div>
          <input
            id="youtube-tags"
            className="input"
            type="text"
            value={typedTags}
            placeholder="Optional, separated by commas"
            aria-describedby="youtube-tags-hint"
            onChange={(e) => {
              setTypedTags(e.target.value);
              editYouTube({ tags: parseYouTubeTags(e.target.value) });
            }}
          />
          <p id="youtube-tags-hint" className="field-hint">
            YouTube counts the commas, and two quotes around a tag with a space.
          </p>
        </div>
        <div className="field">
          <div className="check-field">
            <input
              id="youtube-publish-at-on"
              type="checkbox"
              className="checkbox"
              checked={scheduledOnYouTube}
              onChange={(e) =>
                editYouTube(
                  e.target.checked
                    ? { privacy: 'private', publishAt: new Date(Date.now() + 24 * 3_600_000).toISOString() }
                    : { publishAt: '' },
                )
              }
            />
            <label htmlFor="youtube-publish-at-on" className="check-label">
              Upload now as private, and let YouTube make it public at a set time
            </label>
          </div>
          {scheduledOnYouTube && (
            <>
              <label htmlFor="youtube-publish-at" className="visually-hidden">
                When YouTube makes the video public
              </label>
              <input
                id="youtube-publish-at"
                className="input"
                type="datetime-local"
                value={toLocalInput(video.publishAt)}
                onChange={(e) => {
                  const at = Date.parse(e.target.value);
                  editYouTube({ publishAt: Number.isNaN(at) ? '' : new Date(at).toISOString() });
                }}
              />
            </>
          )}
          <p className="field-hint">
            Each upload spends your Google project’s daily YouTube quota; when it runs out, Localpost holds the upload until midnight Pacific time, when YouTube resets it.
          </p>
        </div>
      </div>
    </fieldset>
  );
}
