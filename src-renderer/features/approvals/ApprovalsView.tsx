// Approvals: what AI assistants asked to publish or schedule. Nothing an assistant sends goes out
// before the user approves it here, and there is no setting to skip this. Waiting requests come
// first, as their drafts are now; below, the decided ones, as they were when decided.
import { useEffect } from 'react';
import { useAppStore } from '../../state/store';
import { LoadError } from '../../ui/ErrorAlert';
import { ViewHeader } from '../../ui/ViewHeader';
import { ApprovalCard } from './ApprovalCard';

export function ApprovalsView() {
  const approvals = useAppStore((s) => s.approvals);
  const error = useAppStore((s) => s.approvalsError);
  const loadApprovals = useAppStore((s) => s.loadApprovals);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const waiting = approvals?.filter((a) => a.status === 'awaiting_approval') ?? null;
  const decided = approvals?.filter((a) => a.status !== 'awaiting_approval') ?? null;

  // Each visit asks again: a waiting request is shown as its draft is now, which may have changed.
  useEffect(() => void loadApprovals(), [loadApprovals]);

  return (
    <div className="view">
      <ViewHeader
        title="Approvals"
        description="What AI assistants asked to publish. Nothing they ask goes out until you approve it here."
        actions={
          <button type="button" className="button button-small" onClick={() => showSettingsSection('ai-assistants')}>
            AI assistants settings
          </button>
        }
      />
      <section aria-labelledby="approvals-waiting-title" className="queue">
        <h2 id="approvals-waiting-title" className="section-title">
          Waiting for you
        </h2>
        {error && <LoadError error={error} onRetry={() => void loadApprovals()} />}
        {!error && waiting === null && <p className="muted">Loading requests…</p>}
        {waiting?.length === 0 && (
          <div className="empty-state">
            <p className="empty-title">No request waiting</p>
            <p className="muted">When an assistant connected through Settings → AI assistants asks to publish a post, it waits here for you.</p>
          </div>
        )}
        {waiting && waiting.length > 0 && (
          <ol className="queue-list" aria-label="Waiting requests">
            {waiting.map((approval) => (
              <ApprovalCard key={approval.id} approval={approval} />
            ))}
          </ol>
        )}
      </section>
      {decided && decided.length > 0 && (
        <section aria-labelledby="approvals-decided-title" className="queue">
          <h2 id="approvals-decided-title" className="section-title">
            Decided
          </h2>
          <ol className="queue-list" aria-label="Decided requests">
            {decided.map((approval) => (
              <ApprovalCard key={approval.id} approval={approval} />
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
