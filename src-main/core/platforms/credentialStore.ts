// What webhook and bot-token platforms keep in the vault: their credential, as JSON, under the
// account's secret id. Only the vault ever holds it; the account row holds a non-secret id.
import { secretIdFor } from '../accounts/accountStore';
import { AppError } from '../errors';
import { failureActions } from '../http/platformFailure';
import { registerSecret } from '../log/redact';
import type { Vault } from '../vault/vault';
import type { Account } from '../../../src-preload/contract';

export class CredentialStore<T> {
  /** `secretFields`: the fields the logger must redact wherever they appear (a token, a path). */
  constructor(
    private readonly vault: Vault,
    private readonly secretFields: ReadonlyArray<keyof T & string>,
  ) {}

  save(accountId: string, credential: T): void {
    this.#registerSecrets(credential);
    this.vault.put(secretIdFor(accountId), JSON.stringify(credential));
  }

  read(account: Account): T {
    const raw = this.vault.get(secretIdFor(account.id));
    if (!raw) {
      throw new AppError('platform_auth_failed', `${account.handle} has no saved credentials on this computer.`, {
        action: failureActions.reconnect,
      });
    }
    const credential = JSON.parse(raw) as T;
    this.#registerSecrets(credential);
    return credential;
  }

  // The vault knows the credential as one JSON string; the logger must know each token in it too,
  // so a token quoted alone in a platform's error message is still redacted.
  #registerSecrets(credential: T): void {
    for (const field of this.secretFields) {
      const value = credential[field];
      if (typeof value === 'string') registerSecret(value);
    }
  }

  forget(accountId: string): void {
    this.vault.delete(secretIdFor(accountId));
  }
}

/** At connect time, a refused credential is the user's typo or an old URL, not a revoked account. */
export function asConnectError(error: unknown): never {
  if (error instanceof AppError && error.code === 'platform_auth_failed') {
    throw new AppError('invalid_credentials', error.message, error.action ? { action: error.action } : {});
  }
  throw error;
}

