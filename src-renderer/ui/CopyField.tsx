// A read-only value to copy exactly (a redirect URI to register, character for character), with a
// Copy button that still works where the async clipboard is refused.
import { useEffect, useRef, useState } from 'react';

export function CopyField({ id, label, value, hint }: { id: string; label: string; value: string; hint: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);

  // "Copied" speaks of the value that was copied, not of one that has changed since.
  useEffect(() => setCopied(null), [value]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      // The async clipboard can be refused: the shell denies every permission request, and
      // Electron asks for `clipboard-sanitized-write`. Copying the selection from this click still
      // works; failing that, the value is left selected to copy by hand.
      field.current?.select();
      setCopied(copySelection() ? 'copied' : 'select');
    }
  };

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
        {copied === 'copied'
          ? 'Copied'
          : copied === 'select'
            ? 'Localpost could not reach the clipboard: it is selected, copy it with Ctrl+C (⌘C on a Mac).'
            : hint}
      </p>
    </div>
  );
}

function copySelection(): boolean {
  try {
    // Deprecated, but the one copy that needs no permission, only the user's click.
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
