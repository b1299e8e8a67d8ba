// The platforms an account can be added for. Adding one is adding an entry here and its connect
// form in AccountsView; the choice screen is built from this list. Names come from the shared
// platform table, so the counter, preflight and these screens call a platform the same.
import type { ReactNode } from 'react';
import type { Platform } from '../../bridge';
import { platformRules } from '../../../src-shared/platforms';
import { BlueskyLogo, DiscordLogo, MastodonLogo, SlackLogo, TelegramLogo, XLogo } from '../../ui/icons';

export interface ConnectablePlatform {
  id: Platform;
  name: string;
  description: string;
}

export const platformNames: Record<Platform, string> = {
  bluesky: platformRules.bluesky.name,
  mastodon: platformRules.mastodon.name,
  x: platformRules.x.name,
  discord: platformRules.discord.name,
  slack: platformRules.slack.name,
  telegram: platformRules.telegram.name,
};

export const connectablePlatforms: ConnectablePlatform[] = [
  { id: 'bluesky', name: platformNames.bluesky, description: 'Connect with an app password. Any hosting provider.' },
  { id: 'mastodon', name: platformNames.mastodon, description: 'Sign in on your instance in your browser. Any Mastodon server.' },
  { id: 'x', name: platformNames.x, description: 'Sign in in your browser through your own X developer app.' },
  { id: 'discord', name: platformNames.discord, description: 'Post to a channel through its webhook URL.' },
  { id: 'slack', name: platformNames.slack, description: 'Post text to a channel through an incoming webhook.' },
  { id: 'telegram', name: platformNames.telegram, description: 'Post to a channel or group with your own bot.' },
];

export const platformLogos: Record<Platform, ReactNode> = {
  bluesky: <BlueskyLogo />,
  mastodon: <MastodonLogo />,
  x: <XLogo />,
  discord: <DiscordLogo />,
  slack: <SlackLogo />,
  telegram: <TelegramLogo />,
};

/** The platform's mark on its tinted tile; `small` sits next to a line of text. Decorative. */
export function PlatformLogo({ platform, small = false }: { platform: Platform; small?: boolean }) {
  return (
    <span className={small ? 'platform-logo platform-logo-small' : 'platform-logo'} data-platform={platform}>
      {platformLogos[platform]}
    </span>
  );
}

/** What Disconnect makes Localpost forget, said on the confirmation. */
export const disconnectNotes: Record<Platform, string> = {
  bluesky: 'Localpost signs out and forgets the app password.',
  mastodon: 'Localpost revokes its access on your instance and forgets the sign-in.',
  x: 'Localpost revokes its access on X and forgets the sign-in.',
  discord: 'Localpost forgets the webhook URL; the webhook itself stays in Discord.',
  slack: 'Localpost forgets the webhook URL; the webhook itself stays in Slack.',
  telegram: 'Localpost forgets the bot token; the bot stays in the chat until you remove it.',
};

/** Platforms whose sign-in finishes in the system browser (OAuth): whoever is signed in there is
 *  who comes back, so a new account from it is named with an Undo (ConnectedAsNotice). */
export const signsInThroughBrowser: Record<Platform, boolean> = {
  bluesky: false,
  mastodon: true,
  x: true,
  discord: false,
  slack: false,
  telegram: false,
};
