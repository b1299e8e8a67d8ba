// Settings → Your data: show the data folder, export it, or delete everything. The core does the
// work; the page never learns a path.
import { api, call, type BridgeError, type DataExportOutcome, type Result } from '../bridge';
import type { SliceCreator } from './types';

export interface DataRightsSlice {
  showDataFolder(): Promise<BridgeError | null>;
  /** Asks for a folder in the OS dialog, then writes the export there. */
  exportData(): Promise<Result<DataExportOutcome>>;
  /** On success Localpost starts afresh (the page is loaded again); only a refusal comes back. */
  eraseEverything(revokeAtPlatforms: boolean, confirmation: string): Promise<BridgeError | null>;
}

export const createDataRightsSlice: SliceCreator<DataRightsSlice> = () => ({
  async showDataFolder() {
    const result = await call(api.data.showFolder({}));
    return result.ok ? null : result.error;
  },

  exportData() {
    return call(api.data.export({}));
  },

  async eraseEverything(revokeAtPlatforms, confirmation) {
    const result = await call(api.data.eraseEverything({ revokeAtPlatforms, confirmation }));
    return result.ok ? null : result.error;
  },
});
