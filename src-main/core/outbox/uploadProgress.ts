// How far each target's upload has got, in memory only: a write to the database for every chunk
// would cost more than the upload, and after a restart an interrupted upload starts again anyway
// (or is settled as unknown), so nothing here would be worth keeping.
import type { Post } from '../../../src-preload/contract';

export interface TargetProgress {
  sentBytes: number;
  totalBytes: number;
}

export class UploadProgress {
  readonly #targets = new Map<string, TargetProgress>();

  set(postId: string, accountId: string, progress: TargetProgress): void {
    this.#targets.set(key(postId, accountId), progress);
  }

  /** The upload finished, failed or was cut off: the target shows its status alone again. */
  clear(postId: string, accountId: string): void {
    this.#targets.delete(key(postId, accountId));
  }

  /** The post with each uploading target's bytes sent so far (null for the others). */
  apply(post: Post): Post {
    if (this.#targets.size === 0) return post;
    return {
      ...post,
      targets: post.targets.map((target) => {
        const progress = this.#targets.get(key(post.id, target.accountId));
        // Only while its request is under way: a settled target never shows a stale bar.
        return progress && target.status === 'publishing' ? { ...target, progress: { ...progress } } : target;
      }),
    };
  }
}

function key(postId: string, accountId: string): string {
  return `${postId}\u0000${accountId}`;
}
