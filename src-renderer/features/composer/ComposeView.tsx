// The Compose screen: drafts on the left, the open draft on the right. Opening it with no draft
// open picks the latest draft or starts one, so typing always lands in a saved draft.
import { useEffect } from 'react';
import { useAppStore } from '../../state/store';
import { LoadError } from '../../ui/ErrorAlert';
import { DraftsList } from '../drafts/DraftsList';
import { Composer } from './Composer';
import { PublishResult } from './PublishResult';

export function ComposeView() {
  const hasComposer = useAppStore((s) => s.composer !== null);
  const activeProfileId = useAppStore((s) => s.activeProfileId);
  const ensureDraftOpen = useAppStore((s) => s.ensureDraftOpen);
  const flushComposer = useAppStore((s) => s.flushComposer);
  const draftsError = useAppStore((s) => s.draftsError);
  const loadDrafts = useAppStore((s) => s.loadDrafts);

  useEffect(() => {
    if (!hasComposer && activeProfileId !== null) void ensureDraftOpen();
  }, [hasComposer, activeProfileId, ensureDraftOpen]);

  // Leaving the screen writes what was typed at once rather than 300 ms later.
  useEffect(() => () => void flushComposer(), [flushComposer]);

  return (
    <div className="compose-layout">
      <DraftsList />
      <div className="compose-main">
        <PublishResult />
        {draftsError && !hasComposer && <LoadError error={draftsError} onRetry={() => void loadDrafts().then(ensureDraftOpen)} />}
        {hasComposer ? <Composer /> : !draftsError && <p className="muted composer-loading">Opening your draft…</p>}
      </div>
    </div>
  );
}
