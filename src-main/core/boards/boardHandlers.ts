// The bridge's `boards.*` group: the boards an account of the active profile can post to, from the
// cache unless the user asks again, and a new board made at the platform.
import type { Account, Platform } from '../../../src-preload/contract';
import { platformRules } from '../../../src-shared/platforms';
import type { AccountStore } from '../accounts/accountStore';
import type { HandlersFor } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { BoardSource, PlatformAdapter } from '../platforms/adapter';
import type { Vault } from '../vault/vault';
import type { BoardStore } from './boardStore';

export interface BoardHandlerDeps {
  boards: BoardStore;
  accounts: Pick<AccountStore, 'find'>;
  vault: Pick<Vault, 'requireOpen'>;
  adapters: Record<Platform, Pick<PlatformAdapter, 'boards'>>;
  activeProfileId(): string;
}

export function createBoardHandlers(deps: BoardHandlerDeps): HandlersFor<'boards'> {
  const sourceFor = (accountId: string): { account: Account; source: BoardSource } => {
    const account = deps.accounts.find(deps.activeProfileId(), accountId);
    if (!account) throw new AppError('not_found', 'That account is not in this profile.');
    const source = deps.adapters[account.platform].boards;
    if (!source) throw new AppError('invalid_input', `${platformRules[account.platform].name} has no boards to choose from.`);
    return { account, source };
  };

  return {
    'boards.list': async ({ accountId, refresh }) => {
      const { account, source } = sourceFor(accountId);
      const cached = deps.boards.get(account.id);
      if (cached && !refresh) return cached;
      deps.vault.requireOpen();
      return deps.boards.put(account.id, await source.list(account));
    },
    'boards.create': async ({ accountId, name }) => {
      const { account, source } = sourceFor(accountId);
      deps.vault.requireOpen();
      const board = await source.create(account, { name });
      deps.boards.add(account.id, board);
      return board;
    },
  };
}
