// The draft's one video: its poster, length, picture size, format and file size, its alt text, and
// Remove. The file never comes here: the core asks the OS for it, probes it and keeps the copy the
// draft owns.
import { memo } from 'react';
import { codecName, containerName, formatBytes, formatDuration } from '../../../src-shared/compose/videoLimits';
import { platformIds, platformRules } from '../../../src-shared/platforms';
import { useAppStore } from '../../state/store';
import { CloseIcon, VideoIcon } from '../../ui/icons';

export const AddVideoButton = memo(function AddVideoButton() {
  const hasVideo = useAppStore((s) => Boolean(s.composer?.video));
  const adding = useAppStore((s) => s.addingVideo);
  const addVideo = useAppStore((s) => s.addVideo);
  return (
    <div className="add-video">
      <button
        type="button"
        className="button button-small"
        disabled={hasVideo || adding}
        title={hasVideo ? 'A post takes one video' : 'MP4, MOV or WebM'}
        onClick={() => void addVideo()}
      >
        <VideoIcon />
        Add video
      </button>
      {adding && (
        <span className="muted add-image-count" role="status">
          Adding video…
        </span>
      )}
    </div>
  );
});

/** The platforms that show a video's alt text, by name, for the field's hint. */
const showsVideoAlt = platformIds.filter((platform) => platformRules[platform].video?.altTextLimit !== undefined).map((platform) => platformRules[platform].name);

export const VideoAttachment = memo(function VideoAttachment({ requireAltText }: { requireAltText: boolean }) {
  const video = useAppStore((s) => s.composer?.video);
  const removeVideo = useAppStore((s) => s.removeVideo);
  const editVideoAlt = useAppStore((s) => s.editVideoAlt);
  if (!video) return null;
  const duration = formatDuration(video.durationSeconds);
  const codecs = [codecName(video.videoCodec), ...(video.audioCodec ? [codecName(video.audioCodec)] : [])].join(' + ');
  return (
    <figure className="video-attachment" aria-label="Video">
      <div className="video-frame">
        {video.posterDataUrl ? (
          <img src={video.posterDataUrl} alt="Video poster frame" className="video-poster" />
        ) : (
          <div className="video-poster video-poster-missing" role="img" aria-label="No preview of this video">
            <VideoIcon />
          </div>
        )}
        <span className="video-duration">{duration}</span>
        <button type="button" className="icon-button image-remove" aria-label="Remove video" title="Remove video" onClick={() => void removeVideo()}>
          <CloseIcon />
        </button>
      </div>
      <figcaption>
        <dl className="video-facts">
          <dt>Length</dt>
          <dd>{duration}</dd>
          <dt>Picture</dt>
          <dd>
            {video.width} × {video.height}, {Math.round(video.frameRate * 100) / 100} fps
          </dd>
          <dt>Format</dt>
          <dd>
            {containerName(video.container)}, {codecs}
          </dd>
          <dt>Size</dt>
          <dd>{formatBytes(video.bytes)}</dd>
        </dl>
        <label htmlFor={`video-${video.id}-alt`} className="field-label">
          Alt text for the video
        </label>
        <textarea
          id={`video-${video.id}-alt`}
          className="input alt-text"
          rows={2}
          value={video.alt}
          maxLength={2000}
          placeholder="Describe it for people who can't see it"
          aria-describedby={`video-${video.id}-alt-hint`}
          aria-invalid={requireAltText && video.alt.trim() === ''}
          onChange={(e) => editVideoAlt(e.target.value)}
        />
        <p id={`video-${video.id}-alt-hint`} className="field-hint">
          {new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(showsVideoAlt)} show it with the video; the others have no place for it.
        </p>
      </figcaption>
    </figure>
  );
});
