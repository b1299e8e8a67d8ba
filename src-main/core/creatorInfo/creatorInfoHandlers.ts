// The bridge's `creatorInfo.*` group: what an account of the active profile may post now, asked of
// its platform each time (TikTok wants creator_info read before every post, so nothing is cached).
import type { Platform } from '../../../src-preload/contract';
import { platformRules } from '../../../src-shared/platforms';
import type { AccountStore } from '../accounts/accountStore';
import type { HandlersFor } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { PlatformAdapter } from '../platforms/adapter';
import type { Vault } from '../vault/vault';

export interface CreatorInfoHandlerDeps {
  accounts: Pick<AccountStore, 'find'>;
  vault: Pick<Vault, 'requireOpen'>;
  adapters: Record<Platform, Pick<PlatformAdapter, 'creatorInfo'>>;
  activeProfileId(): string;
}

export function createCreatorInfoHandlers(deps: CreatorInfoHandlerDeps): HandlersFor<'creatorInfo'> {
  return {
    'creatorInfo.get': async ({ accountId }) => {
      const account = deps.accounts.find(deps.activeProfileId(), accountId);
      if (!account) throw new AppError('not_found', 'That account is not in this profile.');
      const source = deps.adapters[account.platform].creatorInfo;
      if (!source) throw new AppError('invalid_input', `${platformRules[account.platform].name} has no creator settings to read.`);
      deps.vault.requireOpen();
      return source.get(account);
    },
  };
}
