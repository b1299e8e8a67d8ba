// Every post of the active profile, newest first: published, going out, scheduled or failed.
// The composer's publish result is one of these posts, so each reload (the core's
// `history.changed`, sent on every change of the outbox) brings it up to date as well: a target
// queued while offline turns published on screen when the network comes back. An upload's
// progress is not such a change: its bars move without a reload (outboxSlice's applyUploadProgress).
import { api, call, type BridgeError, type Post } from '../bridge';
import type { SliceCreator } from './types';

export interface HistorySlice {
  posts: Post[] | null;
  historyError: BridgeError | null;
  loadHistory(): Promise<void>;
  /** Shows one post as the core just answered it (an outbox action's result). */
  applyPostToHistory(post: Post): void;
  /** The post left the outbox for the drafts (Edit): it is no longer anywhere on screen. */
  forgetPost(postId: string): void;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set) => {
  // Only the latest load's answer is shown (see outboxSlice).
  let latestLoad = 0;

  return {
    posts: null,
    historyError: null,

    async loadHistory() {
      const load = ++latestLoad;
      const result = await call(api.history.list({}));
      if (load !== latestLoad) return;
      if (!result.ok) return set({ historyError: result.error });
      const posts = [...result.value].sort((a, b) => b.createdAt - a.createdAt);
      set((state) => ({
        posts,
        historyError: null,
        publishResult: (state.publishResult && posts.find((p) => p.id === state.publishResult!.id)) ?? state.publishResult,
      }));
    },

    applyPostToHistory(post) {
      set((state) => ({
        posts: state.posts && (state.posts.some((p) => p.id === post.id) ? state.posts.map((p) => (p.id === post.id ? post : p)) : state.posts),
        publishResult: state.publishResult?.id === post.id ? post : state.publishResult,
      }));
    },

    forgetPost(postId) {
      set((state) => ({
        posts: state.posts && state.posts.filter((p) => p.id !== postId),
        publishResult: state.publishResult?.id === postId ? null : state.publishResult,
      }));
    },
  };
};
