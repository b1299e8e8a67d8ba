// One post in the Queue: its phase, when it is due (in the zone it was scheduled in), its text,
// and each account's state, attempts, next attempt, link and error. The actions are the ones its
// phase allows; each asks the core, and the card shows the post as the core answers.
import { useState } from 'react';
import type { BridgeError, Post, PostTarget } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime, formatInZone, formatRelativeTime } from '../../ui/formatTime';
import { browserTimeZone, ScheduleFields } from '../../ui/ScheduleFields';
import { StatusBadge } from '../../ui/StatusBadge';
import { platformNames } from '../accounts/platforms';
import { PostTargetLine } from '../history/PostTargetLine';
import { usePostAction } from './usePostAction';
import { RetryFailedButton } from './RetryFailedButton';

type Action = 'cancel' | 'edit' | 'reschedule' | 'retry' | 'resolve' | 'publish' | 'skip';

export function QueuePost({ post }: { post: Post }) {
  const systemZone = useAppStore((s) => s.appInfo?.timeZone) ?? browserTimeZone();
  const cancelPost = useAppStore((s) => s.cancelPost);
  const editScheduledPost = useAppStore((s) => s.editScheduledPost);
  const decideMissed = useAppStore((s) => s.decideMissed);
  const { busy, error, run, dismissError } = usePostAction<Action>();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [rescheduling, setRescheduling] = useState(false);

  const waitsForTime = post.phase === 'scheduled' || post.phase === 'missed';
  const canCancel = post.phase === 'scheduled' || (post.phase !== 'missed' && post.targets.some((t) => t.status === 'queued' || t.status === 'failed_retryable'));

  return (
    <li className="card queue-post" data-phase={post.phase}>
      <header className="queue-post-header">
        <StatusBadge status={post.phase} />
        <p className="queue-post-when">
          <When post={post} systemZone={systemZone} />
        </p>
      </header>

      {post.phase === 'missed' && (
        <div className="queue-question" role="group" aria-label="Missed schedule">
          <p>Its time passed while Localpost was closed or the computer slept. Publish it now, or skip it?</p>
          <div className="confirm-actions">
            <button
              type="button"
              className="button button-small button-primary"
              disabled={busy !== null}
              aria-busy={busy === 'publish'}
              onClick={() => void run('publish', () => decideMissed(post.id, 'publish'))}
            >
              Publish now
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={busy !== null}
              aria-busy={busy === 'skip'}
              onClick={() => void run('skip', () => decideMissed(post.id, 'skip'))}
            >
              Skip
            </button>
          </div>
        </div>
      )}

      <p className="history-post-text">{post.text || <span className="muted">(no text)</span>}</p>

      <ul className="target-results">
        {post.targets.map((target) => (
          <PostTargetLine key={target.accountId} target={target} scheduled={waitsForTime} showAttempts hideError={target.status === 'unknown'}>
            {target.status === 'unknown' && <UnknownQuestion post={post} target={target} />}
          </PostTargetLine>
        ))}
      </ul>

      {rescheduling && (
        <RescheduleForm
          post={post}
          systemZone={systemZone}
          busy={busy === 'reschedule'}
          run={run}
          onClose={() => {
            setRescheduling(false);
            dismissError();
          }}
        />
      )}

      {confirmingCancel && (
        <div className="confirm" role="group" aria-label="Cancel this post?">
          <p>
            {post.phase === 'scheduled'
              ? 'Cancel this post? It will not be sent, and stays in History as cancelled.'
              : 'Stop sending this post? Accounts it has not reached yet will not get it.'}
          </p>
          <div className="confirm-actions">
            <button type="button" className="button button-small" onClick={() => setConfirmingCancel(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={busy !== null}
              aria-busy={busy === 'cancel'}
              onClick={() => void run('cancel', () => cancelPost(post.id)).then((done) => done && setConfirmingCancel(false))}
            >
              Cancel post
            </button>
          </div>
        </div>
      )}

      {error && <ErrorAlert error={error} onDismiss={dismissError} />}

      <footer className="queue-post-actions">
        <RetryFailedButton post={post} action={{ busy, run }} />
        {waitsForTime && (
          <>
            <button type="button" className="button button-small" disabled={busy !== null} aria-busy={busy === 'edit'} onClick={() => void run('edit', () => editScheduledPost(post.id))}>
              Edit
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={busy !== null}
              aria-expanded={rescheduling}
              onClick={() => setRescheduling((open) => !open)}
            >
              Reschedule
            </button>
          </>
        )}
        {canCancel && !confirmingCancel && (
          <button type="button" className="button button-small button-quiet-danger" disabled={busy !== null} onClick={() => setConfirmingCancel(true)}>
            Cancel
          </button>
        )}
      </footer>
    </li>
  );
}

/** When the post is due, in its own zone (and in this computer's when that differs), or since when it waits. */
function When({ post, systemZone }: { post: Post; systemZone: string }) {
  if (post.scheduledAt === null || post.scheduleZone === null) {
    return (
      <time dateTime={new Date(post.createdAt).toISOString()} title={formatDateTime(post.createdAt)}>
        Queued {formatRelativeTime(post.createdAt)}
      </time>
    );
  }
  return (
    <>
      {post.phase === 'missed' ? 'Was due ' : 'Scheduled for '}
      <time className="queue-post-time" dateTime={new Date(post.scheduledAt).toISOString()}>
        {formatInZone(post.scheduledAt, post.scheduleZone)}
      </time>
      {post.scheduleZone !== systemZone && <span className="queue-post-here"> · {formatInZone(post.scheduledAt, systemZone)}</span>}
    </>
  );
}

/**
 * A target whose request may have reached the platform while its answer was lost: Localpost does
 * not send it again on its own (that could post twice), so the user, who can look, decides.
 */
function UnknownQuestion({ post, target }: { post: Post; target: PostTarget }) {
  const resolveUnknown = useAppStore((s) => s.resolveUnknown);
  const { busy, error, run, dismissError } = usePostAction<'was_published' | 'send_again'>();
  const label = targetLabel(target);
  const platform = platformNames[target.platform];
  return (
    <div className="queue-question" role="group" aria-label={`Did the post reach ${label}?`}>
      <p>
        {target.error?.message ?? 'The answer never arrived.'} The post may have reached {platform} anyway: look at {label}, then
        tell Localpost.
      </p>
      <div className="confirm-actions">
        <button
          type="button"
          className="button button-small"
          disabled={busy !== null}
          aria-busy={busy === 'was_published'}
          onClick={() => void run('was_published', () => resolveUnknown(post.id, target.accountId, 'was_published'))}
        >
          It was posted
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={busy !== null}
          aria-busy={busy === 'send_again'}
          onClick={() => void run('send_again', () => resolveUnknown(post.id, target.accountId, 'send_again'))}
        >
          Send again
        </button>
      </div>
      {error && <ErrorAlert error={error} onDismiss={dismissError} />}
    </div>
  );
}

function RescheduleForm({
  post,
  systemZone,
  busy,
  run,
  onClose,
}: {
  post: Post;
  systemZone: string;
  busy: boolean;
  run: (name: Action, action: () => Promise<BridgeError | null>) => Promise<boolean>;
  onClose(): void;
}) {
  const reschedulePost = useAppStore((s) => s.reschedulePost);
  const [value, setValue] = useState({ local: post.scheduleLocal ?? '', zone: post.scheduleZone ?? systemZone });
  return (
    <form
      className="reschedule-form"
      aria-label="Reschedule"
      onSubmit={(event) => {
        event.preventDefault();
        void run('reschedule', () => reschedulePost(post.id, value)).then((done) => done && onClose());
      }}
    >
      <ScheduleFields idPrefix={`reschedule-${post.id}`} value={value} onChange={setValue} disabled={busy} />
      <div className="reschedule-actions">
        <button type="submit" className="button button-small button-primary" disabled={busy || value.local === ''} aria-busy={busy}>
          Save new time
        </button>
        <button type="button" className="button button-small button-ghost" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
