// X bills each post to the user's own developer app (docs.x.com, x-api/getting-started/pricing),
// so every X account has a cap: at most so many posts in any rolling 30 days, default 50. The
// core counts and enforces it (preflight `x.spending_cap`); here the user sees what is left and
// sets the cap.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Account, BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

type Cap = NonNullable<Account['spendingCap']>;

/** "12 of 50 posts left in 30 days": the words the composer and the account card share. */
export function postsLeftText(cap: Cap): string {
  const left = Math.max(0, cap.limit - cap.used);
  return `${left} of ${cap.limit} ${cap.limit === 1 ? 'post' : 'posts'} left in 30 days`;
}

const maxPostsPer30Days = 100_000;

export function SpendingCapForm({ account, cap }: { account: Account; cap: Cap }) {
  const setSpendingCap = useAppStore((s) => s.setSpendingCap);
  const [value, setValue] = useState(String(cap.limit));
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const ids = useId();

  // The cap can change elsewhere (another window, a reload): follow it unless the user is typing.
  useEffect(() => setValue(String(cap.limit)), [cap.limit]);

  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  const changed = parsed !== cap.limit;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > maxPostsPer30Days) {
      return setError({
        code: 'invalid_input',
        message: `The cap is a whole number of posts, from 0 to ${maxPostsPer30Days.toLocaleString('en')}.`,
        action: '0 stops every post to this account until you raise it.',
      });
    }
    setSaving(true);
    setError(null);
    setSaved(false);
    const failure = await setSpendingCap(account.id, parsed);
    setSaving(false);
    setError(failure);
    setSaved(failure === null);
  };

  return (
    <form className="spending-cap" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${ids}-title`}>
      <p className="spending-cap-summary">
        <span id={`${ids}-title`} className="spending-cap-title">
          Spending cap
        </span>{' '}
        <span className="spending-cap-left" data-exhausted={cap.used >= cap.limit}>
          {postsLeftText(cap)}
        </span>
      </p>
      <div className="spending-cap-edit">
        <label htmlFor={`${ids}-limit`} className="field-label">
          Posts per 30 days
        </label>
        <input
          id={`${ids}-limit`}
          className="input spending-cap-input"
          type="number"
          inputMode="numeric"
          min={0}
          max={maxPostsPer30Days}
          step={1}
          value={value}
          aria-describedby={`${ids}-hint`}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
        />
        <button type="submit" className="button button-small" disabled={saving || !changed} aria-busy={saving}>
          Save
        </button>
        {saved && (
          <span className="muted spending-cap-saved" role="status">
            Saved
          </span>
        )}
      </div>
      <p id={`${ids}-hint`} className="field-hint spending-cap-hint">
        X bills each post to your developer app. Localpost stops posting to this account once the cap is reached.
      </p>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </form>
  );
}
