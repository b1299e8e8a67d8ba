// Every platform as the Accounts screens show it: one record each, in one registry keyed by every
// platform id, so a platform without its description, logo, connect form or disconnect note does
// not compile, and the choice screen (built from the registry) cannot leave one out. Names come
// from the shared platform table, so the counter, preflight and these screens call a platform the same.
import { memo, type ComponentType, type CSSProperties, type ReactNode } from 'react';
import type { Account, Platform } from '../../bridge';
import { platformIds, platformRules } from '../../../src-shared/platforms';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { BlueskyLogo, DiscordLogo, FacebookLogo, InstagramLogo, LinkedInLogo, MastodonLogo, PinterestLogo, SlackLogo, TelegramLogo, ThreadsLogo, TikTokLogo, XLogo, YouTubeLogo } from '../../ui/icons';
import { lazyComponent } from '../../ui/lazyComponent';

// The connect forms and the composer's platform fields load when first shown (each a chunk of its
// own), so a platform added grows them, not the script the composer waits for at start. Where they
// render, a Suspense boundary stands in for them meanwhile.
const MastodonOptions = lazyComponent(() => import('../composer/MastodonOptions').then((m) => m.MastodonOptions));
const PinterestOptions = lazyComponent(() => import('../composer/PinterestOptions').then((m) => m.PinterestOptions));
const TikTokOptions = lazyComponent(() => import('../composer/TikTokOptions').then((m) => m.TikTokOptions));
const YouTubeOptions = lazyComponent(() => import('../composer/YouTubeOptions').then((m) => m.YouTubeOptions));
const BlueskyConnectForm = lazyComponent(() => import('./BlueskyConnectForm').then((m) => m.BlueskyConnectForm));
const DiscordConnectForm = lazyComponent(() => import('./DiscordConnectForm').then((m) => m.DiscordConnectForm));
const MastodonConnectForm = lazyComponent(() => import('./MastodonConnectForm').then((m) => m.MastodonConnectForm));
const SlackConnectForm = lazyComponent(() => import('./SlackConnectForm').then((m) => m.SlackConnectForm));
const TelegramConnectForm = lazyComponent(() => import('./TelegramConnectForm').then((m) => m.TelegramConnectForm));
const DeveloperAppConnectForm = lazyComponent(() => import('./DeveloperAppConnectForm').then((m) => m.DeveloperAppConnectForm));

/** What the Accounts screen hands every platform's connect form. */
export interface PlatformConnectProps {
  /** The account being reconnected; its secret is never put back in a form. */
  reconnect?: Account | undefined;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}

export interface PlatformUi {
  /** One line on the choice screen: how connecting works there. */
  description: string;
  Logo: ComponentType;
  /** The brand colour its logo's tile is tinted with; null for a mark in its own colours (Slack)
   *  or in the text colour (X, Threads). */
  tint: string | null;
  ConnectForm: ComponentType<PlatformConnectProps>;
  /** What Disconnect makes Localpost forget, said on the confirmation. */
  disconnectNote: string;
  /** The sign-in finishes in the system browser (OAuth): whoever is signed in there is who comes
   *  back, so a new account from it is named with an Undo (ConnectedAsNotice). */
  signsInThroughBrowser: boolean;
  /** What one of its accounts is called where a sign-in connects several (Facebook's Pages). */
  accountNoun?: { one: string; many: string };
  /** What only this platform has in the composer, shown while one of its accounts is a target;
   *  given the platform's targeted accounts. */
  PostOptions?: ComponentType<{ accounts: Account[] }>;
}

