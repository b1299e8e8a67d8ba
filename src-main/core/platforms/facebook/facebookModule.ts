// Facebook Pages' registration: the Meta app saved in Settings (Facebook Login), its https loopback
// redirect, and one account per Page from one sign-in. Page tokens do not expire, so the grants are
// tracked (a revoked one shows) with nothing to renew.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { FacebookAdapter } from './facebookAdapter';

export const facebookModule = {
  id: 'facebook',
  oauth: {},
  create(ctx) {
    const deps = { ...ctx.developerAppDeps('facebook'), settings: () => ctx.settings() };
    const adapter = new FacebookAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'facebook'>;
