// Every post of this profile, newest first, with each account's outcome: published, still going
// out, scheduled, or failed. A post with failed targets can queue those again from here.
import type { Post } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert, LoadError } from '../../ui/ErrorAlert';
import { formatDateTime, formatInZone, formatRelativeTime } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { ViewHeader } from '../../ui/ViewHeader';
import { usePostAction } from '../queue/usePostAction';
import { RetryFailedButton } from '../queue/RetryFailedButton';
import { PostTargetLine } from './PostTargetLine';

export function HistoryView() {
  const posts = useAppStore((s) => s.posts);
  const error = useAppStore((s) => s.historyError);
  const loadHistory = useAppStore((s) => s.loadHistory);

  return (
    <div className="view">
      <ViewHeader title="History" description="Every post from this profile, and where each one went." />
      <section aria-label="History" className="history">
        {error && <LoadError error={error} onRetry={() => void loadHistory()} />}
        {!error && posts === null && <p className="muted">Loading history…</p>}
        {posts?.length === 0 && (
          <div className="empty-state">
            <p className="empty-title">Nothing published yet</p>
            <p className="muted">Posts you publish or schedule from Compose appear here, with a link to each one.</p>
          </div>
        )}
        {posts && posts.length > 0 && (
          <ol className="history-list">
            {posts.map((post) => (
              <HistoryPost key={post.id} post={post} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function HistoryPost({ post }: { post: Post }) {
  const { busy, error, run, dismissError } = usePostAction<'retry'>();
  const scheduled = post.scheduledAt !== null && post.scheduleZone !== null;
  const waitsForTime = post.phase === 'scheduled' || post.phase === 'missed';

  return (
    <li className="card history-post" data-phase={post.phase}>
      <header className="history-post-header">
        <time dateTime={new Date(post.createdAt).toISOString()} title={formatDateTime(post.createdAt)}>
          {formatRelativeTime(post.createdAt)}
        </time>
        {scheduled && <span>· {waitsForTime ? 'scheduled for' : 'was scheduled for'} {formatInZone(post.scheduledAt!, post.scheduleZone!)}</span>}
        {post.phase !== 'done' && <StatusBadge status={post.phase} />}
        <RetryFailedButton post={post} action={{ busy, run }} className="history-post-action" />
      </header>
      <p className="history-post-text">{post.text || <span className="muted">(no text)</span>}</p>
      <ul className="target-results">
        {post.targets.map((target) => (
          <PostTargetLine key={target.accountId} target={target} scheduled={waitsForTime} />
        ))}
      </ul>
      {error && <ErrorAlert error={error} onDismiss={dismissError} />}
    </li>
  );
}
