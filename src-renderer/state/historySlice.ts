// Published posts of the active profile, newest first.
import { api, call, type BridgeError, type Post } from '../bridge';
import type { SliceCreator } from './types';

export interface HistorySlice {
  posts: Post[] | null;
  historyError: BridgeError | null;
  loadHistory(): Promise<void>;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set) => ({
  posts: null,
  historyError: null,

  async loadHistory() {
    const result = await call(api.history.list({}));
    if (!result.ok) return set({ historyError: result.error });
    set({ posts: [...result.value].sort((a, b) => b.createdAt - a.createdAt), historyError: null });
  },
});
