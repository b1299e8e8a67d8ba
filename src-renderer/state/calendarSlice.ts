// The calendar of the active profile: which week or month is shown, the posts and open posting
// slots the core found in it, and each account's posting slots. `outbox.changed` and
// `history.changed` reload the range on screen, so a post moved, sent or cancelled anywhere shows
// where it now is.
import { api, call, type AccountPostingSlots, type BridgeError, type OpenSlot, type Post, type PostingSlot } from '../bridge';
import type { CalendarMode } from '../features/calendar/calendarGrid';
import { browserTimeZone } from '../ui/ScheduleFields';
import type { ScheduleChoice } from './outboxSlice';
import type { SliceCreator } from './types';

export interface CalendarRange {
  from: number;
  to: number;
  posts: Post[];
  /** The range holds more posts than were loaded. */
  more: boolean;
  openSlots: OpenSlot[];
}

export interface CalendarSlice {
  calendarMode: CalendarMode;
  /** A day (`YYYY-MM-DD`) inside the week or month shown; null: today. */
  calendarAnchor: string | null;
  calendarRange: CalendarRange | null;
  calendarError: BridgeError | null;
  postingSlots: AccountPostingSlots[] | null;
  postingSlotsError: BridgeError | null;
  /** "Set posting slots" was asked for: the Calendar brings its slots into view. */
  slotsRequested: boolean;
  showPostingSlots(): void;
  /** Whether the slots were asked for since last time (and no longer). */
  takeSlotsRequest(): boolean;
  showCalendar(mode: CalendarMode, anchor: string | null): void;
  loadCalendar(): Promise<void>;
  /** Reschedules a post from the calendar (a drag, or the keyboard); the error, or null. */
  movePost(postId: string, schedule: ScheduleChoice): Promise<BridgeError | null>;
  loadPostingSlots(): Promise<void>;
  savePostingSlots(accountId: string, slots: PostingSlot[]): Promise<BridgeError | null>;
}

/** The zone the calendar reads days in: the system's, as the schedule fields start with. */
export function calendarZone(state: { appInfo: { timeZone: string } | null }): string {
  return state.appInfo?.timeZone ?? browserTimeZone();
}

export const createCalendarSlice: SliceCreator<CalendarSlice> = (set, get) => {
  // Only the latest load's answer is shown: a slower, older one never puts a past range back.
  let latestLoad = 0;
  let newestLoad: Promise<void> = Promise.resolve();

  return {
    calendarMode: 'week',
    calendarAnchor: null,
    calendarRange: null,
    calendarError: null,
    postingSlots: null,
    postingSlotsError: null,
    slotsRequested: false,

    showPostingSlots() {
      set({ slotsRequested: true });
      get().showView('calendar');
    },

    takeSlotsRequest() {
      const requested = get().slotsRequested;
      if (requested) set({ slotsRequested: false });
      return requested;
    },

    showCalendar(mode, anchor) {
      set({ calendarMode: mode, calendarAnchor: anchor });
      void get().loadCalendar();
    },

    loadCalendar() {
      const load = ++latestLoad;
      const loading = (async () => {
        const zone = calendarZone(get());
        const { calendarMode, calendarAnchor } = get();
        // With the Calendar's own code (luxon among it), which the first screen does not load.
        const { calendarGrid, todayIn } = await import('../features/calendar/calendarGrid');
        const grid = calendarGrid(calendarMode, calendarAnchor ?? todayIn(zone), zone);
        const result = await call(api.calendar.range({ from: grid.from, to: grid.to, zone }));
        // A later load's answer wins; this one ends when that one is shown, so whoever waits
        // (a move that then focuses the moved post) sees the calendar as it now is.
        if (load !== latestLoad) return newestLoad;
        if (!result.ok) return set({ calendarError: result.error });
        set({ calendarRange: { from: grid.from, to: grid.to, ...result.value }, calendarError: null });
      })();
      newestLoad = loading;
      return loading;
    },

    async movePost(postId, schedule) {
      const error = await get().reschedulePost(postId, schedule);
      // Refused or not, the calendar shows the post where the core has it.
      await get().loadCalendar();
      return error;
    },

    async loadPostingSlots() {
      const result = await call(api.postingSlots.list({}));
      if (!result.ok) return set({ postingSlotsError: result.error });
      set({ postingSlots: result.value, postingSlotsError: null });
    },

    async savePostingSlots(accountId, slots) {
      const result = await call(api.postingSlots.set({ accountId, slots }));
      if (!result.ok) return result.error;
      set((state) => ({
        postingSlots: [...(state.postingSlots ?? []).filter((entry) => entry.accountId !== accountId), ...(result.value.slots.length > 0 ? [result.value] : [])],
      }));
      // Open-slot markers follow the slots.
      void get().loadCalendar();
      return null;
    },
  };
};
