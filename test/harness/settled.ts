// Waits for the outbox, which works in the background: until the post, as History lists it,
// satisfies `done`. Gives up after `tries` looks, saying where its targets stood.
import type { Post } from '../../src-preload/contract';
import type { CoreClient } from './coreClient';

export async function settled(app: CoreClient, postId: string, done: (post: Post) => boolean, tries = 800, everyMs = 25): Promise<Post> {
  for (let i = 0; i < tries; i++) {
    const post = (await app.call('history.list', {})).find((p) => p.id === postId);
    if (post && done(post)) return post;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const last = (await app.call('history.list', {})).find((p) => p.id === postId);
  throw new Error(`post ${postId} did not settle: ${JSON.stringify(last?.targets)}`);
}
