// The shapes a post takes: a post in a feed (with its replies under it where the platform has
// threads), a message in a chat, and the platforms whose post is a video or a pin.
import { useEffect, useState } from 'react';
import { api, call, type Account, type DraftImage, type DraftVideo, type LinkCard, type PlatformPostOptions } from '../../../bridge';
import { targetLabel } from '../../../../src-shared/compose/preflight';
import { platformRules } from '../../../../src-shared/platforms';
import { accountNames, Avatar, hostOf, LengthNote, LinkCardBox, Media, PostText, VideoPoster } from './previewBlocks';
import type { PlatformPreview } from './previewPlatforms';

/** What a preview shows: the posts' texts (the first post and its replies) and what goes with them. */
export interface PreviewPost {
  parts: string[];
  images: DraftImage[];
  video: DraftVideo | null;
  linkCard: LinkCard | null;
  /** Mastodon's content warning ('' for none). */
  contentWarning: string;
  platformOptions: PlatformPostOptions;
}

export interface PreviewLayoutProps extends PreviewPost {
  account: Account;
  look: PlatformPreview;
}

/** The images or video of the first post; the link card where there are none. */
function Attachments({ images, video, linkCard, look }: Pick<PreviewLayoutProps, 'images' | 'video' | 'linkCard' | 'look'>) {
  if (images.length > 0 || video) return <Media images={images} video={video} look={look} />;
  return look.linkCard && linkCard ? <LinkCardBox card={linkCard} /> : null;
}

function ContentWarning({ text, opened, onToggle }: { text: string; opened: boolean; onToggle(): void }) {
  return (
    <p className="preview-cw">
      <span className="preview-cw-text">{text}</span>
      <button type="button" className="preview-cw-toggle" aria-expanded={opened} onClick={onToggle}>
        {opened ? 'Show less' : 'Show more'}
      </button>
    </p>
  );
}

