// "Retry failed": queues the failed targets of a post again, and only those. The same button in
// the publish result, the queue and history; it shows nothing when no target failed.
import type { BridgeError, Post } from '../../bridge';
import { useAppStore } from '../../state/store';
import { hasFailedTargets } from './usePostAction';

/** The card's usePostAction: which action runs, and how to run one. */
interface CardAction {
  busy: string | null;
  run(name: 'retry', action: () => Promise<BridgeError | null>): Promise<boolean>;
}

export function RetryFailedButton({ post, action, className = '' }: { post: Post; action: CardAction; className?: string }) {
  const retryFailed = useAppStore((s) => s.retryFailed);
  if (!hasFailedTargets(post)) return null;
  return (
    <button
      type="button"
      className={`button button-small ${className}`.trim()}
      disabled={action.busy !== null}
      aria-busy={action.busy === 'retry'}
      onClick={() => void action.run('retry', () => retryFailed(post.id))}
    >
      Retry failed
    </button>
  );
}
