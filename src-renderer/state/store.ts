// The one app store, assembled from one slice per feature.
import { create } from 'zustand';
import { createAccountAlertsSlice } from './accountAlertsSlice';
import { createAccountsSlice } from './accountsSlice';
import { createAppSlice } from './appSlice';
import { createApprovalsSlice } from './approvalsSlice';
import { createCalendarSlice } from './calendarSlice';
import { createComposerSlice } from './composerSlice';
import { createDataRightsSlice } from './dataRightsSlice';
import { createDeveloperAppsSlice } from './developerAppsSlice';
import { createHistorySlice } from './historySlice';
import { createOutboxSlice } from './outboxSlice';
import { createProfilesSlice } from './profilesSlice';
import { createSettingsSlice } from './settingsSlice';
import type { AppState } from './types';

export type { AppState } from './types';

export const useAppStore = create<AppState>()((...slice) => ({
  ...createAppSlice(...slice),
  ...createProfilesSlice(...slice),
  ...createAccountsSlice(...slice),
  ...createAccountAlertsSlice(...slice),
  ...createComposerSlice(...slice),
  ...createHistorySlice(...slice),
  ...createOutboxSlice(...slice),
  ...createSettingsSlice(...slice),
  ...createDeveloperAppsSlice(...slice),
  ...createDataRightsSlice(...slice),
  ...createApprovalsSlice(...slice),
  ...createCalendarSlice(...slice),
}));
