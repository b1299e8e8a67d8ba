// One account's outcome for one post: where it goes, its state, what happens next, and either the
// link to it or why it has not gone out. Shared by History, the Queue and the composer's publish
// result so all three read the same.
import type { ReactNode } from 'react';
import type { PostTarget } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { formatBytes } from '../../../src-shared/compose/videoLimits';
import { useAppStore } from '../../state/store';
import { ExternalLink } from '../../ui/ExternalLink';
import { formatClockOrDateTime, formatClockTime } from '../../ui/formatTime';
import { ExternalIcon } from '../../ui/icons';
import { StatusBadge } from '../../ui/StatusBadge';
import { PlatformLogo, platformNames } from '../accounts/platforms';

export function PostTargetLine({
  target,
  scheduled = false,
  showAttempts = false,
  hideError = false,
  children,
}: {
  target: PostTarget;
  /** The post waits for its time: its targets are queued, and that needs no explaining. */
  scheduled?: boolean;
  /** How many attempts were made (the Queue). */
  showAttempts?: boolean;
  /** The caller shows the error itself (the Queue's question about an `unknown` target). */
  hideError?: boolean;
  /** Shown under the line: what the user can do about this target. */
  children?: ReactNode;
}) {
  const { platform } = target;
  const label = targetLabel({ handle: target.handle, platform });
  const online = useAppStore((s) => s.online);
  const note = targetNote(target, scheduled, online);
  const failed = target.status === 'failed_retryable' || target.status === 'failed_permanent';
  return (
    <li className="target-result" data-status={target.status} data-platform={platform}>
      <span className="target-result-handle">
        <PlatformLogo platform={platform} small />
        {label}
      </span>
      <StatusBadge status={target.status} />
      {target.status === 'published' && target.url && (
        <ExternalLink href={target.url} className="link target-result-link">
          View post
          <ExternalIcon />
        </ExternalLink>
      )}
      {target.status === 'published' && !target.url && target.uri && <code className="target-result-uri">{target.uri}</code>}
      {target.status === 'published' && !target.url && !target.uri && (
        // Slack's incoming webhooks answer "ok" and nothing else; a target the user settled as
        // "it was posted" has no link either: there is nothing to link to.
        <span className="target-result-nolink">Posted ({platformNames[platform]} gives no link)</span>
      )}
      {target.chain && (
        <span className="target-result-note">
          {target.chain.published === target.chain.total
            ? `Thread of ${target.chain.total} posts`
            : `${target.chain.published} of ${target.chain.total} posts of the thread out`}
        </span>
      )}
      {note && <span className="target-result-note">{note}</span>}
      {target.status === 'publishing' && target.progress && <UploadProgressBar {...target.progress} />}
      {showAttempts && target.attempts > 0 && (
        <span className="target-result-attempts">{target.attempts === 1 ? '1 attempt' : `${target.attempts} attempts`}</span>
      )}
      {target.error && !hideError && target.status !== 'published' && target.status !== 'cancelled' && (
        <p className="target-result-error">
          <code className="rule-id">{target.error.code}</code> {target.error.message}
          {/* Whether an unknown target went out is the user's call; retrying is not the advice. */}
          {target.error.action && target.status !== 'unknown' && <span className="target-result-action"> {target.error.action}</span>}
          {failed && target.error.retryAt !== undefined && (
            <span className="target-result-action"> You can try again at {formatClockTime(target.error.retryAt)}.</span>
          )}
        </p>
      )}
      {children}
    </li>
  );
}

/** How far an upload has got: a bar, and the same in words ("12.3 MB of 40 MB"). */
function UploadProgressBar({ sentBytes, totalBytes }: { sentBytes: number; totalBytes: number }) {
  const words = `${formatBytes(sentBytes)} of ${formatBytes(totalBytes)}`;
  return (
    <span className="upload-progress">
      <progress className="upload-progress-bar" value={sentBytes} max={Math.max(totalBytes, 1)} aria-label="Upload progress" aria-valuetext={words} />
      <span className="upload-progress-text">{words}</span>
    </span>
  );
}

/** What happens next for a target that is not done, in a few words. */
function targetNote(target: PostTarget, scheduled: boolean, online: boolean): string | null {
  switch (target.status) {
    case 'queued':
      if (scheduled) return null;
      if (target.nextAttemptAt !== null && target.attempts === 0 && target.error?.code === 'rate_limited') {
        return `Held by ${platformNames[target.platform]}'s rate limit until ${formatClockOrDateTime(target.nextAttemptAt)}.`;
      }
      if (target.nextAttemptAt !== null) return `Retrying at ${formatClockOrDateTime(target.nextAttemptAt)}.`;
      // Offline, the core attempts nothing, so there may be no error yet to say so.
      if (target.error?.code === 'network_unreachable' || !online) return 'Waits for the network.';
      if (target.error?.code === 'platform_auth_failed') return 'Waits until the account is reconnected.';
      return 'Waiting to be sent.';
    case 'publishing':
      return target.progress ? 'Uploading…' : 'Sending now…';
    case 'unknown':
      return target.nextAttemptAt !== null
        ? `Not sure it went out; Localpost asks ${platformNames[target.platform]} again at ${formatClockOrDateTime(target.nextAttemptAt)}.`
        : 'Not sure it went out.';
    case 'failed_retryable':
      return target.attempts > 1 ? `Gave up after ${target.attempts} attempts.` : null;
    case 'cancelled':
      return 'Not sent.';
    case 'published':
    case 'failed_permanent':
      return null;
  }
}
