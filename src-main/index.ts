// The composition root: builds the core with the real Electron adapters and installs the shell.
// Everything Electron-specific lives in ./shell; everything else in ./core, which the tests build
// the same way with test adapters (test/harness).
//
// Runtime: main.
import { app } from 'electron';
import type { BrowserWindow } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from './core/createCore';
import { startLocalEndpoint } from './core/localEndpoint/localEndpoint';
import type { Logger } from './core/log/logger';
import { systemClock } from './core/ports';
import type { CorePorts } from './core/ports';
import { ensurePrivateDir } from './core/storage/privateFiles';
import { appEntryUrl, appOrigin } from './shell/appAddress';
import { registerAppSchemeAsPrivileged, serveRendererFromAppScheme } from './shell/appProtocol';
import { installApplicationMenu } from './shell/applicationMenu';
import { commandLineArguments, hiddenStartSwitch, localpostMcpCommand, runCommandLineAndExit } from './shell/commandLine';
import { createFolderOpener, createFolderPicker, createFreshStartRestarter } from './shell/dataFolderPorts';
import { createFilePicker } from './shell/filePicker';
import { createExternalLinkOpener } from './shell/externalLinks';
import { installIpcBridge } from './shell/ipcBridge';
import { bringWindowForwardOnSecondInstance, claimSingleInstance } from './shell/lifecycle';
import { createMainWindow } from './shell/mainWindow';
import { createMediaWorkerLauncher } from './shell/mediaWorkerProcess';
import { createElectronNetworkState } from './shell/networkState';
import { createElectronNotifier } from './shell/notifier';
import { createElectronPreferences } from './shell/preferences';
import { createSafeStorageKeyWrapper } from './shell/safeStorageKeyWrapper';
import { quitWithStartupError } from './shell/startupFailure';
import { denyAllPermissionsInDefaultSession, installWebContentsGuards } from './shell/webContentsGuards';

// Built layout: out/main/index.js next to out/preload/index.cjs and out/renderer/.
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const iconPath = fileURLToPath(new URL('../../resources/icon.png', import.meta.url));
const mediaWorkerPath = fileURLToPath(new URL('./mediaWorker.js', import.meta.url));

let mainWindow: BrowserWindow | null = null;
/** Opens the window once the app is up (a second start of an app started without one); null before. */
let openWindowWhenAsked: () => BrowserWindow | null = () => null;

// Chromium's own files (cache, local storage, cookies) go to a folder of their own, so the data
// folder holds only what Localpost writes, every file of it private. Must be set before ready.
app.setPath('sessionData', path.join(app.getPath('userData'), 'Chromium'));

// Before ready: scheme privileges are read once at start (checklist 18).
registerAppSchemeAsPrivileged();

const commandLine = commandLineArguments(process.argv);
if (commandLine) {
  // `localpost …` through the installed app: the command, then exit; no lock, no window.
  void runCommandLineAndExit(commandLine);
} else if (claimSingleInstance()) {
  bringWindowForwardOnSecondInstance(() => mainWindow ?? openWindowWhenAsked());
  app.whenReady().then(startLocalpost).catch(quitWithStartupError);
}

async function startLocalpost(): Promise<void> {
  denyAllPermissionsInDefaultSession();
  installApplicationMenu();
  serveRendererFromAppScheme(rendererDir);

  const dataDir = app.getPath('userData');
  // Private before the first port writes into it (electron-store creates its file right away).
  ensurePrivateDir(dataDir);
  const urlOpener = createExternalLinkOpener();
  const ports: CorePorts = {
    // safeStorage is usable only now, after ready. The vault records the backend it reports
    // (describe()) and reports a change of backend.
    keyWrapper: createSafeStorageKeyWrapper(),
    urlOpener,
    clock: systemClock,
    network: createElectronNetworkState(),
    notifier: createElectronNotifier(),
    fetch: globalThis.fetch,
    preferences: createElectronPreferences(dataDir),
    locale: app.getLocale(),
    // Chromium's ICU reads the system zone (TZ, /etc/localtime, the OS setting).
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    folderOpener: createFolderOpener(),
    folderPicker: createFolderPicker(() => mainWindow),
    filePicker: createFilePicker(() => mainWindow),
    appRestarter: createFreshStartRestarter(),
    // Images and videos are read in a utility process that ends once idle (core/media).
    mediaWorker: createMediaWorkerLauncher(mediaWorkerPath),
  };
  // LOCALPOST_* endpoint overrides point the app at test servers: honoured in development and
  // test builds only. A packaged app gets no environment, so whoever can set the environment of a
  // launch cannot send tokens to a server of their choosing.
  const core = await createCore({
    dataDir,
    ports,
    appOrigin,
    version: app.getVersion(),
    localpostCommand: localpostMcpCommand(),
    ...(app.isPackaged ? {} : { env: process.env }),
  });
  const log = core.log.child('shell');

  // Before the first window exists, so no web contents escapes the guards (checklist 13, 14).
  installWebContentsGuards({
    urlOpener,
    onRefused: (what, fields) => log.warn(`Refused ${what}`, fields),
  });
  const uninstallBridge = installIpcBridge({ core, currentWindow: () => mainWindow });
  // The door for the localpost command and its MCP server (a socket only this user can open). The
  // app works without it: a failure to listen is logged, not fatal.
  const endpoint = await startLocalEndpoint({ dataDir, handlers: core.handlers, log: core.log.child('endpoint'), aiClients: core.aiClients, appVersion: app.getVersion() }).catch((error: unknown) => {
    log.error('The local endpoint did not start', { error });
    return null;
  });

  openWindowWhenAsked = () => openMainWindow(log);
  // Started by the localpost command: no window until the user opens the app.
  if (!process.argv.includes(hiddenStartSwitch)) openMainWindow(log);
  app.on('activate', function reopenWindowOnDockClick() {
    if (!mainWindow) openMainWindow(log);
  });

  app.on('window-all-closed', function quitUnlessMac() {
    // macOS apps stay in the dock with no window open.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', function closeCore() {
    uninstallBridge();
    void endpoint?.close();
    core.close();
  });
}

function openMainWindow(log: Logger): BrowserWindow {
  const window = createMainWindow({
    preloadPath,
    entryUrl: appEntryUrl,
    iconPath,
    onLoadFailed: (error) => log.error('The app page did not load', { error }),
  });
  window.on('closed', function forgetClosedWindow() {
    mainWindow = null;
  });
  mainWindow = window;
  return window;
}
