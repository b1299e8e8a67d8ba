// What AI assistants asked to publish, for the Approvals screen and the sidebar's count. A waiting
// request is shown as its draft is now (the core reads it afresh on every load); Approve names the
// hash of exactly what the card shows, so an edit in between (by the user or the assistant) is
// refused as stale and the card reloads with the new content. `approvals.changed` reloads the list.
import { api, call, type Approval, type BridgeError } from '../bridge';
import type { SliceCreator } from './types';

export interface ApprovalsSlice {
  approvals: Approval[] | null;
  approvalsError: BridgeError | null;
  /** Requests waiting for the user, as the core last counted them. */
  approvalsWaiting: number;
  loadApprovals(): Promise<void>;
  setApprovalsWaiting(waiting: number): void;
  /** Approves what the card shows (its hash). On `approval_stale` the list is reloaded. */
  approveRequest(approval: Approval): Promise<BridgeError | null>;
  rejectRequest(id: string): Promise<BridgeError | null>;
  /** Opens the request's draft in the composer; the request keeps waiting. */
  editRequestDraft(approval: Approval): Promise<void>;
}

export const createApprovalsSlice: SliceCreator<ApprovalsSlice> = (set, get) => {
  // Only the latest load's answer is shown (see outboxSlice).
  let latestLoad = 0;

  const apply = (approval: Approval) =>
    set((state) => {
      const approvals = state.approvals && state.approvals.map((a) => (a.id === approval.id ? approval : a));
      return { approvals, approvalsWaiting: approvals ? approvals.filter((a) => a.status === 'awaiting_approval').length : state.approvalsWaiting };
    });

  return {
    approvals: null,
    approvalsError: null,
    approvalsWaiting: 0,

    async loadApprovals() {
      const load = ++latestLoad;
      // An edit still on its way from the composer is written first, so the cards show it.
      await get().flushComposer();
      const result = await call(api.approvals.list({}));
      if (load !== latestLoad) return;
      if (!result.ok) return set({ approvalsError: result.error });
      set({ approvals: result.value, approvalsError: null, approvalsWaiting: result.value.filter((a) => a.status === 'awaiting_approval').length });
    },

    setApprovalsWaiting(waiting) {
      set({ approvalsWaiting: waiting });
    },

    async approveRequest(approval) {
      const result = await call(api.approvals.approve({ id: approval.id, contentHash: approval.contentHash }));
      if (!result.ok) {
        if (result.error.code === 'approval_stale') await get().loadApprovals();
        return result.error;
      }
      apply(result.value);
      // The draft went to the outbox: it left the drafts (and the composer, if Edit opened it
      // there), and the post is in the queue and History.
      if (get().composer?.id === approval.draftId) set({ composer: null });
      await Promise.all([get().loadDrafts(), get().loadOutbox(), get().loadHistory()]);
      return null;
    },

    async rejectRequest(id) {
      const result = await call(api.approvals.reject({ id }));
      if (!result.ok) {
        if (result.error.code === 'approval_stale') await get().loadApprovals();
        return result.error;
      }
      apply(result.value);
      return null;
    },

    async editRequestDraft(approval) {
      if (!approval.draftId) return;
      await get().openDraft(approval.draftId);
      get().showView('compose');
    },
  };
};
