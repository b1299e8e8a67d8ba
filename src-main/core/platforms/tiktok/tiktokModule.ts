// TikTok's registration: Login Kit for Desktop through the user's own developer app (saved in
// Settings), the secret and `client_key` in the token request's body, PKCE with a hex challenge.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { TikTokAdapter, tiktokTokenPolicy } from './tiktokAdapter';

export const tiktokModule = {
  id: 'tiktok',
  oauth: { tokenPolicy: tiktokTokenPolicy },
  create(ctx) {
    const deps = {
      ...ctx.developerAppDeps('tiktok'),
      // Tests shorten TikTok's processing wait (LOCALPOST_TIKTOK_STATUS_POLL_MS); the app keeps its defaults.
      ...(Number(ctx.env.LOCALPOST_TIKTOK_STATUS_POLL_MS) > 0 ? { statusPollDelayMs: Number(ctx.env.LOCALPOST_TIKTOK_STATUS_POLL_MS) } : {}),
      ...(Number(ctx.env.LOCALPOST_TIKTOK_MODERATION_WAIT_MS) > 0 ? { moderationWaitMs: Number(ctx.env.LOCALPOST_TIKTOK_MODERATION_WAIT_MS) } : {}),
    };
    const adapter = new TikTokAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'tiktok'>;
