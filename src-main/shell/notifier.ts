// The Notifier port: OS notifications raised from main, so the page never needs the
// `notifications` permission (every permission is denied; see webContentsGuards.ts).
//
// Runtime: main (shell).
import { Notification } from 'electron';
import type { Notifier } from '../core/ports';

export function createElectronNotifier(): Notifier {
  return {
    notify(title: string, body: string): void {
      // Some Linux desktops have no notification server; there is nothing to show then.
      if (!Notification.isSupported()) return;
      new Notification({ title, body }).show();
    },
  };
}
