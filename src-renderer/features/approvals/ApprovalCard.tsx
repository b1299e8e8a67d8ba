// One request from an AI assistant. A waiting one shows everything that would go out, as the draft
// is now: who asked, publish now or when, the whole text with hidden characters and link addresses
// made visible, each image and the video with its alt text, every account; Approve names the hash
// of exactly this. A decided one shows what was shown when the user decided.
import { useState } from 'react';
import type { Approval, BridgeError } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { countHiddenCharacters } from '../../../src-shared/compose/revealText';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { PlatformLogo, platformNames } from '../accounts/platforms';
import { RevealedText } from './RevealedText';

type Action = 'approve' | 'reject' | 'edit';

export function ApprovalCard({ approval }: { approval: Approval }) {
  const approveRequest = useAppStore((s) => s.approveRequest);
  const rejectRequest = useAppStore((s) => s.rejectRequest);
  const editRequestDraft = useAppStore((s) => s.editRequestDraft);
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const waiting = approval.status === 'awaiting_approval';
  const mainPosts = [approval.text, ...approval.replies];
  const ownPosts = (posts: string[]) => posts.length !== mainPosts.length || posts.some((post, i) => post !== mainPosts[i]);
  const hidden =
    [...mainPosts, ...approval.targets.flatMap((target) => (ownPosts(target.posts) ? target.posts : []))].reduce((n, text) => n + countHiddenCharacters(text), 0) +
    approval.images.reduce((n, image) => n + countHiddenCharacters(image.alt), 0) + countHiddenCharacters(approval.video?.alt ?? '');
  const titleId = `approval-${approval.id}-title`;

  const run = async (action: Action, work: () => Promise<BridgeError | null>) => {
    setBusy(action);
    setError(await work());
    setBusy(null);
  };

  return (
    <li className="card approval" data-status={approval.status} aria-labelledby={titleId}>
      <header className="approval-header">
        <h3 id={titleId} className="approval-title">
          <span className="approval-client">{approval.clientName || 'An assistant'}</span> asks to {approval.kind === 'schedule' ? 'schedule' : 'publish now'}
        </h3>
        {!waiting && <StatusBadge status={approval.status} />}
        <p className="approval-when">
          {approval.schedule && (
            <>
              For <span className="approval-time">{approval.schedule.local.replace('T', ' ')}</span> {approval.schedule.zone} ·{' '}
            </>
          )}
          Asked {formatDateTime(approval.requestedAt)}
          {approval.decidedAt !== null && <> · {approval.status === 'approved' ? 'Approved' : 'Rejected'} {formatDateTime(approval.decidedAt)}</>}
        </p>
      </header>

      {waiting && approval.changedSinceRequest && (
        <p className="field-warning" role="status">
          Changed since the assistant asked: what is below is the post as it is now.
        </p>
      )}
      {error?.code === 'approval_stale' && (
        <p className="field-warning" role="alert">
          The post changed: look again. Nothing was sent; below is what it holds now.
        </p>
      )}
      {hidden > 0 && (
        <div className="warning-box" role="note">
          <p className="warning-title">This post contains {hidden === 1 ? 'a hidden character' : `${hidden} hidden characters`}</p>
          <p>Characters that draw nothing or reorder the text are shown below as ⟦U+… NAME⟧ markers. Published, they would be invisible to you and present for readers and machines.</p>
        </div>
      )}

      <ApprovalPosts posts={mainPosts} />
      {approval.text === '' && <p className="muted">(no text)</p>}

      {(approval.images.length > 0 || approval.video) && (
        <ul className="approval-media" aria-label="Media">
          {approval.images.map((image, index) => (
            <li key={image.id} className="approval-medium">
              <img src={image.previewDataUrl} alt="" className="approval-image" />
              <div>
                <p className="approval-medium-kind">Image {index + 1}</p>
                {image.alt ? <RevealedText text={image.alt} className="approval-alt" /> : <p className="approval-alt muted">no alt text</p>}
              </div>
            </li>
          ))}
          {approval.video && (
            <li className="approval-medium">
              <div>
                <p className="approval-medium-kind">Video, {Math.round(approval.video.durationSeconds)} s</p>
                {approval.video.alt ? <RevealedText text={approval.video.alt} className="approval-alt" /> : <p className="approval-alt muted">no alt text</p>}
              </div>
            </li>
          )}
        </ul>
      )}

      <ul className="target-results" aria-label="Accounts">
        {approval.targets.map((target) => (
          <li key={target.accountId} className="target-result">
            <span className="target-result-handle">
              <PlatformLogo platform={target.platform} small />
              {platformNames[target.platform]} · <RevealedText text={targetLabel(target)} inline />
            </span>
            {ownPosts(target.posts) && (
              <div className="approval-own-text">
                <p className="approval-medium-kind">Posts its own text{target.posts.length > 1 ? `, a thread of ${target.posts.length}` : ''}:</p>
                <ApprovalPosts posts={target.posts} />
              </div>
            )}
          </li>
        ))}
        {approval.targets.length === 0 && <li className="muted">No account: it would go nowhere.</li>}
      </ul>

      {error && error.code !== 'approval_stale' && <ErrorAlert error={error} onDismiss={() => setError(null)} />}

      {waiting && (
        <footer className="queue-post-actions">
          <button type="button" className="button button-small" disabled={busy !== null || !approval.draftId} onClick={() => void run('edit', async () => (await editRequestDraft(approval), null))}>
            Edit
          </button>
          <button type="button" className="button button-small button-danger" disabled={busy !== null} aria-busy={busy === 'reject'} onClick={() => void run('reject', () => rejectRequest(approval.id))}>
            Reject
          </button>
          <button type="button" className="button button-small button-primary" disabled={busy !== null} aria-busy={busy === 'approve'} onClick={() => void run('approve', () => approveRequest(approval))}>
            {approval.kind === 'schedule' ? 'Approve and schedule' : 'Approve and publish'}
          </button>
        </footer>
      )}
    </li>
  );
}

/** A post, or each post of a thread numbered, with hidden characters made visible. */
function ApprovalPosts({ posts }: { posts: string[] }) {
  if (posts.length <= 1) return <RevealedText text={posts[0] ?? ''} className="approval-text" />;
  return (
    <ol className="approval-thread">
      {posts.map((post, index) => (
        <li key={index}>
          <RevealedText text={post} className="approval-text" />
        </li>
      ))}
    </ol>
  );
}
