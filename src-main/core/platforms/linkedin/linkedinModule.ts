// LinkedIn's registration: the standard OAuth flow (client secret, no PKCE) through the user's own
// developer app saved in Settings.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { LinkedInAdapter, linkedinImageProcessingWait, linkedinTokenPolicy } from './linkedinAdapter';

export const linkedinModule = {
  id: 'linkedin',
  // 60-day access tokens and no refresh token for a "Share on LinkedIn" app
  // (programmatic-refresh-tokens): the user is told a week ahead to reconnect.
  oauth: { tokenPolicy: linkedinTokenPolicy },
  create(ctx) {
    const firstCheck = Number(ctx.env.LOCALPOST_LINKEDIN_IMAGE_POLL_MS);
    const deps = {
      ...ctx.developerAppDeps('linkedin'),
      // Tests and benchmarks shorten the wait before an uploaded image's first status read
      // (LOCALPOST_LINKEDIN_IMAGE_POLL_MS), as the Threads and Instagram status polls are shortened.
      ...(firstCheck > 0 ? { imageProcessingWait: { ...linkedinImageProcessingWait, firstCheckAfterMs: firstCheck } } : {}),
    };
    const adapter = new LinkedInAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'linkedin'>;
