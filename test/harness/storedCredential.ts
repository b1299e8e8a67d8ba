// What the vault holds for an account, read as the app would, from a data folder whose app has
// closed: for tests that check what was stored (rotated refresh tokens, endpoints, extras).
import { secretIdFor } from '../../src-main/core/accounts/accountStore';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import type { OAuthAccountCredential } from '../../src-main/core/oauth/oauthAccounts';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { testKeyWrapper } from './testPorts';

export async function storedCredential(dataDir: string, accountId: string): Promise<OAuthAccountCredential> {
  const db = openDatabase(dataDir);
  try {
    const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
    await vault.open();
    return JSON.parse(vault.get(secretIdFor(accountId))!) as OAuthAccountCredential;
  } finally {
    db.close();
  }
}
