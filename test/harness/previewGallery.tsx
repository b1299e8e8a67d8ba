// Every platform's preview on one page, each with the post that shows off what its platform does
// (a thread, a grid, a carousel, a content warning, a cut caption, a video, a pin, a chat's
// formatting), for the gallery test's screenshots and accessibility audit. The accounts, pictures
// and video are made up here; the previews are the renderer's own components.
import './previewGalleryBridge';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Account, DraftImage, DraftVideo, LinkCard, Platform } from '../../src-renderer/bridge';
import { PostPreview, type PostPreviewProps } from '../../src-renderer/features/composer/previews/PostPreview';
import { platformIds, platformRules } from '../../src-shared/platforms';
import { emptyPinFields } from '../../src-shared/pins';
import { emptyTikTokFields } from '../../src-shared/tiktok';
import { emptyYouTubeFields } from '../../src-shared/youtube';
import '../../src-renderer/styles/theme.css';
import '../../src-renderer/styles/base.css';
import '../../src-renderer/styles/layout.css';
import '../../src-renderer/styles/features.css';
import '../../src-renderer/styles/previews.css';

/** A picture as a data: URL: a gradient between two colours, with a circle. */
function picture(from: string, to: string, width = 640, height = 400): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 5}" fill="#ffffff" fill-opacity="0.6"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function image(n: number, alt: string, from: string, to: string): DraftImage {
  return { id: `image-${n}`, alt, mime: 'image/png', width: 640, height: 400, bytes: 20_000, previewDataUrl: picture(from, to) };
}

const images = [
  image(1, 'A blue sky over the bakery', '#1e6fd9', '#8fd3fe'),
  image(2, '', '#d9481e', '#fec38f'),
  image(3, 'Loaves on a rack', '#1ed97a', '#e6fe8f'),
  image(4, 'The team at the door', '#7a1ed9', '#fe8fe0'),
  image(5, '', '#d91e5b', '#fe8f8f'),
  image(6, '', '#1ed9d0', '#8ffef0'),
];

function video(width: number, height: number): DraftVideo {
  return {
    id: 'video-1',
    container: 'mp4',
    mime: 'video/mp4',
    videoCodec: 'avc',
    audioCodec: 'aac',
    durationSeconds: 83,
    width,
    height,
    frameRate: 30,
    bytes: 12_000_000,
    alt: '',
    posterDataUrl: picture('#202a44', '#e0a030', width, height),
  };
}

const card: LinkCard = {
  url: 'https://alicebakes.com/news/opening',
  title: 'We open on Saturday',
  description: 'Fresh bread from 7 in the morning, and coffee all day.',
  imageDataUrl: picture('#8a5a00', '#f2c46b', 600, 315),
};

const handles: Record<Platform, { handle: string; displayName: string | null; avatar: boolean }> = {
  bluesky: { handle: 'alice.bsky.social', displayName: 'Alice Baker', avatar: true },
  mastodon: { handle: 'alice@social.example', displayName: 'Alice Baker', avatar: true },
  x: { handle: 'alicebakes', displayName: 'Alice Baker', avatar: true },
  discord: { handle: 'announcements', displayName: null, avatar: false },
  slack: { handle: '#general', displayName: null, avatar: false },
  telegram: { handle: 'Bakery news', displayName: null, avatar: true },
  linkedin: { handle: 'Alice Baker', displayName: 'Alice Baker', avatar: true },
  pinterest: { handle: 'alicebakes', displayName: 'Alice Baker', avatar: false },
  tiktok: { handle: 'alicebakes', displayName: 'Alice Baker', avatar: true },
  threads: { handle: 'alicebakes', displayName: null, avatar: true },
  facebook: { handle: 'Alice’s Bakery', displayName: null, avatar: true },
  instagram: { handle: 'alicebakes', displayName: null, avatar: true },
  youtube: { handle: 'Alice Bakes', displayName: null, avatar: true },
};

