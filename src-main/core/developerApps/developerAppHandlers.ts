// The bridge's `developerApps.*` group: the user's own developer app for each platform that lets
// only such an app post (src-shared/developerApps.ts lists them).
import type { HandlersFor } from '../bridge/dispatch';
import { describeDeveloperApp, type DeveloperAppStore } from './developerAppStore';

export function createDeveloperAppHandlers(deps: { developerApps: Pick<DeveloperAppStore, 'describe' | 'save'> }): HandlersFor<'developerApps'> {
  const { developerApps } = deps;
  return {
    'developerApps.get': ({ platform }) => developerApps.describe(platform),
    'developerApps.save': ({ platform, clientId, clientSecret, redirectPort, switches }) =>
      describeDeveloperApp(
        platform,
        developerApps.save(platform, { clientId, redirectPort, ...(clientSecret !== undefined ? { clientSecret } : {}), ...(switches ? { switches } : {}) }),
      ),
  };
}
