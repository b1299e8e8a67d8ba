// The user's own developer apps, one per platform that needs one (src-shared/developerApps.ts).
// The client secret goes from the settings form straight into the bridge call and never comes
// back: the core answers only whether one is saved.
import type { DeveloperAppPlatform } from '../../src-shared/developerApps';
import { api, call, type BridgeError, type DeveloperApp } from '../bridge';
import type { SliceCreator } from './types';

export interface DeveloperAppInput {
  clientId: string;
  /** Absent keeps the saved secret; '' removes it. */
  clientSecret?: string;
  redirectPort: number;
  /** Absent keeps the saved switches. */
  switches?: Record<string, boolean>;
}

export interface DeveloperAppsSlice {
  /** Each platform's app once read; absent until then. */
  developerApps: Partial<Record<DeveloperAppPlatform, DeveloperApp>>;
  developerAppErrors: Partial<Record<DeveloperAppPlatform, BridgeError>>;
  loadDeveloperApp(platform: DeveloperAppPlatform): Promise<void>;
  saveDeveloperApp(platform: DeveloperAppPlatform, input: DeveloperAppInput): Promise<BridgeError | null>;
  /** Asks the platform whether it takes the app's credentials as typed; nothing is saved. */
  testDeveloperApp(platform: DeveloperAppPlatform, input: DeveloperAppInput): Promise<{ ok: true; message: string } | { ok: false; error: BridgeError }>;
}

export const createDeveloperAppsSlice: SliceCreator<DeveloperAppsSlice> = (set) => {
  const store = (platform: DeveloperAppPlatform, app: DeveloperApp) =>
    set((s) => {
      const { [platform]: _cleared, ...errors } = s.developerAppErrors;
      return { developerApps: { ...s.developerApps, [platform]: app }, developerAppErrors: errors };
    });
  return {
    developerApps: {},
    developerAppErrors: {},

    async loadDeveloperApp(platform) {
      const result = await call(api.developerApps.get({ platform }));
      if (!result.ok) return set((s) => ({ developerAppErrors: { ...s.developerAppErrors, [platform]: result.error } }));
      store(platform, result.value);
    },

    async saveDeveloperApp(platform, input) {
      const result = await call(api.developerApps.save({ platform, ...input }));
      if (!result.ok) return result.error;
      store(platform, result.value);
      return null;
    },

    async testDeveloperApp(platform, input) {
      const result = await call(api.developerApps.test({ platform, ...input }));
      return result.ok ? { ok: true, message: result.value.message } : result;
    },
  };
};
