// The app's one window. Its options are a pure function so a test can assert every hardening
// flag without an Electron binary (the Electron security checklist's suggested CI step).
//
// Runtime: main (shell).
import { app, BrowserWindow } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload, out/preload/index.cjs. */
  preloadPath: string;
  /** The page to load: the app's own origin, never a remote URL (checklist 1). */
  entryUrl: string;
  /** Told when the entry page fails to load (a missing build, a protocol error). */
  onLoadFailed(error: unknown): void;
  /** The window icon (Linux and Windows; macOS takes the bundle's). */
  iconPath?: string;
}

export function hardenedWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Localpost',
    // Shown on ready-to-show, so the user never sees an empty frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      // Checklist 3: the page cannot reach the preload's world or Electron's internals.
      contextIsolation: true,
      // Checklist 4: the renderer runs in Chromium's sandbox; the preload is one bundled file.
      sandbox: true,
      // Checklist 2: no Node.js in the page, its workers or its frames.
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Checklist 6: same-origin policy stays on.
      webSecurity: true,
      // Checklist 8: no http: content inside the app's secure origin.
      allowRunningInsecureContent: false,
      // Checklist 9 and 10: no experimental or opt-in Blink features (enableBlinkFeatures unset).
      experimentalFeatures: false,
      // Checklist 11 and 12: no <webview> at all.
      webviewTag: false,
      // A file dropped on the window would navigate to file://; the app takes images through
      // its own file input instead.
      navigateOnDragDrop: false,
      // No DevTools in an installed app: a console next to window.localpost invites "paste this
      // here" tricks that publish or disconnect accounts. Development keeps them.
      devTools: !app.isPackaged,
    },
  };
}

/** Creates the window and loads the app's entry page from the app:// scheme (checklist 18). */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...hardenedWindowOptions(options.preloadPath),
    ...(options.iconPath ? { icon: options.iconPath } : {}),
  });
  window.once('ready-to-show', function showWhenPainted() {
    window.show();
  });
  window.loadURL(options.entryUrl).catch(function reportLoadFailure(error: unknown) {
    options.onLoadFailed(error);
  });
  return window;
}
