// Every post of the active profile, newest first: published, going out, scheduled or failed.
// The composer's publish result is one of these posts, so each reload (the core's
// `history.changed`, sent on every change of the outbox) brings it up to date as well: a target
// queued while offline turns published on screen when the network comes back. An upload's
// progress is not such a change: its bars move without a reload (outboxSlice's applyUploadProgress).
//
// It comes a page at a time (history.page): the first page on each load, the next as the user
// scrolls; a reload asks again for as many posts as were shown (up to 1,000), 200 at a time.
import { api, call, type BridgeError, type Platform, type Post, type Result, type TargetStatus } from '../bridge';
import type { SliceCreator } from './types';

/** What the History's search box and filters ask for; empty means everything. */
export interface HistoryFilter {
  query: string;
  accountId: string;
  platform: Platform | '';
  status: TargetStatus | '';
  /** The first and last day shown (YYYY-MM-DD, as the date fields give them), in the user's zone. */
  fromDay: string;
  toDay: string;
  /** Those days' bounds as instants: the first day's start, and the end of the last (exclusive). */
  from: number | null;
  to: number | null;
}

const pageSize = 50;
const largestPage = 200;
/** A reload refreshes this many of the posts shown at most; further down, the list ends there and loads on. */
const reloadedAtMost = 1_000;

export interface HistorySlice {
  posts: Post[] | null;
  historyError: BridgeError | null;
  historyFilter: HistoryFilter;
  /** Where the next page starts; null once the last page is shown. */
  historyCursor: string | null;
  historyLoadingMore: boolean;
  loadHistory(): Promise<void>;
  setHistoryFilter(filter: Partial<HistoryFilter>): Promise<void>;
  loadMoreHistory(): Promise<void>;
  /** Shows one post as the core just answered it (an outbox action's result). */
  applyPostToHistory(post: Post): void;
  /** The post left the outbox for the drafts (Edit): it is no longer anywhere on screen. */
  forgetPost(postId: string): void;
}

function pageInput(filter: HistoryFilter) {
  return {
    ...(filter.query.trim() ? { query: filter.query } : {}),
    ...(filter.accountId ? { accountIds: [filter.accountId] } : {}),
    ...(filter.platform ? { platforms: [filter.platform] } : {}),
    ...(filter.status ? { statuses: [filter.status] } : {}),
    ...(filter.from !== null ? { from: filter.from } : {}),
    ...(filter.to !== null ? { to: filter.to } : {}),
  };
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set, get) => {
  // Only the latest load's answer is shown (see outboxSlice).
  let latestLoad = 0;

  return {
    posts: null,
    historyError: null,
    historyFilter: { query: '', accountId: '', platform: '', status: '', fromDay: '', toDay: '', from: null, to: null },
    historyCursor: null,
    historyLoadingMore: false,

    async loadHistory() {
      const load = ++latestLoad;
      // As many posts as were shown, so the list the user scrolled down does not shrink under them.
      const wanted = Math.min(reloadedAtMost, Math.max(pageSize, get().posts?.length ?? 0));
      const filter = pageInput(get().historyFilter);
      const posts: Post[] = [];
      let cursor: string | null = null;
      do {
        const limit = Math.min(largestPage, wanted - posts.length);
        const result: Result<{ posts: Post[]; nextCursor: string | null }> = await call(api.history.page({ ...filter, limit, ...(cursor ? { cursor } : {}) }));
        if (load !== latestLoad) return;
        if (!result.ok) return set({ historyError: result.error, historyLoadingMore: false });
        posts.push(...result.value.posts);
        cursor = result.value.nextCursor;
      } while (cursor && posts.length < wanted);
      set((state) => ({
        posts,
        historyCursor: cursor,
        historyLoadingMore: false,
        historyError: null,
        publishResult: (state.publishResult && posts.find((p) => p.id === state.publishResult!.id)) ?? state.publishResult,
      }));
    },

    async setHistoryFilter(filter) {
      set((state) => ({ historyFilter: { ...state.historyFilter, ...filter }, posts: null, historyCursor: null }));
      await get().loadHistory();
    },

    async loadMoreHistory() {
      const { historyCursor: cursor, historyLoadingMore, historyFilter } = get();
      if (!cursor || historyLoadingMore) return;
      const load = latestLoad;
      set({ historyLoadingMore: true });
      const result = await call(api.history.page({ cursor, limit: pageSize, ...pageInput(historyFilter) }));
      // A reload or a new filter since: its answer wins.
      if (load !== latestLoad) return;
      if (!result.ok) return set({ historyError: result.error, historyLoadingMore: false });
      set((state) => {
        const shown = new Set((state.posts ?? []).map((p) => p.id));
        return {
          posts: [...(state.posts ?? []), ...result.value.posts.filter((p) => !shown.has(p.id))],
          historyCursor: result.value.nextCursor,
          historyLoadingMore: false,
        };
      });
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
