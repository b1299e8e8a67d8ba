// The bridge's `accounts.*` group: the active profile's accounts, connected, checked, capped and
// disconnected. How each platform signs in is its own (AccountConnectors); this group only says
// which profile, and tells everyone the account changed.
import type { Platform } from '../../../src-preload/contract';
import type { HandlersFor } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import type { OAuthEngine } from '../oauth/oauthFlow';
import type { PlatformAdapter } from '../platforms/adapter';
import { connectAccount, type AccountConnectors, type Connected } from '../platforms/createPlatforms';
import type { Vault } from '../vault/vault';
import type { AccountStore } from './accountStore';
import { assertSpendingCapApplies } from './spendingCap';

export interface AccountHandlerDeps {
  accounts: Pick<AccountStore, 'listActive' | 'find' | 'setSpendingCap' | 'setStatus' | 'softDelete'>;
  vault: Pick<Vault, 'requireOpen'>;
  adapters: Record<Platform, Pick<PlatformAdapter, 'checkConnection' | 'disconnect'>>;
  connect: AccountConnectors;
  oauth: Pick<OAuthEngine, 'completeFromPastedUrl'>;
  activeProfileId(): string;
  accountChanged(profileId: string): void;
  log: Logger;
}

export function createAccountHandlers(deps: AccountHandlerDeps): HandlersFor<'accounts'> {
  const { accounts, connect, activeProfileId: active } = deps;
  const accountOf = (id: string) => {
    const account = accounts.find(active(), id);
    if (!account) throw new AppError('not_found', 'That account is not in this profile.');
    return account;
  };
  const announced = (connected: Connected) => {
    deps.accountChanged(connected.account.profileId);
    return connected;
  };

  return {
    'accounts.list': () => accounts.listActive(active()),
    'accounts.connect': async (input) => announced(await connectAccount(connect, input, active())),
    'accounts.completeSignIn': async ({ pastedUrl }) => {
      // The waiting connect call settles with these tokens (or this failure) by itself.
      await deps.oauth.completeFromPastedUrl(pastedUrl, active());
      return {};
    },
    'accounts.setSpendingCap': ({ id, postsPer30Days }) => {
      const account = accountOf(id);
      assertSpendingCapApplies(account.platform);
      accounts.setSpendingCap(account.id, postsPer30Days);
      deps.accountChanged(account.profileId);
      return accountOf(id);
    },
    'accounts.check': async ({ id }) => {
      const account = accountOf(id);
      // A locked vault says nothing about the account: leave its status as it is.
      deps.vault.requireOpen();
      const check = await deps.adapters[account.platform].checkConnection(account);
      accounts.setStatus(account.id, check.status, check.status === 'connected' ? null : check.reason);
      deps.accountChanged(account.profileId);
      return accountOf(id);
    },
    'accounts.disconnect': async ({ id }) => {
      const account = accountOf(id);
      await deps.adapters[account.platform].disconnect(account);
      accounts.softDelete(account.id);
      deps.log.info('Account disconnected', { account: account.id });
      deps.accountChanged(account.profileId);
      return {};
    },
  };
}
