// A recording stand-in for the `electron` module, loaded in its place by
// ./electronStandInLoader.mjs. It implements just what the shell (and electron-store) call, the
// way Electron documents it, and records every call so tests can assert what the shell wired:
// handlers registered, flags set, URLs opened. It enforces the two ordering rules the shell
// depends on: scheme privileges only before ready, the protocol module only after.
//
// Deliberately missing: safeStorage's deprecated synchronous calls, so using them fails a test.

import { fork, type ChildProcess } from 'node:child_process';

type Listener = (...args: any[]) => unknown;

class RecordingEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }

  removeListener(name: string, listener: Listener): this {
    this.listeners.set(name, (this.listeners.get(name) ?? []).filter((candidate) => candidate !== listener));
    return this;
  }

  /** Calls every listener, as Node's EventEmitter would; returns what they returned. */
  emit(name: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(name) ?? []).map((listener) => listener(...args));
  }

  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}

/** An Electron-style event whose default the listener may prevent. */
export class StandInEvent {
  defaultPrevented = false;
  constructor(readonly fields: Record<string, unknown> = {}) {
    Object.assign(this, fields);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

// ---------------------------------------------------------------------------------------------
// What tests control, and what the stand-in recorded.

export const control = {
  singleInstanceLockAvailable: true,
  online: true,
  asyncEncryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  shouldReEncrypt: false,
  notificationsSupported: true,
  userDataDir: '',
  locale: 'en-US',
  /** `app.isPackaged`: false for `electron .` (development), true in an installed app. */
  packaged: false,
  /** `app.getAppPath()`: the app's folder, or its app.asar in an installed app. */
  appPath: '/opt/Localpost/resources/app.asar',
  /** What the next dialog.showOpenDialog answers with (Cancel when null). */
  openDialogAnswer: null as string | null,
  /** Utility processes that really run: the module the shell names → the source file run in its
   *  place (a Node child process through tsx). Any other fork only records what it is sent. */
  utilityProcessModules: {} as Record<string, string>,
};

export const recorded = {
  privilegedSchemes: [] as Array<{ schemes: unknown[]; appWasReady: boolean }>,
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  defaultProtocolClients: [] as Array<{ scheme: string; path?: string; args?: string[] }>,
  singleInstanceLockRequests: 0,
  quitCalls: 0,
  exitCodes: [] as number[],
  relaunches: 0,
  openedExternally: [] as string[],
  /** Folders shown with shell.openPath. */
  openedPaths: [] as string[],
  openDialogs: [] as Array<{ window: unknown; options: { title?: string; properties?: string[] } }>,
  /** clearStorageData / clearCache calls on a session, in order. */
  sessionClears: [] as string[],
  windows: [] as BrowserWindow[],
  notificationsShown: [] as Array<{ title: string; body: string }>,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  exposedInMainWorld: [] as Array<{ key: string; api: unknown }>,
  paths: {} as Record<string, string>,
  /** Every Menu.setApplicationMenu call, in order (null removes the menu). */
  applicationMenus: [] as Array<Menu | null>,
  utilityProcesses: [] as StandInUtilityProcess[],
};

// ---------------------------------------------------------------------------------------------
// app

class StandInApp extends RecordingEmitter {
  #ready = false;
  #resolveReady: () => void = () => {};
  #whenReady = new Promise<void>((resolve) => (this.#resolveReady = resolve));

  get isPackaged(): boolean {
    return control.packaged;
  }
  isReady(): boolean {
    return this.#ready;
  }
  whenReady(): Promise<void> {
    return this.#whenReady;
  }
  /** Test control: what Electron does once Chromium has started. */
  becomeReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#resolveReady();
    this.emit('ready', new StandInEvent());
  }
  requestSingleInstanceLock(): boolean {
    recorded.singleInstanceLockRequests += 1;
    return control.singleInstanceLockAvailable;
  }
  setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean {
    recorded.defaultProtocolClients.push({ scheme, ...(path === undefined ? {} : { path }), ...(args === undefined ? {} : { args }) });
    return true;
  }
  quit(): void {
    recorded.quitCalls += 1;
  }
  exit(code = 0): void {
    recorded.exitCodes.push(code);
  }
  relaunch(): void {
    recorded.relaunches += 1;
  }
  getAppPath(): string {
    return control.appPath;
  }
  getPath(name: string): string {
    if (name === 'userData') return control.userDataDir;
    const set = recorded.paths[name];
    if (set) return set;
    throw new Error(`stand-in app.getPath does not know '${name}'`);
  }
  setPath(name: string, value: string): void {
    if (this.isReady()) throw new Error(`app.setPath('${name}') must run before ready`);
    recorded.paths[name] = value;
  }
  getVersion(): string {
    return '0.1.0-standin';
  }
  getLocale(): string {
    return control.locale;
  }
}

export const app = new StandInApp();

// ---------------------------------------------------------------------------------------------
// Sessions, web contents, windows

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

export class Session {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  async clearStorageData(): Promise<void> {
    recorded.sessionClears.push('storage');
  }
  async clearCache(): Promise<void> {
    recorded.sessionClears.push('cache');
  }
}

export const session = { defaultSession: new Session() };

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class WebContents extends RecordingEmitter {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  constructor(readonly session: Session = new Session()) {
    super();
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
}

/** Test helper: a web contents as Electron announces it on `web-contents-created`. */
export function createWebContents(ownSession?: Session): WebContents {
  const contents = new WebContents(ownSession);
  app.emit('web-contents-created', new StandInEvent(), contents);
  return contents;
}

export class BrowserWindow extends RecordingEmitter {
  readonly loadedUrls: string[] = [];
  readonly webContents: WebContents;
  shown = false;
  focusCount = 0;
  minimized = false;
  #destroyed = false;

  constructor(readonly options: Record<string, any>) {
    super();
    this.webContents = createWebContents(session.defaultSession);
    recorded.windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focusCount += 1;
  }
  /** Test control: the user closed the window. */
  close(): void {
    this.#destroyed = true;
    this.emit('closed');
  }
}

// ---------------------------------------------------------------------------------------------
// IPC

class StandInIpcMain extends RecordingEmitter {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    // Electron's own message, so a double registration fails here as it would in the app.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new StandInIpcMain();

class StandInIpcRenderer extends RecordingEmitter {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return Promise.resolve({ ok: true, value: { channel } });
  }
}

export const ipcRenderer = new StandInIpcRenderer();

/** Electron's webUtils: a test names the path a File stands for, as a drop from the OS would give. */
export const webUtils = {
  paths: new WeakMap<object, string>(),
  getPathForFile(file: object): string {
    return webUtils.paths.get(file) ?? '';
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    recorded.exposedInMainWorld.push({ key, api });
  },
};

// ---------------------------------------------------------------------------------------------
// protocol, shell, net, safeStorage, Notification, dialog

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    // Electron: "This method can only be used before the ready event of the app module".
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged must be called before app is ready');
    recorded.privilegedSchemes.push({ schemes, appWasReady: app.isReady() });
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    if (!app.isReady()) throw new Error('protocol.handle must be called after app is ready');
    if (recorded.protocolHandlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    recorded.openedExternally.push(url);
  },
  /** Electron: resolves with an error message, or '' when the OS opened it. */
  async openPath(path: string): Promise<string> {
    recorded.openedPaths.push(path);
    return '';
  },
};

export const net = {
  isOnline(): boolean {
    return control.online;
  },
};

/** Records its listeners; a test emits 'resume' as the OS would after sleep. */
class StandInPowerMonitor {
  readonly listeners = new Map<string, Set<() => void>>();
  on(event: string, listener: () => void): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }
  off(event: string, listener: () => void): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  emit(event: string): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
}
export const powerMonitor = new StandInPowerMonitor();

