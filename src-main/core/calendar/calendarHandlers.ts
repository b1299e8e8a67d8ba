// The bridge's `calendar.*` and `postingSlots.*` groups: what the calendar shows for a range, each
// account's posting slots, and "Add to queue", which schedules a draft at the next free slot.
import type { HandlersFor } from '../bridge/dispatch';
import type { ComposeService } from '../compose/composeService';
import type { Outbox } from '../outbox/outbox';
import type { UploadProgress } from '../outbox/uploadProgress';
import type { Clock } from '../ports';
import type { CalendarQuery } from './calendarQuery';
import { nextFreeSlot, occupancyKey, requireZone, slotOccurrences } from './postingSlots';
import type { PostingSlotStore } from './postingSlotStore';

export function createCalendarHandlers(deps: {
  calendar: CalendarQuery;
  slots: PostingSlotStore;
  outbox: Pick<Outbox, 'schedule'>;
  compose: Pick<ComposeService, 'targetAccounts'>;
  progress: Pick<UploadProgress, 'apply'>;
  clock: Clock;
  activeProfileId(): string;
}): HandlersFor<'calendar' | 'postingSlots'> {
  const { calendar, slots, activeProfileId: active } = deps;

  /** Slot markers only where a post could still go: from now on, and not where one already is. */
  const openSlots = (profileId: string, from: number, to: number, zone: string) => {
    const bySlot = slots.forProfile(profileId);
    const start = Math.max(from, deps.clock.now() + 1);
    if (bySlot.size === 0 || start >= to) return [];
    const occupied = slots.occupied([...bySlot.keys()], start);
    return slotOccurrences(bySlot, start, to, zone).filter((slot) => !occupied.has(occupancyKey(slot.accountId, slot.at)));
  };
  return {
    'calendar.range': ({ from, to, zone, limit }) => {
      requireZone(zone);
      const profileId = active();
      const { posts, more } = calendar.range(profileId, from, to, limit ?? 2000);
      return { posts: posts.map((post) => deps.progress.apply(post)), more, openSlots: openSlots(profileId, from, to, zone) };
    },
    'postingSlots.list': () => slots.list(active()),
    'postingSlots.set': ({ accountId, slots: wanted }) => slots.set(active(), accountId, wanted),
    'postingSlots.addToQueue': ({ draftId, zone }) => {
      const profileId = active();
      const accountIds = deps.compose.targetAccounts(profileId, draftId).map((account) => account.id);
      const now = deps.clock.now();
      const slot = nextFreeSlot({ slotsByAccount: slots.forAccounts(profileId, accountIds), occupied: slots.occupied(accountIds, now), now, zone });
      return deps.outbox.schedule(profileId, draftId, { local: slot.local, zone });
    },
  };
}
