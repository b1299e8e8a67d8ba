// Every platform's module, by id: the one place the core registers a platform. Keyed by every
// platform id, so a platform in platformIds without a module here does not compile.
import type { Platform } from '../../../src-preload/contract';
import { blueskyModule } from './bluesky/blueskyModule';
import { discordModule } from './discord/discordModule';
import { instagramModule } from './instagram/instagramModule';
import { facebookModule } from './facebook/facebookModule';
import { linkedinModule } from './linkedin/linkedinModule';
import { mastodonModule } from './mastodon/mastodonModule';
import { pinterestModule } from './pinterest/pinterestModule';
import type { PlatformModule } from './platformModule';
import { slackModule } from './slack/slackModule';
import { telegramModule } from './telegram/telegramModule';
import { threadsModule } from './threads/threadsModule';
import { tiktokModule } from './tiktok/tiktokModule';
import { xModule } from './x/xModule';
import { youTubeModule } from './youtube/youtubeModule';

export const platformModules = {
  bluesky: blueskyModule,
  mastodon: mastodonModule,
  x: xModule,
  discord: discordModule,
  slack: slackModule,
  telegram: telegramModule,
  linkedin: linkedinModule,
  pinterest: pinterestModule,
  tiktok: tiktokModule,
  youtube: youTubeModule,
  threads: threadsModule,
  instagram: instagramModule,
  facebook: facebookModule,
} as const satisfies { [P in Platform]: PlatformModule<P> };
