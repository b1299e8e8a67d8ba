// Opens the vault at start, and says on every account when its saved sign-in cannot be there any
// more: the user forgot the sign-ins, or they were kept only for a session that ended.
import type { AccountStore } from '../accounts/accountStore';
import type { Db } from '../db/openDatabase';
import type { Logger } from '../log/logger';
import type { CorePorts } from '../ports';
import { Vault } from './vault';

export async function openVault(deps: {
  db: Db;
  ports: Pick<CorePorts, 'keyWrapper' | 'clock'>;
  log: Logger;
  accounts: Pick<AccountStore, 'markAllNeedingReauth'>;
}): Promise<Vault> {
  const { accounts } = deps;
  const vault = new Vault({
    db: deps.db,
    keyWrapper: deps.ports.keyWrapper,
    clock: deps.ports.clock,
    log: deps.log,
    // Only the user's "Forget my sign-ins" deletes secrets; a key store that is merely locked does not.
    onLostSecrets: () => accounts.markAllNeedingReauth('You chose to forget the saved sign-ins on this computer; reconnect to post again.'),
  });
  const status = await vault.open();
  if (status.protection === 'session') {
    // Secrets kept for a session are gone after a restart: say so on every account.
    accounts.markAllNeedingReauth('Sign-ins are kept only until Localpost quits on this computer.');
  }
  return vault;
}
