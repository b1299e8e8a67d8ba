// The two fields of a schedule: a wall time (a datetime-local value, `YYYY-MM-DDTHH:mm`) and the
// IANA time zone it is meant in. The core turns the pair into an instant with that zone's rules
// for that date, so "09:00 in Europe/Berlin" stays 09:00 there across a daylight-saving change.

/** What the two fields hold (the outbox's ScheduleChoice has the same shape). */
interface ScheduleValue {
  local: string;
  zone: string;
}

let knownZones: string[] | undefined;

/** Every zone this browser knows, and the one given even if it does not (an older tz name). */
function zoneOptions(current: string): string[] {
  knownZones ??= Intl.supportedValuesOf('timeZone');
  return knownZones.includes(current) ? knownZones : [current, ...knownZones];
}

export function ScheduleFields({
  idPrefix,
  value,
  onChange,
  disabled = false,
}: {
  idPrefix: string;
  value: ScheduleValue;
  onChange(value: ScheduleValue): void;
  disabled?: boolean;
}) {
  return (
    <>
      <div className="field schedule-field">
        <label htmlFor={`${idPrefix}-local`} className="field-label">
          Date and time
        </label>
        <input
          id={`${idPrefix}-local`}
          type="datetime-local"
          className="input schedule-input"
          value={value.local}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, local: e.target.value })}
        />
      </div>
      <div className="field schedule-field">
        <label htmlFor={`${idPrefix}-zone`} className="field-label">
          Time zone
        </label>
        <select
          id={`${idPrefix}-zone`}
          className="select schedule-zone"
          value={value.zone}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, zone: e.target.value })}
        >
          {zoneOptions(value.zone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

/** The zone this page runs in: the system's too in Electron, used until `app.info` has answered. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
