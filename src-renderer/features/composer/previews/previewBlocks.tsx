// The parts every preview is made of: who posts, the text as the platform draws it (links,
// mentions, tags, formatting, the feed's cut), the images or video, the link card, the count.
// Each reads how its platform does it from that platform's record, never which platform it is.
// The text's runs are worked out once per text (useMemo): typing re-renders only what changed.
import { memo, useMemo, useState, type ReactNode } from 'react';
import type { Account, DraftImage, DraftVideo, LinkCard } from '../../../bridge';
import { cutForFeed } from '../../../../src-shared/compose/feedTruncation';
import { parseInlineMarkup, type Mark } from '../../../../src-shared/compose/inlineMarkup';
import { targetLabel } from '../../../../src-shared/compose/preflight';
import { shortDisplayUrl, tokenizeRichText, type RichToken } from '../../../../src-shared/compose/richText';
import { formatDuration } from '../../../../src-shared/compose/videoLimits';
import { lengthRuleFor, postLength } from '../../../../src-shared/platforms';
import { VideoIcon } from '../../../ui/icons';
import type { PlatformPreview } from './previewPlatforms';

/** The name a post is shown under, and the handle under it where the platform shows one. */
export function accountNames(account: Account): { name: string; handle: string | null } {
  const label = targetLabel(account);
  return { name: account.displayName ?? label, handle: account.displayName && label !== account.displayName ? label : null };
}

export const Avatar = memo(function Avatar({ account, size = 40 }: { account: Account; size?: number }) {
  const { name } = accountNames(account);
  return account.avatar ? (
    <img className="preview-avatar" src={account.avatar} alt="" width={size} height={size} />
  ) : (
    <span className="preview-avatar preview-avatar-initial" style={{ width: size, height: size }} aria-hidden="true">
      {name.replace(/^@/, '').slice(0, 1).toUpperCase()}
    </span>
  );
});

const markTags: Record<Mark, (children: ReactNode, key: number) => ReactNode> = {
  bold: (children, key) => <strong key={key}>{children}</strong>,
  italic: (children, key) => <em key={key}>{children}</em>,
  underline: (children, key) => <u key={key}>{children}</u>,
  strike: (children, key) => <s key={key}>{children}</s>,
  code: (children, key) => (
    <code key={key} className="preview-code">
      {children}
    </code>
  ),
  spoiler: (children, key) => (
    <span key={key} className="preview-spoiler">
      {children}
    </span>
  ),
};

function renderToken(token: RichToken, key: number, look: PlatformPreview): ReactNode {
  switch (token.kind) {
    case 'text':
      return token.text;
    case 'link':
      return (
        <span key={key} className="preview-link" data-kind="link" title={token.href}>
          {look.shortLinks ? shortDisplayUrl(token.text) : token.text}
        </span>
      );
    case 'mention':
      return (
        <span key={key} className="preview-link" data-kind="mention">
          {token.text}
        </span>
      );
    case 'hashtag':
      return (
        <span key={key} className="preview-link" data-kind="hashtag">
          {token.text}
        </span>
      );
  }
}

/** The text with the platform's links, mentions, tags and formatting. */
export const RichText = memo(function RichText({ text, look }: { text: string; look: PlatformPreview }) {
  const rendered = useMemo(
    () =>
      parseInlineMarkup(text, look.markup).map((segment, index) => {
        const runs = tokenizeRichText(segment.text, look.syntax).map((token, at) => renderToken(token, at, look));
        return segment.mark ? markTags[segment.mark](runs, index) : <span key={index}>{runs}</span>;
      }),
    [text, look],
  );
  return <>{rendered}</>;
});

/** The text as the feed shows it: cut where the platform cuts, with its button for the rest. */
export function PostText({ text, look, inline = false }: { text: string; look: PlatformPreview; inline?: boolean }) {
  const [expanded, setExpanded] = useState(false);
  const cut = useMemo(() => (look.feedCut ? cutForFeed(text, look.feedCut) : { shown: text, cut: false }), [text, look]);
  if (text.trim() === '') return null;
  const showAll = expanded || !cut.cut;
  const content = (
    <>
      <RichText text={showAll ? text : cut.shown} look={look} />
      {cut.cut && !expanded && (
        <button type="button" className="preview-more" onClick={() => setExpanded(true)}>
          {look.feedCut!.more}
        </button>
      )}
    </>
  );
  // Inline: a caption after a byline, inside the paragraph the byline starts.
  return inline ? <span className="preview-caption">{content}</span> : <p className="preview-text">{content}</p>;
}

