// The bridge's `developerApps.*` group: the user's own developer app for a platform that lets
// only such an app post. X is the only one so far (the contract's enum says so).
import type { HandlersFor } from '../bridge/dispatch';
import { describeXDeveloperApp, type XDeveloperAppStore } from '../platforms/x/developerApp';

export function createDeveloperAppHandlers(deps: { xDeveloperApp: Pick<XDeveloperAppStore, 'describe' | 'save'> }): HandlersFor<'developerApps'> {
  const { xDeveloperApp } = deps;
  return {
    'developerApps.get': () => xDeveloperApp.describe(),
    'developerApps.save': ({ clientId, clientSecret, redirectPort }) =>
      describeXDeveloperApp(xDeveloperApp.save({ clientId, redirectPort, ...(clientSecret !== undefined ? { clientSecret } : {}) })),
  };
}
