// The calendar's days in the user's time zone: which days a week or a month view shows, where a
// post falls in them, and the wall time a post moved to another day or hour gets. luxon carries
// the zone's rules (through Intl), so a day is its real length on a daylight-saving change.
import { DateTime } from 'luxon';

/** What the calendar reads of a post (a `Post` has it). Kept to these fields so the grid's
 *  arithmetic is tested in Node without the renderer's bridge. */
export interface PlacedPost {
  createdAt: number;
  scheduledAt: number | null;
  scheduleZone: string | null;
}

export type CalendarMode = 'week' | 'month';

export interface CalendarDay {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** Its first instant and the next day's, epoch ms. */
  start: number;
  end: number;
  /** In the month shown (a month view also shows the ends of the weeks around it). */
  inMonth: boolean;
  today: boolean;
}

export interface CalendarGrid {
  mode: CalendarMode;
  days: CalendarDay[];
  from: number;
  to: number;
  /** The heading: "June 2030", or "3 – 9 June 2030". */
  title: string;
}

const dateFormat = 'yyyy-LL-dd';

export function todayIn(zone: string, now = Date.now()): string {
  return DateTime.fromMillis(now, { zone }).toFormat(dateFormat);
}

/** The week (Monday first, ISO) or the month's weeks around `anchor`. */
export function calendarGrid(mode: CalendarMode, anchor: string, zone: string, now = Date.now()): CalendarGrid {
  const anchorDay = DateTime.fromISO(anchor, { zone }).startOf('day');
  const first = mode === 'week' ? anchorDay.startOf('week') : anchorDay.startOf('month').startOf('week');
  const count = mode === 'week' ? 7 : Math.ceil(anchorDay.endOf('month').diff(first, 'days').days / 7) * 7;
  const today = todayIn(zone, now);
  const days: CalendarDay[] = [];
  for (let i = 0; i < count; i++) {
    const day = first.plus({ days: i });
    const date = day.toFormat(dateFormat);
    days.push({ date, start: day.toMillis(), end: day.plus({ days: 1 }).toMillis(), inMonth: day.month === anchorDay.month, today: date === today });
  }
  const last = first.plus({ days: count - 1 });
  const title =
    mode === 'month'
      ? anchorDay.toLocaleString({ month: 'long', year: 'numeric' })
      : `${first.toLocaleString({ day: 'numeric', month: first.month === last.month ? undefined : 'short' })} – ${last.toLocaleString({ day: 'numeric', month: 'long', year: 'numeric' })}`;
  return { mode, days, from: days[0]!.start, to: days[days.length - 1]!.end, title };
}

/** The anchor one step before or after: a week, or a month. */
export function stepAnchor(mode: CalendarMode, anchor: string, step: -1 | 1, zone: string): string {
  const day = DateTime.fromISO(anchor, { zone });
  return (mode === 'week' ? day.plus({ weeks: step }) : day.startOf('month').plus({ months: step })).toFormat(dateFormat);
}

/** Where a post stands in the calendar: its scheduled time, or when it was written (sent at once). */
export function calendarTime(post: PlacedPost): number {
  return post.scheduledAt ?? post.createdAt;
}

export function placeOf(at: number, zone: string): { date: string; hour: number } {
  const time = DateTime.fromMillis(at, { zone });
  return { date: time.toFormat(dateFormat), hour: time.hour };
}

export function clockTime(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toLocaleString(DateTime.TIME_SIMPLE);
}

export function dayLabel(date: string, zone: string, style: 'short' | 'long'): string {
  const day = DateTime.fromISO(date, { zone });
  return style === 'short'
    ? day.toLocaleString({ weekday: 'short', day: 'numeric' })
    : day.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

export function weekdayNames(): string[] {
  const monday = DateTime.fromISO('2024-01-01');
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toLocaleString({ weekday: 'short' }));
}

export function hourLabel(hour: number): string {
  return DateTime.fromObject({ hour }).toLocaleString(DateTime.TIME_SIMPLE);
}

/**
 * The wall time, in the post's own zone, of the post moved to `date` (and `hour`, in a week view):
 * the minutes (and, in a month view, the hour) it had in the calendar's zone are kept. The zone it
 * was scheduled in stays, as Reschedule keeps it; the core turns the pair into the instant.
 */
export function movedSchedule(post: PlacedPost, target: { date: string; hour?: number }, zone: string): { local: string; zone: string } {
  const postZone = post.scheduleZone ?? zone;
  const was = DateTime.fromMillis(calendarTime(post), { zone });
  const [year, month, day] = target.date.split('-').map(Number) as [number, number, number];
  const wall = { year, month, day, hour: target.hour ?? was.hour, minute: was.minute };
  if (postZone === zone) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return { local: `${target.date}T${pad(wall.hour)}:${pad(wall.minute)}`, zone: postZone };
  }
  return { local: DateTime.fromObject(wall, { zone }).setZone(postZone).toFormat("yyyy-LL-dd'T'HH:mm"), zone: postZone };
}

/** A date some days away (the keyboard's Alt+arrows). */
export function shiftDate(date: string, days: number, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days }).toFormat(dateFormat);
}
