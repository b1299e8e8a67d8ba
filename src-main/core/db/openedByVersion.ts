// Opening the app's database at start, with the one refusal a person must understand: data
// written by a newer Localpost (a downgrade). The migration runner refuses it before anything is
// written; this turns that refusal into a message that says which version wrote it and what to do.
import { AppError } from '../errors';
import type { Clock } from '../ports';
import { DatabaseFromFutureError } from './migrations';
import { openDatabase, type Db } from './openDatabase';

export function openDatabaseOrExplain(dataDir: string, appVersion: string, clock: Clock): Db {
  try {
    return openDatabase(dataDir, { appVersion, at: clock.now() });
  } catch (error) {
    if (!(error instanceof DatabaseFromFutureError)) throw error;
    const writer = error.lastOpenedBy ? `Localpost ${error.lastOpenedBy}` : 'a newer Localpost';
    throw new AppError(
      'database_from_newer_version',
      `Your Localpost data was last opened by ${writer}, which is newer than this one (${appVersion}). ` +
        'This version cannot read it, so it changed nothing.',
      {
        action: `Install ${error.lastOpenedBy ? `Localpost ${error.lastOpenedBy} or later` : 'the newest Localpost'} again to keep using your data. Nothing was lost.`,
        cause: error,
      },
    );
  }
}
