// One Localpost at a time. A second start (a launcher, the dock, a shortcut) gives up the lock
// and quits, and the running instance brings its window to the front (Electron's
// `app.requestSingleInstanceLock`, `second-instance` event).
//
// Localpost registers no URL scheme with the OS: every sign-in comes back through a loopback
// listener (RFC 8252 §7.3) or an address the user pastes, so no web page can send the app a link.
//
// Runtime: main (shell).
import { app } from 'electron';
import type { BrowserWindow } from 'electron';

/** Returns false when another instance holds the lock; this one then quits. */
export function claimSingleInstance(): boolean {
  const obtained = app.requestSingleInstanceLock();
  if (!obtained) app.quit();
  return obtained;
}

/** A second start brings the running window back. Its arguments are not read: nothing needs them. */
export function bringWindowForwardOnSecondInstance(currentWindow: () => BrowserWindow | null): void {
  app.on('second-instance', function bringExistingWindowForward() {
    bringToFront(currentWindow());
  });
}

function bringToFront(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
