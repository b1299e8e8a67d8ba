// One account's outcome for one post: where it went, and either the link to it or why it failed.
// Shared by History and the composer's publish result so both read the same.
import type { PostTarget } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { ExternalLink } from '../../ui/ExternalLink';
import { formatClockTime } from '../../ui/formatTime';
import { ExternalIcon } from '../../ui/icons';
import { StatusBadge } from '../../ui/StatusBadge';
import { PlatformLogo, platformNames } from '../accounts/platforms';

export function PostTargetLine({ target }: { target: PostTarget }) {
  const { platform } = target;
  const label = targetLabel({ handle: target.handle, platform });
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
        // Slack's incoming webhooks answer "ok" and nothing else: there is nothing to link to.
        <span className="target-result-nolink">
          Posted ({platformNames[platform]} gives no link)
        </span>
      )}
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

