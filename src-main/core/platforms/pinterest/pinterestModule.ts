// Pinterest's registration: OAuth 2.0 code flow through the user's own developer app (saved in
// Settings), HTTP Basic at the token endpoint.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { PinterestAdapter, pinterestTokenPolicy } from './pinterestAdapter';

export const pinterestModule = {
  id: 'pinterest',
  oauth: { tokenPolicy: pinterestTokenPolicy },
  create(ctx) {
    const deps = { ...ctx.developerAppDeps('pinterest'), media: ctx.media };
    const adapter = new PinterestAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'pinterest'>;
