// When the app cannot start (a database from a newer version, an unreadable data folder), the
// user gets one plain dialog and the app exits, instead of a window that half works. The message
// is the core's bridge message: no stack, no secret (Signal's onDatabaseInitializationError).
//
// Runtime: main (shell).
import { app, dialog } from 'electron';
import { toBridgeError } from '../core/errors';

export function quitWithStartupError(error: unknown): void {
  const { message, action } = toBridgeError(error);
  dialog.showErrorBox('Localpost could not start', action ? `${message}\n\n${action}` : message);
  app.exit(1);
}
