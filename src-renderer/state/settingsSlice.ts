// Posting settings and the vault's protection. The vault status decides what the whole app shows:
// waiting for a passphrase means the unlock screen and nothing else; locked
// because the OS key store refused means a banner and Settings' Try again, with everything else
// usable (drafts, history; posts wait in the queue).
import type { DeveloperAppPlatform } from '../../src-shared/developerApps';
import { api, call, type BridgeError, type Result, type Settings, type VaultStatus } from '../bridge';
import type { SliceCreator } from './types';

export interface SettingsSlice {
  settings: Settings | null;
  settingsError: BridgeError | null;
  vault: VaultStatus | null;
  loadSettings(): Promise<void>;
  updateSettings(change: Partial<Settings>): Promise<BridgeError | null>;
  loadVault(): Promise<void>;
  /** Applies a vault status from the core; loads the profile's data when this unlocked it. */
  applyVaultStatus(status: VaultStatus): Promise<void>;
  unlockVault(passphrase: string): Promise<BridgeError | null>;
  /** `currentPassphrase` is required when a passphrase already protects the vault. */
  protectWithPassphrase(passphrase: string, currentPassphrase?: string): Promise<BridgeError | null>;
  /** Asks the OS key store for the vault key again (the vault is locked with a reason). */
  retryVaultUnlock(): Promise<BridgeError | null>;
  /** Deletes every saved sign-in and starts a new key: only ever on the user's explicit choice. */
  forgetSignIns(): Promise<BridgeError | null>;
  keepSignInsForSessionOnly(): Promise<BridgeError | null>;
  acknowledgeBackendChange(): Promise<BridgeError | null>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  settings: null,
  settingsError: null,
  vault: null,

  async loadSettings() {
    const result = await call(api.settings.get({}));
    if (!result.ok) return set({ settingsError: result.error });
    set({ settings: result.value, settingsError: null });
  },

  async updateSettings(change) {
    // Shown at once: a checkbox that waits for the core's answer to tick reads as a missed click.
    // The core's answer then stands; a refusal puts back what the change replaced.
    const before = get().settings;
    if (before) set({ settings: { ...before, ...change } });
    const result = await call(api.settings.update(change));
    if (!result.ok) {
      if (before) {
        const previous = Object.fromEntries(Object.keys(change).map((key) => [key, before[key as keyof Settings]]));
        set((state) => ({ settings: state.settings && { ...state.settings, ...previous } }));
      }
      return result.error;
    }
    set({ settings: result.value });
    return null;
  },

  async loadVault() {
    const result = await call(api.vault.status({}));
    if (result.ok) await get().applyVaultStatus(result.value);
  },

  async applyVaultStatus(status) {
    const wasLocked = get().vault?.locked ?? false;
    set({ vault: status });
    if (wasLocked && !status.locked) {
      await get().loadEverything();
      // Read while the vault was locked, a developer app could only say so: read it again.
      const unread = Object.keys(get().developerAppErrors) as DeveloperAppPlatform[];
      await Promise.all(unread.map((platform) => get().loadDeveloperApp(platform)));
    }
  },

  async unlockVault(passphrase) {
    return applyVaultResult(await call(api.vault.unlock({ passphrase })), get().applyVaultStatus);
  },

  async protectWithPassphrase(passphrase, currentPassphrase) {
    const input = currentPassphrase === undefined ? { passphrase } : { passphrase, currentPassphrase };
    return applyVaultResult(await call(api.vault.usePassphrase(input)), get().applyVaultStatus);
  },

  async retryVaultUnlock() {
    return applyVaultResult(await call(api.vault.retryUnlock({})), get().applyVaultStatus);
  },

  async forgetSignIns() {
    const failure = await applyVaultResult(await call(api.vault.forgetSignIns({})), get().applyVaultStatus);
    // Every account now asks to be reconnected: show it.
    if (!failure) await get().loadAccounts();
    return failure;
  },

  async keepSignInsForSessionOnly() {
    return applyVaultResult(await call(api.vault.useSessionOnly({})), get().applyVaultStatus);
  },

  async acknowledgeBackendChange() {
    return applyVaultResult(await call(api.vault.acknowledgeBackendChange({})), get().applyVaultStatus);
  },
});

/** The vault waits for the user's passphrase: nothing else can be shown until it is given. */
export function waitsForPassphrase(vault: VaultStatus | null): boolean {
  return vault?.locked === true && vault.protection === 'passphrase';
}

async function applyVaultResult(
  result: Result<VaultStatus>,
  apply: (status: VaultStatus) => Promise<void>,
): Promise<BridgeError | null> {
  if (!result.ok) return result.error;
  await apply(result.value);
  return null;
}
