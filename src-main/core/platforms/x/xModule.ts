// X's registration: OAuth 2.0 with PKCE through the user's own developer app (saved in Settings).
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { XAdapter, xTokenPolicy } from './xAdapter';

export const xModule = {
  id: 'x',
  // X's access tokens last 2 hours: refresh 5 minutes ahead (docs.x.com, authorization-code),
  // also for accounts saved in earlier runs.
  oauth: { tokenPolicy: xTokenPolicy },
  create(ctx) {
    const deps = ctx.developerAppDeps('x');
    const adapter = new XAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'x'>;
