// A schedule is a wall-clock time in an IANA time zone ("09:00 in Europe/Berlin"), turned into one
// instant with the zone's rules for that date, so a post set before a daylight-saving change still
// goes out at 09:00 local after it. luxon carries the tz rules (through Intl), which we must not
// hand-roll.
//
// Two wall times are special on change days: one that does not exist (02:30 when clocks jump from
// 02:00 to 03:00) moves forward by the gap, as every calendar app does; one that happens twice
// (02:30 when clocks fall back) takes the first, earlier occurrence.
import { DateTime, IANAZone } from 'luxon';
import { AppError } from '../errors';

/** `YYYY-MM-DDTHH:mm`, what a `datetime-local` input gives. */
const wallTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export interface Schedule {
  /** The instant it is due, epoch ms. */
  at: number;
  zone: string;
  /** The wall time as the user chose it. */
  local: string;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The instant of `local` in `zone`. */
export function scheduleAt(local: string, zone: string): Schedule {
  if (!isValidTimeZone(zone)) {
    throw new AppError('invalid_input', `"${zone}" is not a time zone Localpost knows.`, { action: 'Choose a time zone from the list, such as Europe/Berlin.' });
  }
  const match = wallTimePattern.exec(local);
  const [year, month, day, hour, minute] = match ? match.slice(1).map(Number) : [];
  const parts = { year: year!, month: month!, day: day!, hour: hour!, minute: minute! };
  const wall = DateTime.fromObject(parts, { zone });
  if (!match || !wall.isValid || wall.day !== parts.day || wall.month !== parts.month) {
    // A non-existent date (February 30) is invalid; a non-existent hour (the DST gap) is not:
    // luxon moves it forward by the gap, and only the hour differs.
    throw new AppError('invalid_input', `"${local}" is not a date and time.`, { action: 'Pick a date and a time.' });
  }
  // luxon takes the later of two occurrences when clocks fall back; the earlier one is the first
  // moment the clock on the wall shows that time, so prefer it when it reads the same.
  const offsetBefore = DateTime.fromMillis(wall.toMillis() - 3 * 60 * 60 * 1000, { zone }).offset;
  if (offsetBefore > wall.offset) {
    const earlier = DateTime.fromMillis(wall.toMillis() - (offsetBefore - wall.offset) * 60 * 1000, { zone });
    if (earlier.hour === parts.hour && earlier.minute === parts.minute && earlier.day === parts.day) return { at: earlier.toMillis(), zone, local };
  }
  return { at: wall.toMillis(), zone, local };
}

/** How an instant reads in a zone, for messages (`2026-03-29 09:00 Europe/Berlin`). */
export function formatInZone(at: number, zone: string): string {
  return `${DateTime.fromMillis(at, { zone }).toFormat('yyyy-LL-dd HH:mm')} ${zone}`;
}
