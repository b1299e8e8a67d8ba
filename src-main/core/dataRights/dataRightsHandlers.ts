// The bridge's `data.*` group: the user's data, theirs to see (the data folder in the file
// manager), to take (an export) or to erase (everything, then a fresh start).
import type { Account, MethodOutput, Platform } from '../../../src-preload/contract';
import type { Handlers } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import type { PlatformAdapter } from '../platforms/adapter';
import type { CorePorts } from '../ports';
import { endSessionsAtPlatforms, eraseDataFolder } from './eraseData';
import { writeExport, type ExportSources } from './exportData';

/** What the user types to enable "Delete everything", checked here too: a page that skipped the
 *  field (or a console) cannot erase by accident. */
export const eraseConfirmationWord = 'DELETE';

export interface DataRightsDeps {
  dataDir: string;
  ports: Pick<CorePorts, 'folderOpener' | 'folderPicker' | 'appRestarter' | 'clock' | 'timeZone'>;
  exportSources: ExportSources;
  outbox: { isSending(): boolean; stop(): void };
  connectedAccounts(): Account[];
  adapters: Record<Platform, PlatformAdapter>;
  log: Logger;
  /** Closes everything the core holds open: database, log file, timers, sign-ins in progress. */
  closeCore(): void;
}

type DataRightsHandlers = Pick<Handlers, 'data.showFolder' | 'data.export' | 'data.eraseEverything'>;

export function createDataRightsHandlers(deps: DataRightsDeps): DataRightsHandlers {
  let erasing = false;

  return {
    'data.showFolder': async () => {
      try {
        await deps.ports.folderOpener.show(deps.dataDir);
      } catch (error) {
        deps.log.warn('The file manager did not open the data folder', { error: String(error) });
        throw new AppError('internal', 'Your file manager could not open the data folder.', { action: 'Try again, or check that a file manager is installed.' });
      }
      return {};
    },

    'data.export': async (): Promise<MethodOutput<'data.export'>> => {
      const chosen = await deps.ports.folderPicker.chooseFolder({ title: 'Export your Localpost data', buttonLabel: 'Export here' });
      if (chosen === null) return { outcome: 'cancelled' };
      try {
        const summary = writeExport(deps.exportSources, chosen, new Date(deps.ports.clock.now()), deps.ports.timeZone);
        deps.log.info('Data exported', { ...summary });
        return { outcome: 'saved', ...summary };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
        deps.log.warn('The export could not be written', { code });
        throw new AppError('export_failed', `Localpost could not write the export in that folder (${code}). Nothing was changed in your data.`, {
          action: 'Choose another folder, or free some disk space, and export again.',
        });
      }
    },

    'data.eraseEverything': async ({ revokeAtPlatforms, confirmation }) => {
      if (confirmation !== eraseConfirmationWord) {
        throw new AppError('invalid_input', `Type ${eraseConfirmationWord} to confirm that everything should be deleted.`);
      }
      if (erasing) throw new AppError('invalid_input', 'Localpost is already deleting everything.');
      // Refused rather than cut off: a request under way may already have reached the platform,
      // and only its answer, recorded in History, can tell. Posts that are only waiting (queued,
      // scheduled, retrying later) are erased with the rest and never go out.
      if (deps.outbox.isSending()) {
        throw new AppError('publish_in_flight', 'A post is going out right now.', {
          action: 'Wait until it is published or has failed (a few seconds), then delete everything.',
        });
      }
      erasing = true;
      // Checked and stopped in the same turn: nothing can start sending in between.
      deps.outbox.stop();
      deps.log.info('Deleting everything at the user\'s request', { revokeAtPlatforms });
      try {
        if (revokeAtPlatforms) await endSessionsAtPlatforms(deps.connectedAccounts(), deps.adapters);
        deps.closeCore();
        eraseDataFolder(deps.dataDir);
      } finally {
        // After this answer has left: the restart ends this process (Electron) or this core.
        setTimeout(() => deps.ports.appRestarter.restart(), 0);
      }
      return {};
    },
  };
}
