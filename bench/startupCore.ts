// What the start-up benchmark's children load to start the core: createCore with the harness's
// test ports (the key wrapper a real AES key kept outside the data folder, as the OS keychain
// keeps Electron safeStorage's), and the steps of its start on their own, to time them apart.
// One module, loaded by one dynamic import, so that the time that import takes is the core's
// module loading and nothing else.
import { createCore, type Core } from '../src-main/core/createCore';
import { AccountStore } from '../src-main/core/accounts/accountStore';
import { migrate } from '../src-main/core/db/migrations';
import { openDatabaseOrExplain } from '../src-main/core/db/openedByVersion';
import { createLogger } from '../src-main/core/log/logger';
import { systemClock } from '../src-main/core/ports';
import { openVault } from '../src-main/core/vault/openVault';
import { createTestPorts } from '../test/harness/testPorts';

/** Offline, so that nothing the core starts (the outbox, token refresh) reaches for the network. */
const benchEnv = { LOCALPOST_TEST_OFFLINE: '1' };

/** The core over `dataDir`, as launchApp builds it (test/harness/app.ts). */
export function startBenchCore(dataDir: string, appOrigin: string): Promise<Core> {
  const env = { ...process.env, ...benchEnv };
  const { ports } = createTestPorts(dataDir, env);
  return createCore({ dataDir, ports, appOrigin, version: 'bench', env });
}

/**
 * createCore's first two steps alone, each timed: the database opened with its migrations checked,
 * then the vault unlocked. And the migrations check once more on its own, the database being up to
 * date: what every start pays for it.
 */
export async function timeCoreStartSteps(dataDir: string): Promise<{ databaseMs: number; migrationsCheckMs: number; vaultMs: number }> {
  const { ports } = createTestPorts(dataDir, { ...process.env, ...benchEnv });
  const started = performance.now();
  const db = openDatabaseOrExplain(dataDir, 'bench', systemClock);
  const opened = performance.now();
  try {
    const vault = await openVault({ db, ports, log: createLogger('core', []), accounts: new AccountStore(db, systemClock) });
    if (vault.status().locked) throw new Error('The vault stayed locked');
    const unlocked = performance.now();
    migrate(db);
    return { databaseMs: opened - started, vaultMs: unlocked - opened, migrationsCheckMs: performance.now() - unlocked };
  } finally {
    db.close();
  }
}
