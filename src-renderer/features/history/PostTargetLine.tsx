// One account's outcome for one post: where it went, and either the link to it or why it failed.
// Shared by History and the composer's publish result so both read the same.
import type { PostTarget } from '../../bridge';
import { ExternalLink } from '../../ui/ExternalLink';
import { formatClockTime } from '../../ui/formatTime';
import { ExternalIcon } from '../../ui/icons';
import { StatusBadge } from '../../ui/StatusBadge';

export function PostTargetLine({ target }: { target: PostTarget }) {
  return (
    <li className="target-result" data-status={target.status}>
      <span className="target-result-handle">@{target.handle}</span>
      <StatusBadge status={target.status} />
      {target.status === 'published' && target.url && (
        <ExternalLink href={target.url} className="link target-result-link">
          View post
          <ExternalIcon />
        </ExternalLink>
      )}
      {target.status === 'published' && !target.url && target.uri && <code className="target-result-uri">{target.uri}</code>}
      {target.error && (
        <p className="target-result-error">
          <code className="rule-id">{target.error.code}</code> {target.error.message}
          {target.error.action && <span className="target-result-action"> {target.error.action}</span>}
          {target.error.retryAt !== undefined && (
            <span className="target-result-action"> You can try again at {formatClockTime(target.error.retryAt)}.</span>
          )}
        </p>
      )}
    </li>
  );
}
