// The bridge's `developerApps.*` group: the user's own developer app for each platform that lets
// only such an app post (src-shared/developerApps.ts lists them).
import { developerAppSpecs } from '../../../src-shared/developerApps';
import type { HandlersFor } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { DeveloperAppTests } from '../platforms/createPlatforms';
import { describeDeveloperApp, type DeveloperAppChanges, type DeveloperAppStore } from './developerAppStore';

export function createDeveloperAppHandlers(deps: {
  developerApps: Pick<DeveloperAppStore, 'describe' | 'save' | 'withChanges'>;
  tests: DeveloperAppTests;
}): HandlersFor<'developerApps'> {
  const { developerApps, tests } = deps;
  const changes = (input: DeveloperAppChanges): DeveloperAppChanges => ({
    clientId: input.clientId,
    redirectPort: input.redirectPort,
    ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret } : {}),
    ...(input.switches ? { switches: input.switches } : {}),
  });
  return {
    'developerApps.get': ({ platform }) => developerApps.describe(platform),
    'developerApps.save': ({ platform, ...input }) => describeDeveloperApp(platform, developerApps.save(platform, changes(input))),
    'developerApps.test': async ({ platform, ...input }) => {
      const test = tests[platform];
      if (!test) {
        throw new AppError('invalid_input', `Localpost cannot test ${developerAppSpecs[platform].name} apps yet.`, { action: 'Save the app; it is checked when you connect.' });
      }
      return test(developerApps.withChanges(platform, changes(input)));
    },
  };
}
