// Publish now, and watch the first target's upload progress as the Queue reads it (outbox.list)
// until the call returns: what a user sees move while a video goes out.
import type { MethodOutput } from '../../src-preload/contract';
import type { CoreClient } from './coreClient';

export interface SeenProgress {
  sentBytes: number;
  totalBytes: number;
}

export async function publishWatchingProgress(
  app: CoreClient,
  draftId: string,
  everyMs = 20,
): Promise<{ post: MethodOutput<'publish.now'>; seen: SeenProgress[] }> {
  const publishing = app.call('publish.now', { draftId });
  const seen: SeenProgress[] = [];
  let done = false;
  void publishing.finally(() => (done = true)).catch(() => {});
  while (!done) {
    const target = (await app.call('outbox.list', {}))[0]?.targets[0];
    if (target?.progress) seen.push(target.progress);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { post: await publishing, seen };
}
