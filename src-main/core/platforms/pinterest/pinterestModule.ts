// Pinterest's registration: OAuth 2.0 code flow through the user's own developer app (saved in
// Settings), HTTP Basic at the token endpoint.
import type { PlatformModule } from '../platformModule';
import { PinterestAdapter, pinterestTokenPolicy } from './pinterestAdapter';

export const pinterestModule = {
  id: 'pinterest',
  oauth: { tokenPolicy: pinterestTokenPolicy },
  create(ctx) {
    const adapter = new PinterestAdapter({
      oauth: ctx.oauth,
      oauthAccounts: ctx.oauthAccounts,
      accounts: ctx.accounts,
      developerApp: ctx.developerApps.forPlatform('pinterest'),
      fetch: ctx.fetch,
      clock: ctx.clock,
      env: ctx.env,
      log: ctx.log,
    });
    return { adapter, connect: (_input, profileId) => adapter.connect(profileId), testDeveloperApp: (app) => adapter.testDeveloperApp(app) };
  },
} satisfies PlatformModule<'pinterest'>;
