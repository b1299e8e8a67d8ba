// Posting slots: the times of the week an account posts at ("weekdays 09:00 and 17:00"), and the
// rule "Add to queue" follows to pick one.
//
// A slot is a weekday and a wall time, read in the user's zone on each date through schedule.ts,
// so 09:00 stays 09:00 on the wall across a daylight-saving change; a slot inside the spring gap
// (02:30 when clocks jump from 02:00 to 03:00) moves forward by the gap, and one in the repeated
// hour takes its first occurrence, exactly as a schedule typed by hand would.
//
// The rule for a post to several accounts: the earliest upcoming slot of any of its accounts that
// no scheduled post to that same account already occupies (same instant). The post goes out to
// all its accounts at that time; an account without slots never blocks nor chooses a time. Only
// slots strictly after now count, and the search looks a year ahead at most.
import { DateTime } from 'luxon';
import type { PostingSlot } from '../../../src-preload/contract';
import { compareCodeUnits } from '../../../src-shared/codeUnitOrder';
import { AppError } from '../errors';
import { isValidTimeZone, scheduleAt } from '../outbox/schedule';

/** A slot as stored: an ISO weekday (1 Monday … 7 Sunday) and minutes after midnight. */
export interface StoredSlot {
  weekday: number;
  minuteOfDay: number;
}

/** One slot on one date: when it is (epoch ms) and its wall time (`YYYY-MM-DDTHH:mm`). */
export interface SlotOccurrence {
  accountId: string;
  at: number;
  local: string;
}

const timePattern = /^(\d{2}):(\d{2})$/;
const horizonDays = 366;

/** Checks and normalises what the user entered; each problem is `posting_slots.invalid`. */
export function parseSlots(slots: readonly PostingSlot[]): StoredSlot[] {
  const seen = new Set<string>();
  const parsed = slots.map((slot, index) => {
    const where = `Slot ${index + 1}`;
    if (!Number.isInteger(slot.weekday) || slot.weekday < 1 || slot.weekday > 7) {
      throw new AppError('posting_slots.invalid', `${where}: ${slot.weekday} is not a weekday.`, {
        action: 'Use 1 for Monday through 7 for Sunday.',
      });
    }
    const match = timePattern.exec(slot.time);
    const hour = Number(match?.[1]);
    const minute = Number(match?.[2]);
    if (!match || hour > 23 || minute > 59) {
      throw new AppError('posting_slots.invalid', `${where}: "${slot.time}" is not a time of day.`, {
        action: 'Use a 24-hour time such as 09:00 or 17:30.',
      });
    }
    const key = `${slot.weekday} ${slot.time}`;
    if (seen.has(key)) {
      throw new AppError('posting_slots.invalid', `${where}: ${weekdayNames[slot.weekday - 1]} ${slot.time} is listed twice.`, {
        action: 'Remove the repeated slot.',
      });
    }
    seen.add(key);
    return { weekday: slot.weekday, minuteOfDay: hour * 60 + minute };
  });
  return parsed.sort(bySlot);
}

export function formatSlot(slot: StoredSlot): PostingSlot {
  return { weekday: slot.weekday, time: `${pad(Math.floor(slot.minuteOfDay / 60))}:${pad(slot.minuteOfDay % 60)}` };
}

export function bySlot(a: StoredSlot, b: StoredSlot): number {
  return a.weekday - b.weekday || a.minuteOfDay - b.minuteOfDay;
}

/**
 * Every slot of these accounts whose instant is in [from, to), read in `zone`, earliest first
 * (ties by account id, so the choice is stable).
 */
export function slotOccurrences(slotsByAccount: ReadonlyMap<string, readonly StoredSlot[]>, from: number, to: number, zone: string): SlotOccurrence[] {
  requireZone(zone);
  const found: SlotOccurrence[] = [];
  // A day early: the wall date of `from` may start before it, and a gap may push a slot forward.
  let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(to, { zone }).startOf('day');
  while (day <= lastDay) {
    const date = day.toFormat('yyyy-LL-dd');
    for (const [accountId, slots] of slotsByAccount) {
      for (const slot of slots) {
        if (slot.weekday !== day.weekday) continue;
        const { at, local } = scheduleAt(`${date}T${formatSlot(slot).time}`, zone);
        if (at >= from && at < to) found.push({ accountId, at, local });
      }
    }
    day = day.plus({ days: 1 });
  }
  return found.sort((a, b) => a.at - b.at || compareCodeUnits(a.accountId, b.accountId));
}

/** `${accountId} ${at}`: a scheduled post to that account at that instant. */
export function occupancyKey(accountId: string, at: number): string {
  return `${accountId} ${at}`;
}

/**
 * The slot "Add to queue" picks (see the rule at the top): `posting_slots.none` when no account
 * has a slot, `posting_slots.full` when every slot of the next year is taken.
 */
export function nextFreeSlot(input: {
  slotsByAccount: ReadonlyMap<string, readonly StoredSlot[]>;
  occupied: ReadonlySet<string>;
  now: number;
  zone: string;
}): SlotOccurrence {
  requireZone(input.zone);
  const withSlots = new Map([...input.slotsByAccount].filter(([, slots]) => slots.length > 0));
  if (withSlots.size === 0) {
    throw new AppError('posting_slots.none', 'None of the accounts this post goes to has posting slots.', {
      action: 'Set posting slots for an account in Calendar → Posting slots, or pick a time with Schedule.',
    });
  }
  // A week at a time: the next free slot is nearly always in the first.
  for (let start = input.now + 1; start < input.now + horizonDays * 86_400_000; start += 7 * 86_400_000) {
    const end = start + 7 * 86_400_000;
    const free = slotOccurrences(withSlots, start, end, input.zone).find((slot) => !input.occupied.has(occupancyKey(slot.accountId, slot.at)));
    if (free) return free;
  }
  throw new AppError('posting_slots.full', 'Every posting slot of this post’s accounts is taken for the next year.', {
    action: 'Add posting slots in Calendar → Posting slots, or pick a time with Schedule.',
  });
}

export function requireZone(zone: string): void {
  if (!isValidTimeZone(zone)) {
    throw new AppError('invalid_input', `"${zone}" is not a time zone Localpost knows.`, { action: 'Choose a time zone such as Europe/Berlin.' });
  }
}

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