export const platformUi: Record<Platform, PlatformUi> = {
  bluesky: {
    description: 'Connect with an app password. Any hosting provider.',
    Logo: BlueskyLogo,
    tint: '#1185fe',
    ConnectForm: ({ reconnect, ...props }) => (
      <BlueskyConnectForm prefill={reconnect && { handle: reconnect.handle, service: reconnect.service }} {...props} />
    ),
    disconnectNote: 'Localpost signs out and forgets the app password.',
    signsInThroughBrowser: false,
  },
  mastodon: {
    description: 'Sign in on your instance in your browser. Any Mastodon server.',
    Logo: MastodonLogo,
    tint: '#6364ff',
    ConnectForm: ({ reconnect, ...props }) => (
      <MastodonConnectForm reconnecting={reconnect !== undefined} instance={reconnect?.service} {...props} />
    ),
    disconnectNote: 'Localpost revokes its access on your instance and forgets the sign-in.',
    signsInThroughBrowser: true,
    PostOptions: MastodonOptions,
  },
  x: {
    description: 'Sign in in your browser through your own X developer app.',
    Logo: XLogo,
    tint: null,
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="x"
        reconnecting={reconnect !== undefined}
        // X bills every post to the app that makes it (docs.x.com, x-api/getting-started/pricing).
        needsApp="X bills every post to the developer app that makes it, so Localpost posts through your own: create one in the X Developer Console and save its Client ID in Settings first."
        facts={
          <>
            <dt>Cost</dt>
            <dd>
              X charges your developer app for each post (about $0.015, or $0.20 with a link). Localpost stops at the spending cap
              you set for each account in Accounts.
            </dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost revokes its access on X and forgets the sign-in.',
    signsInThroughBrowser: true,
  },
  discord: {
    description: 'Post to a channel through its webhook URL.',
    Logo: DiscordLogo,
    tint: '#5865f2',
    ConnectForm: ({ reconnect, ...props }) => <DiscordConnectForm reconnecting={reconnect !== undefined} {...props} />,
    disconnectNote: 'Localpost forgets the webhook URL; the webhook itself stays in Discord.',
    signsInThroughBrowser: false,
  },
  slack: {
    description: 'Post text to a channel through an incoming webhook.',
    Logo: SlackLogo,
    tint: null,
    ConnectForm: ({ reconnect, ...props }) => (
      <SlackConnectForm reconnecting={reconnect !== undefined} channelName={reconnect?.handle} {...props} />
    ),
    disconnectNote: 'Localpost forgets the webhook URL; the webhook itself stays in Slack.',
    signsInThroughBrowser: false,
  },
  telegram: {
    description: 'Post to a channel or group with your own bot.',
    Logo: TelegramLogo,
    tint: '#229ed9',
    ConnectForm: ({ reconnect, ...props }) => <TelegramConnectForm reconnecting={reconnect !== undefined} {...props} />,
    disconnectNote: 'Localpost forgets the bot token; the bot stays in the chat until you remove it.',
    signsInThroughBrowser: false,
  },
  linkedin: {
    description: 'Sign in in your browser through your own LinkedIn developer app.',
    Logo: LinkedInLogo,
    tint: '#0a66c2',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="linkedin"
        reconnecting={reconnect !== undefined}
        needsApp="LinkedIn lets an app post for you only once it has the Share on LinkedIn product, so Localpost posts through your own: create one in the LinkedIn Developer Portal and save its Client ID and Client Secret in Settings first."
        facts={
          <>
            <dt>Sign-in</dt>
            <dd>LinkedIn’s sign-in lasts 60 days; Localpost reminds you a week ahead to connect again.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost forgets the sign-in; remove the app in your LinkedIn settings to end its access there.',
    signsInThroughBrowser: true,
  },
  pinterest: {
    description: 'Sign in in your browser through your own Pinterest developer app. Pin to any of your boards.',
    Logo: PinterestLogo,
    tint: '#e60023',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="pinterest"
        reconnecting={reconnect !== undefined}
        needsApp="Pinterest gives API access to each developer app, so Localpost pins through your own: create one at Pinterest Developers and save its app id and secret key in Settings first."
        facts={
          <>
            <dt>Boards</dt>
            <dd>Choose the board for each pin in the composer, or make a new one there.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost forgets the sign-in; remove its access under Security in your Pinterest settings.',
    signsInThroughBrowser: true,
    PostOptions: PinterestOptions,
  },
  tiktok: {
    description: 'Sign in in your browser through your own TikTok developer app. Post videos.',
    Logo: TikTokLogo,
    tint: '#fe2c55',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="tiktok"
        reconnecting={reconnect !== undefined}
        needsApp="TikTok lets an app post only once it has Login Kit and the Content Posting API, so Localpost posts through your own: create one at TikTok for Developers and save its Client key and Client secret in Settings first."
        facts={
          <>
            <dt>Private until audited</dt>
            <dd>Until TikTok audits your app, it posts only privately (“Only me”), and the TikTok account itself must be private.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost revokes its access on TikTok and forgets the sign-in.',
    signsInThroughBrowser: true,
    PostOptions: TikTokOptions,
  },
  threads: {
    description: 'Sign in in your browser through your own Meta app with the Threads use case. Post text.',
    Logo: ThreadsLogo,
    // Threads' mark is black on white or white on black: drawn in the text colour, as X's, so it
    // shows in the dark theme too.
    tint: null,
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="threads"
        reconnecting={reconnect !== undefined}
        needsApp="Meta gives the Threads API to each app with the Threads use case, so Localpost posts through your own: create one at Meta for Developers, add “Access the Threads API”, and save its Threads app ID and secret in Settings first."
        facts={
          <>
            <dt>Sign-in</dt>
            <dd>Threads’ sign-in lasts 60 days; Localpost renews it by itself while the app is used.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost forgets the sign-in; remove the app under Settings → Account → Website permissions in Threads to end its access there.',
    signsInThroughBrowser: true,
  },
  facebook: {
    description: 'Sign in in your browser through your own Meta app with Facebook Login. Every Page you manage becomes an account: post text, links, photos or a video.',
    Logo: FacebookLogo,
    tint: '#0866ff',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="facebook"
        reconnecting={reconnect !== undefined}
        needsApp="Meta lets an app post to Pages only for the people who grant it, so Localpost posts through your own: create an app at Meta for Developers, add Facebook Login, and save its App ID and App secret in Settings first."
        facts={
          <>
            <dt>Pages</dt>
            <dd>One sign-in connects every Page you may create posts on; each becomes an account of its own. Connect again to add a Page.</dd>
            <dt>Sign-in</dt>
            <dd>A Page’s sign-in does not expire; it ends if you change your Facebook password or remove the app.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost forgets this Page’s sign-in; remove the app under Facebook’s Settings → Business integrations to end its access to all your Pages.',
    signsInThroughBrowser: true,
    accountNoun: { one: 'Page', many: 'Pages' },
  },
  instagram: {
    description: 'Sign in in your browser through your own Meta app with Instagram Login. Post photos, carousels and Reels from a professional account.',
    Logo: InstagramLogo,
    tint: '#e1306c',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="instagram"
        reconnecting={reconnect !== undefined}
        needsApp="Meta gives the Instagram API to each app with the “Instagram API with Instagram Login” product, so Localpost posts through your own: create one at Meta for Developers, add the product, and save its Instagram app ID and secret in Settings first."
        facts={
          <>
            <dt>Professional accounts</dt>
            <dd>Only Business and Creator accounts can post through the API.</dd>
            <dt>Sign-in</dt>
            <dd>Instagram’s sign-in lasts 60 days; Localpost renews it by itself while the app is used.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost forgets the sign-in; remove the app under Settings → Website permissions → Apps and websites in Instagram to end its access there.',
    signsInThroughBrowser: true,
  },
  youtube: {
    description: 'Sign in in your browser through your own Google Cloud OAuth client. Upload videos to your channel.',
    Logo: YouTubeLogo,
    tint: '#ff0000',
    ConnectForm: ({ reconnect, ...props }) => (
      <DeveloperAppConnectForm
        platform="youtube"
        reconnecting={reconnect !== undefined}
        needsApp="Google gives the YouTube Data API to each Google Cloud project, so Localpost uploads through your own: create a project, enable the YouTube Data API v3, make a Desktop app OAuth client, and save its Client ID and secret in Settings first."
        facts={
          <>
            <dt>Videos only</dt>
            <dd>YouTube takes a video with a title; the post’s text is its description.</dd>
            <dt>Private until audited</dt>
            <dd>Google keeps uploads private while your Google Cloud project has not passed its audit.</dd>
            <dt>Testing</dt>
            <dd>While the consent screen is in Testing, Google ends the sign-in after 7 days: Localpost shows the day, and Reconnect keeps the channel.</dd>
            <dt>Daily quota</dt>
            <dd>Each upload spends your project’s daily quota, which resets at midnight Pacific time.</dd>
          </>
        }
        {...props}
      />
    ),
    disconnectNote: 'Localpost revokes the sign-in at Google and forgets it; your OAuth client stays in Settings.',
    signsInThroughBrowser: true,
    PostOptions: YouTubeOptions,
  },
};

export const platformNames = Object.fromEntries(platformIds.map((id) => [id, platformRules[id].name])) as Record<Platform, string>;

export interface ConnectablePlatform {
  id: Platform;
  name: string;
  description: string;
}

/** The choice screen's list, in the order of the platform ids. */
export const connectablePlatforms: ConnectablePlatform[] = platformIds.map((id) => ({
  id,
  name: platformNames[id],
  description: platformUi[id].description,
}));

/** "Bluesky, Mastodon, X, Discord, Slack or Telegram": every platform an account can be added for. */
export const connectablePlatformList = `${connectablePlatforms
  .slice(0, -1)
  .map((platform) => platform.name)
  .join(', ')} or ${connectablePlatforms.at(-1)!.name}`;

/** The platform's mark on its tinted tile; `small` sits next to a line of text. Decorative. Drawn
 *  again only when its platform or size changes: it stands in every row, tab and section. */
export const PlatformLogo = memo(function PlatformLogo({ platform, small = false }: { platform: Platform; small?: boolean }): ReactNode {
  const { Logo, tint } = platformUi[platform];
  return (
    <span
      className={small ? 'platform-logo platform-logo-small' : 'platform-logo'}
      data-platform={platform}
      data-tint={tint ? 'brand' : 'none'}
      style={tint ? ({ '--platform-tint': tint } as CSSProperties) : undefined}
    >
      <Logo />
    </span>
  );
});
