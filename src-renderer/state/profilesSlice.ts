// Profiles are isolation boundaries: switching one swaps every list the app
// shows, so the switch flushes the open draft first and then reloads accounts, drafts, history and
// the outbox.
import { api, call, type BridgeError, type Profile } from '../bridge';
import type { SliceCreator } from './types';

export interface ProfilesSlice {
  profiles: Profile[];
  activeProfileId: string | null;
  profilesError: BridgeError | null;
  loadProfiles(): Promise<void>;
  createProfile(name: string): Promise<BridgeError | null>;
  renameProfile(id: string, name: string): Promise<BridgeError | null>;
  switchProfile(id: string): Promise<BridgeError | null>;
  /** Reloads everything that belongs to the active profile, after it changed. */
  reloadProfileData(): Promise<void>;
}

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (set, get) => ({
  profiles: [],
  activeProfileId: null,
  profilesError: null,

  async loadProfiles() {
    const result = await call(api.profiles.list({}));
    if (!result.ok) return set({ profilesError: result.error });
    set({ profiles: result.value.profiles, activeProfileId: result.value.activeId, profilesError: null });
  },

  async createProfile(name) {
    const result = await call(api.profiles.create({ name }));
    if (!result.ok) return result.error;
    set((state) => ({ profiles: [...state.profiles, result.value] }));
    return get().switchProfile(result.value.id);
  },

  async renameProfile(id, name) {
    const result = await call(api.profiles.rename({ id, name }));
    if (!result.ok) return result.error;
    set((state) => ({ profiles: state.profiles.map((p) => (p.id === id ? result.value : p)) }));
    return null;
  },

  async switchProfile(id) {
    if (id === get().activeProfileId) return null;
    // A pending autosave belongs to the current profile's draft; once the switch lands, the core
    // would look for that draft in the new profile and not find it.
    await get().flushComposer();
    const previousId = get().activeProfileId;
    // Set before the call so the core's `profiles.changed` for this switch reads as already known
    // and does not start a second reload.
    set({ activeProfileId: id });
    const result = await call(api.profiles.switch({ id }));
    if (!result.ok) {
      set({ activeProfileId: previousId });
      return result.error;
    }
    set({ activeProfileId: result.value.activeId });
    await get().reloadProfileData();
    return null;
  },

  async reloadProfileData() {
    get().closeComposer();
    // Alerts name accounts of the profile that was active.
    get().clearAccountAlerts();
    // The calendar shows the other profile's posts only once they are loaded.
    set({ calendarRange: null });
    await Promise.all([
      get().loadAccounts(),
      get().loadDrafts(),
      get().loadHistory(),
      get().loadOutbox(),
      get().loadApprovals(),
      get().loadPostingSlots(),
      get().view === 'calendar' ? get().loadCalendar() : undefined,
    ]);
  },
});
