// The KeyWrapper port over Electron's safeStorage: the OS key store (Keychain, DPAPI, libsecret,
// KWallet) wraps the vault's data key. Only the asynchronous API is used: electron 45 deprecates
// encryptString/decryptString/isEncryptionAvailable, and the async one supports key rotation
// (`shouldReEncrypt`). Every call must come after `app` is ready (safeStorage docs).
//
// Runtime: main (shell).
import { safeStorage } from 'electron';
import type { KeyStoreInfo, KeyWrapper } from '../core/ports';

export function createSafeStorageKeyWrapper(platform: NodeJS.Platform = process.platform): KeyWrapper {
  return {
    async describe(): Promise<KeyStoreInfo> {
      // Awaited first: it initialises the async encryptor, and on Linux the backend reads
      // 'unknown' until that has happened.
      const available = await safeStorage.isAsyncEncryptionAvailable();
      return { available, backend: storageBackend(platform) };
    },
    wrap(plaintext: string): Promise<Buffer> {
      return safeStorage.encryptStringAsync(plaintext);
    },
    async unwrap(wrapped: Buffer): Promise<{ plaintext: string; shouldRewrap: boolean }> {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(wrapped);
      return { plaintext: result, shouldRewrap: shouldReEncrypt };
    },
  };
}

/**
 * Linux reports which store Electron picked; `basic_text` means a hard-coded password protects
 * nothing (safeStorage docs), and the vault treats it so. macOS and Windows have one store each.
 */
function storageBackend(platform: NodeJS.Platform): string {
  if (platform === 'linux') return safeStorage.getSelectedStorageBackend();
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return 'unknown';
}
