// A read-only value to copy exactly (a redirect URI to register, character for character), with a
// Copy button that still works where the async clipboard is refused.
import { useRef } from 'react';
import { copyHint, useCopy } from './useCopy';

export function CopyField({ id, label, value, hint }: { id: string; label: string; value: string; hint: string }) {
  const field = useRef<HTMLInputElement>(null);
  const { outcome, copy } = useCopy(value, () => field.current?.select());

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="copy-field">
        <input
          ref={field}
          id={id}
          className="input input-mono"
          type="text"
          value={value}
          readOnly
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p id={`${id}-hint`} className="field-hint" aria-live="polite">
        {copyHint(outcome) ?? hint}
      </p>
    </div>
  );
}