/** A post in a feed, with each reply of its chain under it, joined by a line. */
export function FeedPost(props: PreviewLayoutProps) {
  const { account, look, parts } = props;
  const [opened, setOpened] = useState(false);
  const { name, handle } = accountNames(account);
  const shownName = look.bareUsername ? name.replace(/^@/, '') : name;
  // A reply chain only where the platform takes one: elsewhere its parts are already one post.
  const shown = parts;
  const warning = look.contentWarning ? props.contentWarning.trim() : '';
  const hasMedia = props.images.length > 0 || props.video !== null;
  return (
    <ol className="preview-thread" data-thread={shown.length > 1}>
      {shown.map((text, index) => {
        const attachments = index === 0 && <Attachments {...props} />;
        const body = look.captionByline ? (
          <p className="preview-text">
            <strong className="preview-byline">{shownName}</strong> <PostText text={text} look={look} inline />
          </p>
        ) : (
          <PostText text={text} look={look} />
        );
        return (
          <li key={index} className="preview-post" data-header={look.headerAbove ? 'above' : 'beside'}>
            {!look.headerAbove && (
              <div className="preview-gutter">
                <Avatar account={account} />
              </div>
            )}
            <div className="preview-post-main">
              <div className="preview-head">
                {look.headerAbove && <Avatar account={account} />}
                <p className="preview-names">
                  <span className="preview-name">{shownName}</span>
                  {handle && <span className="preview-handle">{handle}</span>}
                  <span className="preview-time">· now</span>
                </p>
              </div>
              {warning && <ContentWarning text={warning} opened={opened} onToggle={() => setOpened(!opened)} />}
              {(!warning || opened) && (
                <>
                  {look.mediaFirst && attachments}
                  {body}
                  {!look.mediaFirst && attachments}
                </>
              )}
              <LengthNote account={account} text={text} hasMedia={index === 0 && hasMedia} contentWarning={props.contentWarning} look={look} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** A message in a channel (Discord, Slack, Telegram): the sender, then the text and attachments. */
export function ChatMessage(props: PreviewLayoutProps) {
  const { account, look } = props;
  const { name } = accountNames(account);
  const text = props.parts[0] ?? '';
  const attachments = <Attachments {...props} />;
  return (
    <div className="preview-chat">
      <Avatar account={account} />
      <div className="preview-post-main">
        <p className="preview-names">
          <span className="preview-name">{name}</span>
          {look.chatTag && <span className="preview-chat-tag">{look.chatTag}</span>}
          <span className="preview-time">now</span>
        </p>
        {look.mediaFirst && attachments}
        <PostText text={text} look={look} />
        {!look.mediaFirst && attachments}
      </div>
    </div>
  );
}

function NoVideo({ platform }: { platform: string }) {
  return <p className="preview-no-video">{platform} posts a video: add one to see it here.</p>;
}

const privacyNames = { private: 'Private', unlisted: 'Unlisted', public: 'Public' } as const;

/** A YouTube video: the player, its title, the channel, who sees it, and the description. */
export function YouTubeVideo({ account, look, parts, video, platformOptions }: PreviewLayoutProps) {
  const { name } = accountNames(account);
  const options = platformOptions.youtube;
  const title = options?.title.trim() ?? '';
  return (
    <div className="preview-youtube">
      {video ? <VideoPoster video={video} shape="wide" /> : <NoVideo platform={platformRules[account.platform].name} />}
      <p className="preview-video-title" data-empty={title === ''}>
        {title || 'No title yet'}
      </p>
      <div className="preview-channel">
        <Avatar account={account} size={32} />
        <span className="preview-name">{name}</span>
        {options && <span className="preview-chip">{privacyNames[options.privacy]}</span>}
      </div>
      <div className="preview-description">
        <PostText text={parts[0] ?? ''} look={look} />
      </div>
    </div>
  );
}

/** A TikTok: the upright video, with the name and the caption over its foot. */
export function TikTokPost({ account, look, parts, video, platformOptions }: PreviewLayoutProps) {
  const creator = platformOptions.tiktok?.creators[account.id];
  // TikTok names the poster by @username: the creator's as TikTok last said it, else the handle.
  const name = creator ? `@${creator.username}` : targetLabel(account);
  return (
    <div className="preview-tiktok">
      {video ? <VideoPoster video={video} shape="tall" /> : <NoVideo platform={platformRules[account.platform].name} />}
      <div className="preview-tiktok-caption">
        <p className="preview-name">{name}</p>
        <PostText text={parts[0] ?? ''} look={look} />
      </div>
    </div>
  );
}

/** A pin: its image (or video), title, description, where it links and the board it is saved to. */
export function PinPost({ account, look, parts, images, video, platformOptions }: PreviewLayoutProps) {
  const pin = platformOptions.pinterest;
  const boardId = pin?.boards[account.id];
  const boardName = useBoardName(account.id, boardId);
  const { name } = accountNames(account);
  const image = images[0];
  return (
    <div className="preview-pin">
      {image ? (
        <Media images={[image]} video={null} look={look} />
      ) : video ? (
        <VideoPoster video={video} />
      ) : (
        <p className="preview-no-video">A pin is an image or a video: add one to see it here.</p>
      )}
      {pin?.link && <p className="preview-card-host">{hostOf(pin.link)}</p>}
      {pin?.title.trim() && <p className="preview-video-title">{pin.title}</p>}
      <PostText text={parts[0] ?? ''} look={look} />
      <div className="preview-channel">
        <Avatar account={account} size={32} />
        <span className="preview-name">{name}</span>
        {boardName && (
          <span className="preview-chip">
            Saved to {boardName}
          </span>
        )}
      </div>
    </div>
  );
}

/** The chosen board's name, from the account's cached board list (no request to Pinterest). */
function useBoardName(accountId: string, boardId: string | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!boardId) return setName(null);
    let current = true;
    void call(api.boards.list({ accountId, refresh: false })).then((result) => {
      if (current) setName(result.ok ? (result.value.boards.find((board) => board.id === boardId)?.name ?? null) : null);
    });
    return () => {
      current = false;
    };
  }, [accountId, boardId]);
  return name;
}
