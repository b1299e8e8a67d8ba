// LinkedIn's registration: the standard OAuth flow (client secret, no PKCE) through the user's own
// developer app saved in Settings.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { LinkedInAdapter, linkedinTokenPolicy } from './linkedinAdapter';

export const linkedinModule = {
  id: 'linkedin',
  // 60-day access tokens and no refresh token for a "Share on LinkedIn" app
  // (programmatic-refresh-tokens): the user is told a week ahead to reconnect.
  oauth: { tokenPolicy: linkedinTokenPolicy },
  create(ctx) {
    const deps = ctx.developerAppDeps('linkedin');
    const adapter = new LinkedInAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'linkedin'>;
