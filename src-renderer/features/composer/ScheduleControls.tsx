// Schedule, next to Publish: a date and time, the time zone it is meant in (the system's unless
// changed), and the Schedule button. The post then waits in the outbox and the composer moves on
// to a new draft, as after Publish; a time already past is refused by the core and shown as its
// error.
import { useState } from 'react';
import { useAppStore } from '../../state/store';
import { browserTimeZone, ScheduleFields } from '../../ui/ScheduleFields';

export function ScheduleControls({ blocked }: { blocked: boolean }) {
  const systemZone = useAppStore((s) => s.appInfo?.timeZone) ?? browserTimeZone();
  const sending = useAppStore((s) => s.sending);
  const schedule = useAppStore((s) => s.schedule);
  const [local, setLocal] = useState('');
  // Null until the user picks one, so the system zone shows as soon as app.info has it.
  const [zone, setZone] = useState<string | null>(null);
  const value = { local, zone: zone ?? systemZone };

  const submit = async () => {
    // The zone stays: the next post is likely for the same audience; the time is used up.
    if (await schedule(value)) setLocal('');
  };

  return (
    <fieldset className="schedule-controls">
      <legend className="visually-hidden">Schedule for later</legend>
      <ScheduleFields
        idPrefix="schedule"
        value={value}
        disabled={sending !== null}
        onChange={(next) => {
          setLocal(next.local);
          setZone(next.zone);
        }}
      />
      <button
        type="button"
        className="button schedule-button"
        data-shortcut="schedule"
        disabled={blocked || sending !== null || local === ''}
        aria-busy={sending === 'schedule'}
        onClick={() => void submit()}
      >
        Schedule
      </button>
    </fieldset>
  );
}
