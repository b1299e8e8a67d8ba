// The core's ports: everything the core needs from the world outside plain Node, injected by the
// composition root (src-main/index.ts, with Electron) or by tests (test/harness). Keeping them
// small is what lets the same core run inside Electron and inside Node tests unchanged.

/**
 * Wraps the vault's data key with a key the operating system guards. In Electron this is
 * `safeStorage.encryptStringAsync` / `decryptStringAsync`, which must only be called after
 * `app` is ready.
 */
export interface KeyWrapper {
  /** Which OS key store protects the wrapping key, and whether it really protects anything. */
  describe(): Promise<KeyStoreInfo>;
  wrap(plaintext: string): Promise<Buffer>;
  /** `shouldRewrap` is true when the OS rotated its key: wrap again and store the result. */
  unwrap(wrapped: Buffer): Promise<{ plaintext: string; shouldRewrap: boolean }>;
}

export interface KeyStoreInfo {
  /** False when the OS offers no encryption at all. */
  available: boolean;
  /** Electron's `getSelectedStorageBackend()` on Linux (`basic_text`, `gnome_libsecret`, ...),
   *  or the platform's store elsewhere (`keychain`, `dpapi`). */
  backend: string;
}

/** Opens a URL in the user's default browser (Electron: `shell.openExternal`). */
export interface UrlOpener {
  open(url: string): Promise<void>;
}

export interface Clock {
  now(): number;
}

/** Whether the machine believes it is online (Electron: `net.isOnline()`). */
export interface NetworkState {
  isOnline(): boolean;
  /** Calls `listener` when connectivity may have changed (the outbox then looks for due work). */
  onChange?(listener: () => void): () => void;
}

export interface Notifier {
  notify(title: string, body: string): void;
}

/** The one HTTP entry point: every request the core makes goes through it. */
export type HttpFetch = typeof globalThis.fetch;

/** Small preferences (Electron: electron-store). Values must be JSON. */
export interface PreferencesStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** Shows a folder in the OS file manager (Electron: `shell.openPath`). Only the core names the
 *  folder; nothing the renderer sends becomes a path. */
export interface FolderOpener {
  show(folder: string): Promise<void>;
}

/** Asks the user to choose a folder (Electron: `dialog.showOpenDialog` with `openDirectory`);
 *  null when they cancel. */
export interface FolderPicker {
  chooseFolder(request: { title: string; buttonLabel: string }): Promise<string | null>;
}

/** Asks the user to choose one file (Electron: `dialog.showOpenDialog` with `openFile` and the
 *  filters given); null when they cancel. The path goes to the core only, never to the renderer. */
export interface FilePicker {
  chooseFile(request: { title: string; buttonLabel: string; filters: Array<{ name: string; extensions: readonly string[] }> }): Promise<string | null>;
}

/** Starts Localpost again from nothing, once the core has closed everything it held open
 *  (Electron: `app.relaunch()` then `app.exit(0)`). */
export interface AppRestarter {
  restart(): void;
}

/** A helper process the shell started, as the core talks to it: structured-clone messages. */
export interface HelperProcess {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has ended (its exit code, or null when a signal ended it). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** Starts the media worker (core/media/mediaWorker.ts, built beside the main process) in a
 *  process of its own (Electron: `utilityProcess.fork`). */
export interface MediaWorkerLauncher {
  start(): HelperProcess;
}

export interface CorePorts {
  keyWrapper: KeyWrapper;
  urlOpener: UrlOpener;
  clock: Clock;
  network: NetworkState;
  notifier: Notifier;
  fetch: HttpFetch;
  preferences: PreferencesStore;
  /** The OS locale (Electron: `app.getLocale()`), for the default post language. */
  locale: string;
  /** The system's IANA time zone, the default for a schedule. */
  timeZone: string;
  folderOpener: FolderOpener;
  folderPicker: FolderPicker;
  filePicker: FilePicker;
  appRestarter: AppRestarter;
  /** Where images are decoded and videos probed: in a worker process the core starts when it
   *  needs one and ends once idle. Without it they are read in the core's own process (tests). */
  mediaWorker?: MediaWorkerLauncher;
}

export const systemClock: Clock = { now: () => Date.now() };
