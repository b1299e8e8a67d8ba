// How a webhook or bot-token platform (Discord, Slack, Telegram) keeps a connection its adapter
// has just verified: the account row, then its credential in the vault.
import type { Account, Platform } from '../../../src-preload/contract';
import type { AccountStore } from '../accounts/accountStore';
import type { Logger } from '../log/logger';
import type { Vault } from '../vault/vault';
import type { VerifiedConnection } from './adapter';

export interface SaveVerifiedDeps {
  vault: Pick<Vault, 'requireOpen'>;
  accounts: Pick<AccountStore, 'upsertConnected'>;
  log: Logger;
}

export function saveVerifiedConnection<C>(
  deps: SaveVerifiedDeps,
  target: { platform: Platform; profileId: string },
  verified: VerifiedConnection<C>,
  credentials: { save(accountId: string, credential: C): void },
): { account: Account; updatedExisting: boolean } {
  // Checked before the account row is written: a locked vault must not leave one without its credential.
  deps.vault.requireOpen();
  const { account, updatedExisting } = deps.accounts.upsertConnected({
    profileId: target.profileId,
    platform: target.platform,
    remoteId: verified.remoteId,
    handle: verified.handle,
    service: verified.service,
    displayName: null,
  });
  credentials.save(account.id, verified.credential);
  deps.log.info('Account connected', { platform: target.platform, account: account.id, updatedExisting });
  return { account, updatedExisting };
}
