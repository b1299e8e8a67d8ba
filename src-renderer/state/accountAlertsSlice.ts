// Sign-ins that need the user: the core's `token.revoked` (the platform refused the grant) and
// `token.expiring` (it will end and cannot be renewed without the user) for the active profile.
// Each shows as a banner until dismissed, answered by a new sign-in, or the account is removed.
import type { SliceCreator } from './types';

export interface AccountAlert {
  accountId: string;
  handle: string;
  kind: 'revoked' | 'expiring';
  /** Why, in the core's words. */
  reason: string;
  /** When the sign-in ends (expiring only; epoch ms). */
  expiresAt: number | null;
}

export interface AccountAlertsSlice {
  accountAlerts: AccountAlert[];
  /** The account whose reconnect form Accounts should open next (a banner's Reconnect). */
  reconnectRequest: string | null;
  raiseAccountAlert(alert: AccountAlert): void;
  dismissAccountAlert(accountId: string): void;
  clearAccountAlerts(): void;
  /** Goes to Accounts and opens the reconnect form for this account. */
  requestReconnect(accountId: string): void;
  takeReconnectRequest(): string | null;
}

export const createAccountAlertsSlice: SliceCreator<AccountAlertsSlice> = (set, get) => ({
  accountAlerts: [],
  reconnectRequest: null,

  raiseAccountAlert(alert) {
    // One banner per account: a revocation replaces an earlier "expiring" for the same account.
    set((state) => ({ accountAlerts: [...state.accountAlerts.filter((a) => a.accountId !== alert.accountId), alert] }));
  },

  dismissAccountAlert(accountId) {
    if (!get().accountAlerts.some((a) => a.accountId === accountId)) return;
    set((state) => ({ accountAlerts: state.accountAlerts.filter((a) => a.accountId !== accountId) }));
  },

  clearAccountAlerts() {
    set({ accountAlerts: [], reconnectRequest: null });
  },

  requestReconnect(accountId) {
    set({ reconnectRequest: accountId });
    get().showView('accounts');
  },

  takeReconnectRequest() {
    const accountId = get().reconnectRequest;
    if (accountId !== null) set({ reconnectRequest: null });
    return accountId;
  },
});