function account(platform: Platform): Account {
  const who = handles[platform];
  return {
    id: `account-${platform}`,
    profileId: 'profile-1',
    platform,
    handle: who.handle,
    remoteId: `remote-${platform}`,
    service: platformRules[platform].name,
    displayName: who.displayName,
    status: 'connected',
    statusReason: null,
    nextAction: null,
    checkedAt: null,
    createdAt: 0,
    avatar: who.avatar ? picture('#c2410c', '#fbbf24', 80, 80) : null,
    limits: null,
    spendingCap: null,
  };
}

const text = 'Opening day! Thanks @carol.bsky.social and @bob@social.example for the help. #bakery #opening https://alicebakes.com/news/opening';
const long = `${'We have been getting ready for months, and on Saturday the doors finally open. '.repeat(5)}See you there!`;

const posts: Record<Platform, Omit<PostPreviewProps, 'account'>> = {
  bluesky: { parts: [text, 'The menu is on the site: alicebakes.com/menu', 'And yes, there will be croissants.'], images: [], video: null, linkCard: card, contentWarning: '', platformOptions: {} },
  mastodon: { parts: [text], images: images.slice(0, 3), video: null, linkCard: null, contentWarning: 'Food, lots of it', platformOptions: {} },
  x: { parts: [text.replace('@carol.bsky.social', '@carol'), 'Reply two: @dave'], images: images.slice(0, 4), video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  discord: {
    parts: ['**Opening day** is *Saturday*! ~~Friday~~ `7:00` — details: https://alicebakes.com/news/opening'],
    images: [],
    video: null,
    linkCard: card,
    contentWarning: '',
    platformOptions: {},
  },
  slack: { parts: ['*Opening day* is _Saturday_! ~Friday~ `7:00`, details at alicebakes.com/news'], images: [], video: null, linkCard: card, contentWarning: '', platformOptions: {} },
  telegram: { parts: [text], images: images.slice(0, 3), video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  linkedin: { parts: [`${long} #bakery`], images: images.slice(0, 1), video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  pinterest: {
    parts: ['Our sourdough, step by step: flour, water, salt and patience. #bread'],
    images: images.slice(2, 3),
    video: null,
    linkCard: null,
    contentWarning: '',
    platformOptions: { pinterest: { ...emptyPinFields, title: 'Sourdough for beginners', link: 'https://alicebakes.com/sourdough', boards: { 'account-pinterest': 'board-1' } } },
  },
  tiktok: {
    parts: ['A day at the bakery, from 4 in the morning to the last loaf #bakery #sourdough @carol and a lot more words so that it cuts'],
    images: [],
    video: video(1080, 1920),
    linkCard: null,
    contentWarning: '',
    platformOptions: { tiktok: { ...emptyTikTokFields } },
  },
  threads: { parts: [text, 'A second post in the thread, with its own #tag.'], images: images.slice(0, 3), video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  facebook: { parts: [`${long}\n\n${long}`], images, video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  instagram: { parts: [text], images: images.slice(0, 3), video: null, linkCard: null, contentWarning: '', platformOptions: {} },
  youtube: {
    parts: [`${long}\nChapters:\n0:00 Dough\n1:00 Oven`],
    images: [],
    video: video(1920, 1080),
    linkCard: null,
    contentWarning: '',
    platformOptions: { youtube: { ...emptyYouTubeFields, title: 'A day at the bakery', privacy: 'unlisted' } },
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="preview-gallery" style={{ maxWidth: 640, margin: '1rem auto', display: 'grid', gap: 24 }}>
      <h1>Previews</h1>
      {platformIds.map((platform) => (
        <section key={platform} id={`gallery-${platform}`} aria-labelledby={`gallery-${platform}-title`} className="preview-tabpanel">
          <h2 id={`gallery-${platform}-title`} className="section-label">
            {platformRules[platform].name}
          </h2>
          <PostPreview account={account(platform)} {...posts[platform]} />
        </section>
      ))}
    </main>
  </StrictMode>,
);
