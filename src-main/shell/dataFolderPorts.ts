// The ports behind Settings → Your data: the data folder in the OS file manager, the OS's own
// folder dialog for an export, and a fresh start after everything was deleted.
//
// Runtime: main (shell).
import { app, dialog, session, shell } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import type { AppRestarter, FolderOpener, FolderPicker } from '../core/ports';

export class FolderNotOpenedError extends Error {
  override name = 'FolderNotOpenedError';
}

/** `shell.openPath` answers with an error message, empty on success, rather than rejecting. */
export function createFolderOpener(): FolderOpener {
  return {
    async show(folder) {
      const problem = await shell.openPath(folder);
      if (problem) throw new FolderNotOpenedError(problem);
    },
  };
}

/** The OS folder dialog, attached to the window so it is modal to it (and not lost behind it). */
export function createFolderPicker(currentWindow: () => BrowserWindow | null): FolderPicker {
  return {
    async chooseFolder({ title, buttonLabel }) {
      const options: OpenDialogOptions = { title, buttonLabel, properties: ['openDirectory', 'createDirectory'] };
      const window = currentWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}

/**
 * Clears what Chromium kept for the page (cache, storage), then relaunches. `app.exit` skips
 * `will-quit`, which is right here: the core has already closed everything, and its files are
 * gone. Electron's docs give `app.relaunch()` then `app.exit(0)` for exactly this.
 */
export function createFreshStartRestarter(): AppRestarter {
  return {
    restart() {
      const chromium = session.defaultSession;
      void Promise.allSettled([chromium.clearStorageData(), chromium.clearCache()]).then(() => {
        app.relaunch();
        app.exit(0);
      });
    },
  };
}
