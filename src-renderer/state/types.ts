// The shape of the one app store: each feature contributes a slice, and slices may read each
// other through `get()` (switching profile, for one, reloads accounts, drafts, history and outbox).
import type { StateCreator } from 'zustand';
import type { AccountAlertsSlice } from './accountAlertsSlice';
import type { AccountsSlice } from './accountsSlice';
import type { ApprovalsSlice } from './approvalsSlice';
import type { CalendarSlice } from './calendarSlice';
import type { ComposerSlice } from './composerSlice';
import type { DataRightsSlice } from './dataRightsSlice';
import type { DeveloperAppsSlice } from './developerAppsSlice';
import type { HistorySlice } from './historySlice';
import type { OutboxSlice } from './outboxSlice';
import type { AppSlice } from './appSlice';
import type { ProfilesSlice } from './profilesSlice';
import type { SettingsSlice } from './settingsSlice';

export type AppState = AppSlice &
  ProfilesSlice &
  AccountsSlice &
  AccountAlertsSlice &
  ComposerSlice &
  HistorySlice &
  OutboxSlice &
  SettingsSlice &
  DeveloperAppsSlice &
  DataRightsSlice &
  ApprovalsSlice &
  CalendarSlice;

export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;
