// The Queue: every post of this profile that is not done. Posts that need the user (a missed
// time, a target that failed or whose fate is unknown) come first, then posts going out, then
// scheduled posts by the time they are due. It reloads whenever the core's outbox changes.
// The core sends it in that order a page at a time (outbox.page); Show more asks for the next.
import { useEffect, useMemo } from 'react';
import type { Post, PostPhase } from '../../bridge';
import { useAppStore } from '../../state/store';
import { LoadError } from '../../ui/ErrorAlert';
import { ShowMore } from '../../ui/ShowMore';
import { ViewHeader } from '../../ui/ViewHeader';
import { QueuePost } from './QueuePost';

const phaseOrder: Record<PostPhase, number> = { missed: 0, needs_attention: 1, sending: 2, scheduled: 3, done: 4 };

export function QueueView() {
  const posts = useAppStore((s) => s.outboxPosts);
  const error = useAppStore((s) => s.outboxError);
  const loadOutbox = useAppStore((s) => s.loadOutbox);
  const cursor = useAppStore((s) => s.outboxCursor);
  const loadingMore = useAppStore((s) => s.outboxLoadingMore);
  const loadMore = useAppStore((s) => s.loadMoreOutbox);
  const waiting = useAppStore((s) => s.waitingCount);
  const ordered = useMemo(() => posts && [...posts].sort(byUrgency), [posts]);

  // Events keep the list current; opening the screen asks once more in case one was missed.
  useEffect(() => void loadOutbox(), [loadOutbox]);

  return (
    <div className="view">
      <ViewHeader title="Queue" description="Scheduled posts, and posts still going out or waiting for you." />
      <section aria-label="Queue" className="queue">
        {error && <LoadError error={error} onRetry={() => void loadOutbox()} />}
        {!error && ordered === null && <p className="muted">Loading the queue…</p>}
        {ordered?.length === 0 && (
          <div className="empty-state">
            <p className="empty-title">Nothing waiting</p>
            <p className="muted">Scheduled posts appear here until they go out, and so do posts waiting for the network or for you.</p>
          </div>
        )}
        {ordered && ordered.length > 0 && (
          <ol className="queue-list">
            {ordered.map((post) => (
              <QueuePost key={post.id} post={post} />
            ))}
          </ol>
        )}
        {ordered && ordered.length > 0 && cursor && (
          <ShowMore shown={ordered.length} total={waiting} loading={loadingMore} onMore={() => void loadMore()} what="posts" />
        )}
      </section>
    </div>
  );
}

function byUrgency(a: Post, b: Post): number {
  return phaseOrder[a.phase] - phaseOrder[b.phase] || (a.scheduledAt ?? a.createdAt) - (b.scheduledAt ?? b.createdAt);
}
