// A quiet word on where the draft stands; a refused save is shown as an alert by the composer.
import { memo } from 'react';
import { useAppStore } from '../../state/store';

const labels = { saved: 'Saved', pending: 'Saving…', failed: 'Not saved' } as const;

export const SaveIndicator = memo(function SaveIndicator() {
  const saveState = useAppStore((s) => s.saveState);
  return (
    <span className="save-indicator" data-state={saveState} role="status">
      {labels[saveState]}
    </span>
  );
});
