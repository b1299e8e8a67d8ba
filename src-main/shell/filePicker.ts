// The OS's own open-file dialog, for a file the core reads itself (a video, which never crosses
// the bridge). The chosen path goes to the core and no further.
//
// Runtime: main (shell).
import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import type { FilePicker } from '../core/ports';

/** Attached to the window so it is modal to it (and not lost behind it). */
export function createFilePicker(currentWindow: () => BrowserWindow | null): FilePicker {
  return {
    async chooseFile({ title, buttonLabel, filters }) {
      const options: OpenDialogOptions = {
        title,
        buttonLabel,
        properties: ['openFile'],
        filters: filters.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })),
      };
      const window = currentWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
