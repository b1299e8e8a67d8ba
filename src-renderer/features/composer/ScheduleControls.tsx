// Schedule, next to Publish: a date and time, the time zone it is meant in (the system's unless
// changed), and the Schedule button. The post then waits in the outbox and the composer moves on
// to a new draft, as after Publish; a time already past is refused by the core and shown as its
// error. "Add to queue" picks the time itself: the next free posting slot of the post's accounts.
import { memo, useState } from 'react';
import { useAppStore } from '../../state/store';
import { browserTimeZone, ScheduleFields } from '../../ui/ScheduleFields';

export const ScheduleControls = memo(function ScheduleControls({ blocked }: { blocked: boolean }) {
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
      <AddToQueueButton blocked={blocked} zone={systemZone} />
    </fieldset>
  );
});

/**
 * Schedules at the next free posting slot (the core's rule, read in the system's zone). Without a
 * slot on any chosen account it is disabled, says why, and points to where slots are set.
 */
function AddToQueueButton({ blocked, zone }: { blocked: boolean; zone: string }) {
  const sending = useAppStore((s) => s.sending);
  const addToQueue = useAppStore((s) => s.addToQueue);
  const showPostingSlots = useAppStore((s) => s.showPostingSlots);
  const targets = useAppStore((s) => s.composer?.targetAccountIds);
  const slots = useAppStore((s) => s.postingSlots);
  const hasSlots = (targets ?? []).some((id) => slots?.some((entry) => entry.accountId === id && entry.slots.length > 0));
  return (
    <div className="add-to-queue">
      <button
        type="button"
        className="button"
        disabled={blocked || sending !== null || !hasSlots}
        aria-busy={sending === 'queue'}
        aria-describedby={hasSlots ? undefined : 'add-to-queue-why'}
        onClick={() => void addToQueue(zone)}
      >
        Add to queue
      </button>
      {!hasSlots && (
        <p id="add-to-queue-why" className="add-to-queue-why muted">
          {targets?.length ? 'None of the chosen accounts has posting slots.' : 'Choose an account with posting slots.'}{' '}
          <button type="button" className="link-button" onClick={showPostingSlots}>
            Set posting slots
          </button>
        </p>
      )}
    </div>
  );
}
