// Copying a value exactly, with a fallback where the async clipboard is refused: the shell denies
// every permission request, and Electron asks for `clipboard-sanitized-write`. Copying the
// selection from the user's click still works; failing that, the value is left selected to copy by
// hand, and the hint says so.
import { useEffect, useState } from 'react';

export type CopyOutcome = 'copied' | 'select' | null;

/** The words for a copy's outcome, or null before any. */
export function copyHint(outcome: CopyOutcome): string | null {
  if (outcome === 'copied') return 'Copied';
  if (outcome === 'select') return 'Localpost could not reach the clipboard: it is selected, copy it with Ctrl+C (⌘C on a Mac).';
  return null;
}

/**
 * `copy()` puts `value` on the clipboard; `selectValue` selects it on the page for the fallback.
 * The outcome resets when the value changes: "Copied" speaks of the value that was copied.
 */
export function useCopy(value: string, selectValue: () => void): { outcome: CopyOutcome; copy(): Promise<void> } {
  const [outcome, setOutcome] = useState<CopyOutcome>(null);
  useEffect(() => setOutcome(null), [value]);
  return {
    outcome,
    async copy() {
      try {
        await navigator.clipboard.writeText(value);
        setOutcome('copied');
      } catch {
        selectValue();
        setOutcome(copySelection() ? 'copied' : 'select');
      }
    },
  };
}

function copySelection(): boolean {
  try {
    // Deprecated, but the one copy that needs no permission, only the user's click.
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
