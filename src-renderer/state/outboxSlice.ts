// The outbox of the active profile: posts that are not done (scheduled, missed, going out, or
// waiting for the user), and how many there are, for the sidebar and the window title. The core
// owns every state and moves targets on by itself; `outbox.changed` reloads the list, and each
// action here shows the post exactly as the core answers it. An upload's progress comes apart
// (`upload.progress`) and moves the bars where the post is shown, without a reload.
//
// It comes a page at a time (outbox.page, most urgent first): the first page on each load; when
// the user asks for more, the posts shown and the next page, read again together as a reload is
// (up to 1,000, 200 a page; further down, the next page by its cursor), so thousands of
// scheduled posts never load, or render, at once.
import { api, call, type BridgeError, type Post, type Result, type UploadProgressTick } from '../bridge';
import type { SliceCreator } from './types';

/** A wall time (`YYYY-MM-DDTHH:mm`, what a datetime-local input gives) in an IANA zone. */
export interface ScheduleChoice {
  local: string;
  zone: string;
}

const pageSize = 50;
const largestPage = 200;
/** A reload refreshes this many of the posts shown at most; further down, the list ends there and loads on. */
const reloadedAtMost = 1_000;

export interface OutboxSlice {
  outboxPosts: Post[] | null;
  outboxError: BridgeError | null;
  /** Where the next page of the Queue starts; null once the last page is shown. */
  outboxCursor: string | null;
  outboxLoadingMore: boolean;
  /** Posts not done, as the core last counted them. */
  waitingCount: number;
  loadOutbox(): Promise<void>;
  loadMoreOutbox(): Promise<void>;
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
  // How many posts the user asked to see (Show more raises it before it loads): every load reads
  // it when it starts, so a reload that an event starts while Show more is on its way, or one
  // that answers after it, still shows what was asked for.
  let askedFor = pageSize;

  /** Shows a post as the core answered it, here and wherever else it is on screen. */
  const applyPost = (post: Post): null => {
    set((state) => {
      const others = (state.outboxPosts ?? []).filter((p) => p.id !== post.id);
      const wasShown = others.length !== (state.outboxPosts ?? []).length;
      const outboxPosts = post.phase === 'done' ? others : [...others, post];
      // The core's count arrives with its next `outbox.changed`; until then, the change seen here
      // (a post not shown is new to the Queue only when every open post is shown).
      const joined = !wasShown && post.phase !== 'done' && state.outboxPosts !== null && state.outboxCursor === null;
      const waitingCount = state.waitingCount + (wasShown && post.phase === 'done' ? -1 : joined ? 1 : 0);
      return { outboxPosts: state.outboxPosts && outboxPosts, waitingCount: Math.max(0, waitingCount) };
    });
    get().applyPostToHistory(post);
    return null;
  };

  return {
    outboxPosts: null,
    outboxError: null,
    outboxCursor: null,
    outboxLoadingMore: false,
    waitingCount: 0,

    async loadOutbox() {
      const load = ++latestLoad;
      // As many posts as the user asked to see (a first page, and one more for each Show more),
      // or as were shown if that is more, so the list they went down does not shrink under them.
      if (get().outboxPosts === null) askedFor = pageSize;
      const wanted = Math.min(reloadedAtMost, Math.max(askedFor, get().outboxPosts?.length ?? 0));
      const posts: Post[] = [];
      let cursor: string | null = null;
      let waiting = 0;
      do {
        const limit = Math.min(largestPage, wanted - posts.length);
        const result: Result<{ posts: Post[]; nextCursor: string | null; waiting: number }> = await call(
          api.outbox.page({ limit, ...(cursor ? { cursor } : {}) }),
        );
        if (load !== latestLoad) return;
        if (!result.ok) return set({ outboxError: result.error, outboxLoadingMore: false });
        posts.push(...result.value.posts);
        cursor = result.value.nextCursor;
        waiting = result.value.waiting;
      } while (cursor && posts.length < wanted);
      set((state) => {
        // While Publish waits for its answer, the post it made shows as it goes (an upload's progress).
        const sendingPost = state.sendingDraftId ? posts.find((post) => post.draftId === state.sendingDraftId) : undefined;
        const current = state.publishResult && posts.find((post) => post.id === state.publishResult!.id);
        return {
          outboxPosts: posts,
          outboxCursor: cursor,
          outboxLoadingMore: false,
          outboxError: null,
          waitingCount: waiting,
          publishResult: current ?? sendingPost ?? state.publishResult,
        };
      });
    },

    async loadMoreOutbox() {
      const { outboxCursor: cursor, outboxLoadingMore, outboxPosts } = get();
      if (!cursor || outboxLoadingMore) return;
      askedFor = (outboxPosts?.length ?? 0) + pageSize;
      if (askedFor <= reloadedAtMost) {
        set({ outboxLoadingMore: true });
        return get().loadOutbox();
      }
      const load = latestLoad;
      set({ outboxLoadingMore: true });
      const result = await call(api.outbox.page({ cursor, limit: pageSize }));
      // A reload since: its answer wins.
      if (load !== latestLoad) return;
      if (!result.ok) return set({ outboxError: result.error, outboxLoadingMore: false });
      set((state) => {
        const shown = new Set((state.outboxPosts ?? []).map((p) => p.id));
        return {
          outboxPosts: [...(state.outboxPosts ?? []), ...result.value.posts.filter((p) => !shown.has(p.id))],
          outboxCursor: result.value.nextCursor,
          outboxLoadingMore: false,
          waitingCount: result.value.waiting,
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
        waitingCount: Math.max(0, state.waitingCount - 1),
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
