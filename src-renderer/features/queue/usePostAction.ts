// One outbox action at a time per post card: which one is running (its button says so and the
// others wait), and the core's refusal, shown in the card until dismissed or the next action.
import { useState } from 'react';
import type { BridgeError, Post } from '../../bridge';

export function usePostAction<Name extends string>() {
  const [busy, setBusy] = useState<Name | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);

  const run = async (name: Name, action: () => Promise<BridgeError | null>): Promise<boolean> => {
    setBusy(name);
    setError(null);
    const failure = await action();
    setBusy(null);
    setError(failure);
    return failure === null;
  };

  return { busy, error, run, dismissError: () => setError(null) };
}

/** A target failed (for now, or for good): Retry failed queues those again, and only those. */
export function hasFailedTargets(post: Post): boolean {
  return post.targets.some((t) => t.status === 'failed_retryable' || t.status === 'failed_permanent');
}
