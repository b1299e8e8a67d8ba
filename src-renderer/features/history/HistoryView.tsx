// Everything this profile published, newest first, with each account's outcome.
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime, formatRelativeTime } from '../../ui/formatTime';
import { ViewHeader } from '../../ui/ViewHeader';
import { PostTargetLine } from './PostTargetLine';

export function HistoryView() {
  const posts = useAppStore((s) => s.posts);
  const error = useAppStore((s) => s.historyError);
  const loadHistory = useAppStore((s) => s.loadHistory);

  return (
    <div className="view">
      <ViewHeader title="History" description="Posts published from this profile, and where each one went." />
      <section aria-label="History" className="history">
        {error && (
          <div className="stack">
            <ErrorAlert error={error} />
            <button type="button" className="button" onClick={() => void loadHistory()}>
              Try again
            </button>
          </div>
        )}
        {!error && posts === null && <p className="muted">Loading history…</p>}
        {posts?.length === 0 && (
          <div className="empty-state">
            <p className="empty-title">Nothing published yet</p>
            <p className="muted">Posts you publish from Compose appear here, with a link to each one.</p>
          </div>
        )}
        {posts && posts.length > 0 && (
          <ol className="history-list">
            {posts.map((post) => (
              <li key={post.id} className="card history-post">
                <header className="history-post-header">
                  <time dateTime={new Date(post.createdAt).toISOString()} title={formatDateTime(post.createdAt)}>
                    {formatRelativeTime(post.createdAt)}
                  </time>
                </header>
                <p className="history-post-text">{post.text || <span className="muted">(no text)</span>}</p>
                <ul className="target-results">
                  {post.targets.map((target) => (
                    <PostTargetLine key={target.accountId} target={target} />
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