const cipherPrefix = Buffer.from('standin-cipher:');

/** A reversible, non-identity transform, so a test can tell wrapped bytes from the plaintext. */
function scramble(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((byte) => byte ^ 0x5a));
}

export const safeStorage = {
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return control.asyncEncryptionAvailable;
  },
  getSelectedStorageBackend(): string {
    return control.storageBackend;
  },
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!app.isReady()) throw new Error('safeStorage used before app is ready');
    return Buffer.concat([cipherPrefix, scramble(Buffer.from(plainText, 'utf8'))]);
  },
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!app.isReady()) throw new Error('safeStorage used before app is ready');
    if (!encrypted.subarray(0, cipherPrefix.length).equals(cipherPrefix)) throw new Error('Error while decrypting the ciphertext provided');
    const result = scramble(encrypted.subarray(cipherPrefix.length)).toString('utf8');
    return { result, shouldReEncrypt: control.shouldReEncrypt };
  },
};

export class Notification {
  static isSupported(): boolean {
    return control.notificationsSupported;
  }
  constructor(readonly options: { title: string; body: string }) {}
  show(): void {
    recorded.notificationsShown.push({ title: this.options.title, body: this.options.body });
  }
}

/** A built menu: the template it was built from, as Electron's Menu.buildFromTemplate takes it. */
export class Menu {
  constructor(readonly template: unknown[]) {}
  static buildFromTemplate(template: unknown[]): Menu {
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    recorded.applicationMenus.push(menu);
  }
}

/** A forked utility process: it records what it was sent; a test plays its side by emitting
 *  'message' and 'exit' as Electron's UtilityProcess does, or, for a module named in
 *  control.utilityProcessModules, a real child process runs and answers. */
export class StandInUtilityProcess extends RecordingEmitter {
  readonly posted: unknown[] = [];
  killed = false;
  readonly #child: ChildProcess | undefined;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
    const runs = control.utilityProcessModules[modulePath];
    if (runs) {
      this.#child = fork(runs, args, { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.#child.on('message', (message) => this.emit('message', message));
      this.#child.once('exit', (code) => this.emit('exit', code ?? 1));
    }
  }
  /** Messages cross as structured clones: what cannot be cloned fails here as in Electron. */
  postMessage(message: unknown): void {
    this.posted.push(structuredClone(message));
    this.#child?.send(message as never);
  }
  kill(): boolean {
    this.killed = true;
    this.#child?.kill();
    return true;
  }
}

export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: Record<string, unknown> = {}): StandInUtilityProcess {
    if (!app.isReady()) throw new Error('utilityProcess.fork can only be called after app is ready');
    const child = new StandInUtilityProcess(modulePath, args, options);
    recorded.utilityProcesses.push(child);
    return child;
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push({ title, content });
  },
  /** Electron's overloads: (options) or (window, options). */
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    const [window, options] = args.length > 1 ? args : [null, args[0]];
    recorded.openDialogs.push({ window, options: options as { title?: string; properties?: string[] } });
    const answer = control.openDialogAnswer;
    return answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answer] };
  },
};

// electron-store does `import electron from 'electron'` and reads app, ipcMain and shell from it.
export default {
  app,
  BrowserWindow,
  contextBridge,
  webUtils,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
};
