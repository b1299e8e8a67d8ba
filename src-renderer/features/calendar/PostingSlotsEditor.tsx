// Posting slots, per account: the times of the week "Add to queue" fills (in the user's zone). A
// slot is added with a weekday (or every weekday at once) and a time, and removed with its own
// button; each change is saved at once, and the core's refusal is shown next to the account.
import { useState } from 'react';
import type { Account, BridgeError, PostingSlot } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PlatformLogo } from '../accounts/platforms';

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function PostingSlotsEditor({ zone }: { zone: string }) {
  const accounts = useAppStore((s) => s.accounts);
  const connected = (accounts ?? []).filter((account) => account.status !== 'revoked');
  return (
    <section className="card posting-slots" aria-labelledby="posting-slots-title">
      <h2 id="posting-slots-title" className="posting-slots-title" tabIndex={-1}>
        Posting slots
      </h2>
      <p className="muted">
        The times each account posts at. <strong>Add to queue</strong> in the composer schedules a post at the earliest free slot of its
        accounts, in {zone}.
      </p>
      {connected.length === 0 ? (
        <p className="muted">Connect an account to give it posting slots.</p>
      ) : (
        <ul className="posting-slots-accounts">
          {connected.map((account) => (
            <AccountSlots key={account.id} account={account} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AccountSlots({ account }: { account: Account }) {
  const slots = useAppStore((s) => s.postingSlots?.find((entry) => entry.accountId === account.id)?.slots) ?? [];
  const save = useAppStore((s) => s.savePostingSlots);
  const [weekday, setWeekday] = useState('weekdays');
  const [time, setTime] = useState('09:00');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);
  const label = targetLabel(account);
  const idPrefix = `slots-${account.id}`;

  const change = async (next: PostingSlot[]) => {
    setBusy(true);
    setError(await save(account.id, next));
    setBusy(false);
  };
  const add = () => {
    const days = weekday === 'weekdays' ? [1, 2, 3, 4, 5] : [Number(weekday)];
    const wanted = days.map((day) => ({ weekday: day, time }));
    const fresh = wanted.filter((slot) => !slots.some((s) => s.weekday === slot.weekday && s.time === slot.time));
    // Every one already there: sent anyway, so the core's "listed twice" says why nothing changed.
    void change([...slots, ...(fresh.length > 0 ? fresh : wanted)]);
  };

  return (
    <li className="posting-slots-account" aria-labelledby={`${idPrefix}-name`}>
      <p className="posting-slots-name" id={`${idPrefix}-name`}>
        <PlatformLogo platform={account.platform} small />
        {label}
      </p>
      {slots.length === 0 ? (
        <p className="muted posting-slots-none">No slots.</p>
      ) : (
        <ul className="posting-slots-list" aria-label={`Posting slots of ${label}`}>
          {slots.map((slot) => (
            <li key={`${slot.weekday} ${slot.time}`} className="posting-slot">
              <span>
                {weekdays[slot.weekday - 1]} {slot.time}
              </span>
              <button
                type="button"
                className="button button-small button-ghost"
                aria-label={`Remove ${weekdays[slot.weekday - 1]} ${slot.time} from ${label}`}
                disabled={busy}
                onClick={() => void change(slots.filter((s) => s !== slot))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="posting-slots-add"
        aria-label={`Add a posting slot for ${label}`}
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor={`${idPrefix}-day`}>
            Day
          </label>
          <select id={`${idPrefix}-day`} className="select" value={weekday} onChange={(e) => setWeekday(e.target.value)}>
            <option value="weekdays">Every weekday (Monday to Friday)</option>
            {weekdays.map((name, i) => (
              <option key={name} value={i + 1}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${idPrefix}-time`}>
            Time
          </label>
          <input id={`${idPrefix}-time`} type="time" className="input" value={time} required onChange={(e) => setTime(e.target.value)} />
        </div>
        <button type="submit" className="button button-small" disabled={busy}>
          Add slot
        </button>
      </form>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </li>
  );
}
