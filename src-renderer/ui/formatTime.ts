// Times as a person reads them: "just now", "5 min ago", then a date and time in their locale.
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const clockTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatRelativeTime(epochMs: number, now = Date.now()): string {
  const seconds = Math.round((epochMs - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  return dateTime.format(epochMs);
}

export function formatDateTime(epochMs: number): string {
  return dateTime.format(epochMs);
}

export function formatClockTime(epochMs: number): string {
  return clockTime.format(epochMs);
}

/** The clock time for later today, the date as well for any other day. */
export function formatClockOrDateTime(epochMs: number, now = Date.now()): string {
  return new Date(epochMs).toDateString() === new Date(now).toDateString() ? clockTime.format(epochMs) : dateTime.format(epochMs);
}

/**
 * An instant as it reads in a given IANA zone, followed by the zone's name: a schedule is shown
 * in the zone it was chosen in, which need not be this computer's.
 */
export function formatInZone(epochMs: number, zone: string): string {
  return `${zonedFormat(zone).format(epochMs)} ${zone}`;
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();
function zonedFormat(zone: string): Intl.DateTimeFormat {
  let format = zonedFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
    zonedFormats.set(zone, format);
  }
  return format;
}
