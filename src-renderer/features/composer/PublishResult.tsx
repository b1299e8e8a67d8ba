// What the last Publish or Schedule did, kept live: the post is in the outbox, and every reload of
// History brings this copy up to date, so a target queued while offline turns `published` here
// when the network comes back. Failed targets are retried from the outbox (Retry failed), never by
// publishing the draft again; the composer has already moved on to the next post.
import { useEffect, useRef } from 'react';
import type { Post } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatInZone } from '../../ui/formatTime';
import { PostTargetLine } from '../history/PostTargetLine';
import { usePostAction } from '../queue/usePostAction';
import { RetryFailedButton } from '../queue/RetryFailedButton';

export function PublishResult() {
  const post = useAppStore((s) => s.publishResult);
  const dismiss = useAppStore((s) => s.dismissPublishResult);
  const showView = useAppStore((s) => s.showView);
  const { busy, error, run, dismissError } = usePostAction<'retry'>();
  const section = useRef<HTMLElement>(null);
  const postId = post?.id;

  // Publish sits at the bottom of a long composer and the result at the top: bring a new result
  // into view. Screen readers hear the outcome from PublishAnnouncer's live regions, which were on
  // the page before it came (a region added with its text is often not read), so the title here
  // is no live region of its own: it would be said twice.
  useEffect(() => {
    if (postId) section.current?.scrollIntoView({ block: 'nearest' });
  }, [postId]);

  if (!post) return null;

  const { title, outcome } = describe(post);
  const scheduled = post.phase === 'scheduled';

  return (
    <section ref={section} className="card publish-result" aria-label="Publish result" data-outcome={outcome}>
      <header className="publish-result-header">
        <p className="publish-result-title">
          {title}
        </p>
        <div className="publish-result-actions">
          <RetryFailedButton post={post} action={{ busy, run }} />
          {post.phase !== 'done' && (
            <button type="button" className="button button-small" onClick={() => showView('queue')}>
              Open queue
            </button>
          )}
          <button type="button" className="button button-ghost button-small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      </header>
      <ul className="target-results">
        {post.targets.map((target) => (
          <PostTargetLine key={target.accountId} target={target} scheduled={scheduled} />
        ))}
      </ul>
      {error && <ErrorAlert error={error} onDismiss={dismissError} />}
    </section>
  );
}

type Outcome = 'published' | 'scheduled' | 'waiting' | 'partial';

function describe(post: Post): { title: string; outcome: Outcome } {
  if (post.phase === 'scheduled' && post.scheduledAt !== null && post.scheduleZone !== null) {
    return { title: `Scheduled for ${formatInZone(post.scheduledAt, post.scheduleZone)}.`, outcome: 'scheduled' };
  }
  const total = post.targets.length;
  const count = (...states: string[]) => post.targets.filter((t) => states.includes(t.status)).length;
  const published = count('published');
  if (published === total) return { title: publishedEverywhere(total), outcome: 'published' };

  const waiting = count('queued', 'publishing');
  const attention = count('failed_retryable', 'unknown');
  const failed = count('failed_permanent');
  const cancelled = count('cancelled');
  if (waiting === total) {
    // Shown while Publish is still under way (an upload takes a while): nothing is waiting yet.
    if (count('publishing') > 0) return { title: 'Sending…', outcome: 'waiting' };
    return { title: 'Queued. It goes out by itself as soon as it can.', outcome: 'waiting' };
  }
  if (total === 1) return { title: singleOutcome[post.targets[0]!.status] ?? 'Not published.', outcome: 'partial' };
  const parts = [`Published to ${published} of ${total} accounts.`];
  if (waiting > 0) parts.push(`${waiting} waiting in the queue.`);
  if (attention > 0) parts.push(`${attention} ${attention === 1 ? 'needs' : 'need'} you in the Queue.`);
  if (failed > 0) parts.push(`${failed} failed.`);
  if (cancelled > 0) parts.push(`${cancelled} cancelled.`);
  return { title: parts.join(' '), outcome: attention + failed > 0 ? 'partial' : 'waiting' };
}

/** One account, not published: its line below says why. */
const singleOutcome: Partial<Record<Post['targets'][number]['status'], string>> = {
  unknown: 'Not sure it was published: it needs you in the Queue.',
  failed_retryable: 'Not published. Retry when you are ready.',
  failed_permanent: 'Not published.',
  cancelled: 'Cancelled.',
};

function publishedEverywhere(total: number): string {
  if (total === 1) return 'Published.';
  if (total === 2) return 'Published to both accounts.';
  return `Published to all ${total} accounts.`;
}
