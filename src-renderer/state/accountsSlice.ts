// Accounts of the active profile. The app password, webhook URL or bot token typed into a connect
// form never enters this store: it goes straight from the form's own state into the bridge call
// (the store outlives the form), and the account that comes back carries no secret. The address
// pasted to finish a browser sign-in (it carries the one-time code) is handled the same way.
import { api, call, type Account, type BridgeError, type ConnectInput, type Result } from '../bridge';
import type { SliceCreator } from './types';

export interface ConnectedAccount {
  account: Account;
  /** The same account (same remote id) was already in this profile; its sign-in was replaced. */
  updatedExisting: boolean;
  /** The other accounts the same sign-in connected (a Facebook login's other Pages). */
  alsoConnected?: Account[];
  /** What the sign-in left out, and why. */
  notes?: string[];
}

/** What every platform's connect form takes from Accounts. */
export interface ConnectFormProps {
  /** The form replaces the sign-in of an account already here. */
  reconnecting?: boolean;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}

export interface AccountsSlice {
  accounts: Account[] | null;
  accountsError: BridgeError | null;
  loadAccounts(): Promise<void>;
  /** Connects an account on the platform the input names (what each needs: the contract's
   *  connectInputs). A browser sign-in lasts until the browser answers. */
  connect(input: ConnectInput): Promise<Result<ConnectedAccount>>;
  /** Paste fallback: hands the address the browser landed on to the sign-in that is waiting. */
  completeSignIn(pastedUrl: string): Promise<BridgeError | null>;
  setSpendingCap(id: string, postsPer30Days: number): Promise<BridgeError | null>;
  checkAccount(id: string): Promise<BridgeError | null>;
  disconnectAccount(id: string): Promise<BridgeError | null>;
}

export const createAccountsSlice: SliceCreator<AccountsSlice> = (set, get) => {
  /** Every connect ends the same way: the account joins the list, and a blank draft targets it. */
  const connected = (result: Result<ConnectedAccount>): Result<ConnectedAccount> => {
    if (!result.ok) return result;
    for (const account of [result.value.account, ...(result.value.alsoConnected ?? [])]) {
      set((state) => ({ accounts: upsert(state.accounts ?? [], account) }));
      get().targetNewAccountInBlankDraft(account);
      // A new sign-in answers any alert that asked for it.
      if (account.status === 'connected') get().dismissAccountAlert(account.id);
    }
    return result;
  };

  return {
    accounts: null,
    accountsError: null,

    async loadAccounts() {
      const result = await call(api.accounts.list({}));
      if (!result.ok) return set({ accountsError: result.error });
      set({ accounts: result.value, accountsError: null });
    },

    async connect(input) {
      return connected(await call(api.accounts.connect(input)));
    },

    async completeSignIn(pastedUrl) {
      const result = await call(api.accounts.completeSignIn({ pastedUrl: pastedUrl.trim() }));
      return result.ok ? null : result.error;
    },

    async setSpendingCap(id, postsPer30Days) {
      const result = await call(api.accounts.setSpendingCap({ id, postsPer30Days }));
      if (!result.ok) return result.error;
      set((state) => ({ accounts: upsert(state.accounts ?? [], result.value) }));
      return null;
    },

    async checkAccount(id) {
      const result = await call(api.accounts.check({ id }));
      if (!result.ok) return result.error;
      set((state) => ({ accounts: upsert(state.accounts ?? [], result.value) }));
      return null;
    },

    async disconnectAccount(id) {
      const result = await call(api.accounts.disconnect({ id }));
      if (!result.ok) return result.error;
      set((state) => ({ accounts: (state.accounts ?? []).filter((a) => a.id !== id) }));
      get().untargetAccount(id);
      get().dismissAccountAlert(id);
      return null;
    },
  };
};

function upsert(accounts: Account[], account: Account): Account[] {
  return accounts.some((a) => a.id === account.id)
    ? accounts.map((a) => (a.id === account.id ? account : a))
    : [...accounts, account];
}
