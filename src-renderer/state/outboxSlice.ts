// The outbox of the active profile: posts that are not done (scheduled, missed, going out, or
// waiting for the user), and how many there are, for the sidebar and the window title. The core
// owns every state and moves targets on by itself; `outbox.changed` reloads the list, and each
// action here shows the post exactly as the core answers it. An upload's progress comes apart
// (`upload.progress`) and moves the bars where the post is shown, without a reload.
import { api, call, type BridgeError, type Post, type UploadProgressTick } from '../bridge';
import type { SliceCreator } from './types';

/** A wall time (`YYYY-MM-DDTHH:mm`, what a datetime-local input gives) in an IANA zone. */
export interface ScheduleChoice {
  local: string;
  zone: string;
}

export interface OutboxSlice {
  outboxPosts: Post[] | null;
  outboxError: BridgeError | null;
  /** Posts not done, as the core last counted them. */
  waitingCount: number;
  loadOutbox(): Promise<void>;
  /** The count `outbox.changed` carries, shown before the list has reloaded. */
  setWaitingCount(waiting: number): void;
  cancelPost(postId: string): Promise<BridgeError | null>;
  reschedulePost(postId: string, schedule: ScheduleChoice): Promise<BridgeError | null>;
  /** A scheduled post goes back to the drafts and opens in the composer. */
  editScheduledPost(postId: string): Promise<BridgeError | null>;
  /** Queues the failed targets again, and only those. */
  retryFailed(postId: string): Promise<BridgeError | null>;
  resolveUnknown(postId: string, accountId: string, resolution: 'was_published' | 'send_again'): Promise<BridgeError | null>;
  decideMissed(postId: string, decision: 'publish' | 'skip'): Promise<BridgeError | null>;
  /** Moves a target's upload bar in the queue, History and the publish result. */
  applyUploadProgress(tick: UploadProgressTick): void;
}

export const createOutboxSlice: SliceCreator<OutboxSlice> = (set, get) => {
  // Events come in bursts (claimed, published, settled): only the latest load's answer is shown,
  // so an earlier, slower answer can never put an older state back on screen.
  let latestLoad = 0;

  /** Shows a post as the core answered it, here and wherever else it is on screen. */
  const applyPost = (post: Post): null => {
    set((state) => {
      const others = (state.outboxPosts ?? []).filter((p) => p.id !== post.id);
      const outboxPosts = post.phase === 'done' ? others : [...others, post];
      return { outboxPosts: state.outboxPosts && outboxPosts, waitingCount: state.outboxPosts ? outboxPosts.length : state.waitingCount };
    });
    get().applyPostToHistory(post);
    return null;
  };

  return {
    outboxPosts: null,
    outboxError: null,
    waitingCount: 0,

    async loadOutbox() {
      const load = ++latestLoad;
      const result = await call(api.outbox.list({}));
      if (load !== latestLoad) return;
      if (!result.ok) return set({ outboxError: result.error });
      set((state) => {
        // While Publish waits for its answer, the post it made shows as it goes (an upload's progress).
        const sendingPost = state.sendingDraftId ? result.value.find((post) => post.draftId === state.sendingDraftId) : undefined;
        const current = state.publishResult && result.value.find((post) => post.id === state.publishResult!.id);
        return {
          outboxPosts: result.value,
          outboxError: null,
          waitingCount: result.value.length,
          publishResult: current ?? sendingPost ?? state.publishResult,
        };
      });
    },

    setWaitingCount(waiting) {
      set({ waitingCount: waiting });
    },

    async cancelPost(postId) {
      const result = await call(api.outbox.cancel({ postId }));
      return result.ok ? applyPost(result.value) : result.error;
    },

    async reschedulePost(postId, schedule) {
      const result = await call(api.outbox.reschedule({ postId, schedule }));
      return result.ok ? applyPost(result.value) : result.error;
    },

    async editScheduledPost(postId) {
      const result = await call(api.outbox.edit({ postId }));
      if (!result.ok) return result.error;
      // The post is gone from the outbox: its content is a draft again.
      set((state) => ({
        outboxPosts: state.outboxPosts && state.outboxPosts.filter((p) => p.id !== postId),
        waitingCount: state.outboxPosts ? state.outboxPosts.filter((p) => p.id !== postId).length : state.waitingCount,
      }));
      get().forgetPost(postId);
      await get().adoptDraft(result.value);
      get().showView('compose');
      return null;
    },

    async retryFailed(postId) {
      const result = await call(api.outbox.retry({ postId }));
      return result.ok ? applyPost(result.value) : result.error;
    },

    async resolveUnknown(postId, accountId, resolution) {
      const result = await call(api.outbox.resolveUnknown({ postId, accountId, resolution }));
      return result.ok ? applyPost(result.value) : result.error;
    },

    async decideMissed(postId, decision) {
      const result = await call(api.outbox.decideMissed({ postId, decision }));
      return result.ok ? applyPost(result.value) : result.error;
    },

    applyUploadProgress(tick) {
      set((state) => ({
        outboxPosts: state.outboxPosts && state.outboxPosts.map((post) => withUploadProgress(post, tick)),
        posts: state.posts && state.posts.map((post) => withUploadProgress(post, tick)),
        publishResult: state.publishResult && withUploadProgress(state.publishResult, tick),
      }));
    },
  };
};

/**
 * The post with the target's bar at the tick's figures; the same object when the tick is not for
 * it, so nothing else renders again. As in the core, only a target still publishing shows a bar:
 * a tick that arrives after the target settled is stale.
 */
function withUploadProgress(post: Post, tick: UploadProgressTick): Post {
  if (post.id !== tick.postId) return post;
  const { sentBytes, totalBytes } = tick;
  return {
    ...post,
    targets: post.targets.map((target) => (target.accountId === tick.accountId && target.status === 'publishing' ? { ...target, progress: { sentBytes, totalBytes } } : target)),
  };
}
