// LinkedIn's registration: the standard OAuth flow (client secret, no PKCE) through the user's own
// developer app saved in Settings.
import type { PlatformModule } from '../platformModule';
import { LinkedInAdapter, linkedinTokenPolicy } from './linkedinAdapter';

export const linkedinModule = {
  id: 'linkedin',
  // 60-day access tokens and no refresh token for a "Share on LinkedIn" app
  // (programmatic-refresh-tokens): the user is told a week ahead to reconnect.
  oauth: { tokenPolicy: linkedinTokenPolicy },
  create(ctx) {
    const adapter = new LinkedInAdapter({
      oauth: ctx.oauth,
      oauthAccounts: ctx.oauthAccounts,
      accounts: ctx.accounts,
      developerApp: ctx.developerApps.forPlatform('linkedin'),
      fetch: ctx.fetch,
      clock: ctx.clock,
      env: ctx.env,
      log: ctx.log,
    });
    return { adapter, connect: (_input, profileId) => adapter.connect(profileId), testDeveloperApp: (app) => adapter.testDeveloperApp(app) };
  },
} satisfies PlatformModule<'linkedin'>;
