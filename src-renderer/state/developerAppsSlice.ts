// The user's own developer apps (X bills posts to the app that makes them, so Localpost uses the
// user's). The client secret goes from the settings form straight into the bridge call and never
// comes back: the core answers only whether one is saved.
import { api, call, type BridgeError, type DeveloperApp } from '../bridge';
import type { SliceCreator } from './types';

export interface XDeveloperAppInput {
  clientId: string;
  /** Absent keeps the saved secret; '' removes it. */
  clientSecret?: string;
  redirectPort: number;
}

export interface DeveloperAppsSlice {
  xDeveloperApp: DeveloperApp | null;
  xDeveloperAppError: BridgeError | null;
  loadXDeveloperApp(): Promise<void>;
  saveXDeveloperApp(input: XDeveloperAppInput): Promise<BridgeError | null>;
}

export const createDeveloperAppsSlice: SliceCreator<DeveloperAppsSlice> = (set) => ({
  xDeveloperApp: null,
  xDeveloperAppError: null,

  async loadXDeveloperApp() {
    const result = await call(api.developerApps.get({ platform: 'x' }));
    if (!result.ok) return set({ xDeveloperAppError: result.error });
    set({ xDeveloperApp: result.value, xDeveloperAppError: null });
  },

  async saveXDeveloperApp(input) {
    const result = await call(api.developerApps.save({ platform: 'x', ...input }));
    if (!result.ok) return result.error;
    set({ xDeveloperApp: result.value, xDeveloperAppError: null });
    return null;
  },
});
