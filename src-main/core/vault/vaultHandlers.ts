// The bridge's `vault.*` group: how the saved sign-ins are protected, opened and forgotten. Every
// change of protection is announced (`vault.changed`); an opened vault lets what waited for its
// secrets go on.
import type { HandlersFor } from '../bridge/dispatch';
import type { Emit } from '../coreEvents';
import type { Vault } from './vault';

type VaultOperations = 'status' | 'usePassphrase' | 'unlock' | 'useSessionOnly' | 'acknowledgeBackendChange' | 'retryUnlock' | 'forgetSignIns';

export function createVaultHandlers(deps: {
  vault: Pick<Vault, VaultOperations>;
  emit: Emit;
  /** The vault just opened (a passphrase, Try again). */
  opened(): void;
  /** The saved sign-ins are gone: the active profile's accounts need reconnecting. */
  signInsForgotten(): void;
}): HandlersFor<'vault'> {
  const { vault, emit } = deps;
  return {
    'vault.status': () => vault.status(),
    'vault.usePassphrase': async ({ passphrase, currentPassphrase }) => {
      const status = await vault.usePassphrase(passphrase, currentPassphrase);
      emit('vault.changed', status);
      return status;
    },
    'vault.unlock': async ({ passphrase }) => {
      const status = await vault.unlock(passphrase);
      emit('vault.changed', status);
      if (!status.locked) deps.opened();
      return status;
    },
    'vault.useSessionOnly': () => {
      const status = vault.useSessionOnly();
      emit('vault.changed', status);
      return status;
    },
    'vault.acknowledgeBackendChange': () => vault.acknowledgeBackendChange(),
    'vault.retryUnlock': async () => {
      const status = await vault.retryUnlock();
      emit('vault.changed', status);
      if (!status.locked) deps.opened();
      return status;
    },
    'vault.forgetSignIns': async () => {
      const status = await vault.forgetSignIns();
      emit('vault.changed', status);
      deps.signInsForgotten();
      return status;
    },
  };
}
