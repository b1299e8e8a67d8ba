// A post opened from the calendar, in a modal dialog (the browser's own <dialog>: it keeps the
// focus inside, Escape closes it, and the focus goes back to the chip). A post not done yet shows
// as the Queue shows it, with the same actions (Edit, Reschedule, Cancel, Retry, the questions);
// a finished one shows where it went, with the link to each copy, its time in the calendar's zone.
import { useEffect, useRef } from 'react';
import type { Post } from '../../bridge';
import { formatInZone } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { PostTargetLine } from '../history/PostTargetLine';
import { QueuePost } from '../queue/QueuePost';

export function PostDialog({ post, zone, onClose }: { post: Post; zone: string; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="calendar-dialog" aria-labelledby="calendar-dialog-title" onClose={onClose}>
      <header className="calendar-dialog-header">
        <h2 id="calendar-dialog-title" className="calendar-dialog-title">
          {post.phase === 'done' ? 'Post' : 'Planned post'}
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={() => dialog.current?.close()}>
          Close post
        </button>
      </header>
      {post.phase === 'done' ? (
        <div className="card calendar-done-post">
          <p className="calendar-done-when">
            <StatusBadge status={post.phase} />{' '}
            {post.scheduledAt !== null && post.scheduleZone !== null ? (
              <>Scheduled for {formatInZone(post.scheduledAt, post.scheduleZone)}</>
            ) : (
              <>Sent {formatInZone(post.createdAt, zone)}</>
            )}
          </p>
          <p className="history-post-text">{post.text || <span className="muted">(no text)</span>}</p>
          <ul className="target-results">
            {post.targets.map((target) => (
              <PostTargetLine key={target.accountId} target={target} />
            ))}
          </ul>
        </div>
      ) : (
        <ul className="calendar-dialog-list">
          <QueuePost post={post} />
        </ul>
      )}
    </dialog>
  );
}