function AltBadge() {
  return (
    <span className="preview-alt-badge" title="This image has alt text">
      ALT
    </span>
  );
}

function PreviewImage({ image, look }: { image: DraftImage; look: PlatformPreview }) {
  return (
    <>
      <img src={image.previewDataUrl} alt={image.alt} />
      {look.altBadge && image.alt.trim() !== '' && <AltBadge />}
    </>
  );
}

function ImageGrid({ images, max, look }: { images: DraftImage[]; max: number; look: PlatformPreview }) {
  const shown = images.slice(0, max);
  const hidden = images.length - shown.length;
  return (
    <div className="preview-grid" data-count={Math.min(shown.length, 5)}>
      {shown.map((image, index) => (
        <figure key={image.id} className="preview-image">
          <PreviewImage image={image} look={look} />
          {hidden > 0 && index === shown.length - 1 && (
            <span className="preview-more-images" aria-label={`${hidden} more images`}>
              +{hidden}
            </span>
          )}
        </figure>
      ))}
    </div>
  );
}

function ImageCarousel({ images, look }: { images: DraftImage[]; look: PlatformPreview }) {
  const [at, setAt] = useState(0);
  const index = Math.min(at, images.length - 1);
  const image = images[index]!;
  return (
    <div className="preview-carousel" data-count={images.length > 1 ? 'many' : 'one'}>
      <figure className="preview-image">
        <PreviewImage image={image} look={look} />
        {images.length > 1 && (
          <span className="preview-carousel-count">
            {index + 1}/{images.length}
          </span>
        )}
      </figure>
      {images.length > 1 && (
        <div className="preview-carousel-controls">
          <button type="button" className="icon-button" aria-label="Previous image" disabled={index === 0} onClick={() => setAt(index - 1)}>
            ‹
          </button>
          <span className="preview-dots" aria-hidden="true">
            {images.map((shown, dot) => (
              <span key={shown.id} className="preview-dot" data-current={dot === index} />
            ))}
          </span>
          <button type="button" className="icon-button" aria-label="Next image" disabled={index === images.length - 1} onClick={() => setAt(index + 1)}>
            ›
          </button>
        </div>
      )}
    </div>
  );
}

export function VideoPoster({ video, shape = 'natural' }: { video: DraftVideo; shape?: 'natural' | 'wide' | 'tall' }) {
  const duration = formatDuration(video.durationSeconds);
  const ratio = shape === 'wide' ? '16 / 9' : shape === 'tall' ? '9 / 16' : `${video.width} / ${video.height}`;
  return (
    <figure className="preview-video" style={{ aspectRatio: ratio }}>
      {video.posterDataUrl ? (
        <img src={video.posterDataUrl} alt={video.alt.trim() || `Video, ${duration}`} />
      ) : (
        <span className="preview-video-missing" role="img" aria-label={`Video, ${duration}`}>
          <VideoIcon />
        </span>
      )}
      <span className="preview-play" aria-hidden="true" />
      <span className="preview-duration">{duration}</span>
    </figure>
  );
}

/** The images, or the video, as the platform lays them out. */
export function Media({ images, video, look }: { images: DraftImage[]; video: DraftVideo | null; look: PlatformPreview }) {
  return (
    <>
      {images.length > 0 &&
        (look.images.layout === 'grid' ? <ImageGrid images={images} max={look.images.max} look={look} /> : <ImageCarousel images={images} look={look} />)}
      {video && <VideoPoster video={video} />}
    </>
  );
}

export function LinkCardBox({ card }: { card: LinkCard }) {
  return (
    <div className="preview-card">
      {card.imageDataUrl && <img src={card.imageDataUrl} alt="" className="preview-card-image" />}
      <div className="preview-card-body">
        <span className="preview-card-host">{hostOf(card.url)}</span>
        <span className="preview-card-title">{card.title}</span>
        {card.description && <span className="preview-card-description">{card.description}</span>}
      </div>
    </div>
  );
}

/** "57 of 280 characters · each link counts as 23": the platform's own count of this post. */
export function LengthNote({ account, text, hasMedia, contentWarning, look }: { account: Account; text: string; hasMedia: boolean; contentWarning: string; look: PlatformPreview }) {
  const rule = lengthRuleFor(account.platform, hasMedia, account.limits);
  const count = useMemo(() => postLength(account.platform, rule, text, contentWarning), [account.platform, rule, text, contentWarning]);
  if (!look.lengthNote) return null;
  return (
    <p className="preview-length" data-over={count > rule.limit}>
      <span className="preview-length-count">{count}</span> of {rule.limit} {rule.unit} · {look.lengthNote}
    </p>
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
