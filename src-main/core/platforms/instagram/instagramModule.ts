// Instagram's registration: the Meta app's "Instagram API with Instagram Login" (saved in
// Settings), its https loopback redirect, the long-lived token renewed by exchanging it
// (instagramTokenPolicy.renew), and the Graph API version from the user's settings.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { InstagramAdapter, instagramTokenPolicy } from './instagramAdapter';

export const instagramModule = {
  id: 'instagram',
  oauth: { tokenPolicy: instagramTokenPolicy },
  create(ctx) {
    const deps = {
      ...ctx.developerAppDeps('instagram'),
      mediaStorage: ctx.mediaStorage,
      media: ctx.media,
      settings: () => ctx.settings(),
      // Tests shorten the wait between container status reads (LOCALPOST_INSTAGRAM_STATUS_POLL_MS).
      ...(Number(ctx.env.LOCALPOST_INSTAGRAM_STATUS_POLL_MS) > 0 ? { statusPollDelayMs: Number(ctx.env.LOCALPOST_INSTAGRAM_STATUS_POLL_MS) } : {}),
    };
    const adapter = new InstagramAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'instagram'>;
