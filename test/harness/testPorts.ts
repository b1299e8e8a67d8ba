// Test implementations of the shell's ports, and only of those: everything behind them is the
// real core. The key wrapper really encrypts (AES-256-GCM under a key kept outside the data
// folder, as an OS keychain would keep it), so a vault opened by the harness is a real vault.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock, CorePorts, KeyWrapper, PreferencesStore } from '../../src-main/core/ports';
import { writePrivateFile } from '../../src-main/core/storage/privateFiles';

/** Flips the test key store between working and refusing (a locked keyring, a dismissed prompt). */
export interface TestKeyStoreSwitch {
  failing: boolean;
}

/** Where the stand-in keychain keeps a data folder's key (a copied data folder needs it too). */
export function testKeyFile(dataDir: string): string {
  const keyringDir = path.join(os.tmpdir(), 'localpost-test-keyring');
  fs.mkdirSync(keyringDir, { recursive: true, mode: 0o700 });
  return path.join(keyringDir, crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex'));
}

/**
 * A stand-in for the OS keychain: one AES key per data folder, stored under the system temp
 * folder (never inside the data folder). `backend` imitates Electron's
 * getSelectedStorageBackend(), so `basic_text` can be tested; `keyStore.failing` makes wrap and
 * unwrap throw as safeStorage does when the keyring is locked, until the test sets it back.
 */
export function testKeyWrapper(
  dataDir: string,
  backend = 'gnome_libsecret',
  available = true,
  keyStore: TestKeyStoreSwitch = { failing: false },
): KeyWrapper {
  const keyFile = testKeyFile(dataDir);
  const key = () => {
    if (!fs.existsSync(keyFile)) writePrivateFile(keyFile, crypto.randomBytes(32));
    return fs.readFileSync(keyFile);
  };
  return {
    describe: async () => ({ available, backend }),
    async wrap(plaintext) {
      if (keyStore.failing) throw new Error('Error while encrypting the text provided to encryptString (test key store locked).');
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key(), nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, cipher.getAuthTag(), body]);
    },
    async unwrap(wrapped) {
      if (keyStore.failing) throw new Error('Error while decrypting the ciphertext provided to decryptString (test key store locked).');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key(), wrapped.subarray(0, 12));
      decipher.setAuthTag(wrapped.subarray(12, 28));
      const plaintext = Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]).toString('utf8');
      return { plaintext, shouldRewrap: false };
    },
  };
}

/** A JSON preferences file in the data folder, like electron-store's config.json. */
export function jsonPreferences(file: string): PreferencesStore {
  let values: Record<string, unknown> = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    set(key, value) {
      values = { ...values, [key]: value };
      writePrivateFile(file, JSON.stringify(values, null, 2));
    },
  };
}

export interface TestPortControls {
  ports: CorePorts;
  /** Every URL the app asked the OS to open, in order. */
  openedUrls: string[];
  notifications: Array<{ title: string; body: string }>;
  /** Changes what the network port reports, and tells its listeners (as the shell does). */
  setOnline(online: boolean): void;
  /** Every folder the app asked the OS file manager to show, in order. */
  shownFolders: string[];
  /** What the folder dialog answers next (a folder, or null for Cancel); Cancel when unset. */
  answerFolderDialog(folder: string | null): void;
  /** How many times the folder dialog was shown. */
  folderDialogs(): number;
  /** What the open-file dialog answers next (a file, or null for Cancel); Cancel when unset. */
  answerFileDialog(file: string | null): void;
  /** Every open-file dialog shown, with the file types it offered. */
  fileDialogs: Array<{ title: string; extensions: string[] }>;
  /** Called when the core asks for a fresh start (launchApp builds a new core); counted always. */
  onRestart(listener: () => void): void;
  restarts(): number;
  /** The key store's switch: starts failing when LOCALPOST_TEST_KEYRING_LOCKED is 1. */
  keyStore: TestKeyStoreSwitch;
}

export function createTestPorts(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
  options: { clock?: Clock } = {},
): TestPortControls {
  const openedUrls: string[] = [];
  const notifications: Array<{ title: string; body: string }> = [];
  const networkListeners = new Set<() => void>();
  const shownFolders: string[] = [];
  const folderAnswers: Array<string | null> = [];
  let folderDialogs = 0;
  const fileAnswers: Array<string | null> = [];
  const fileDialogs: Array<{ title: string; extensions: string[] }> = [];
  let restarts = 0;
  let restartListener = () => {};
  let online = env.LOCALPOST_TEST_OFFLINE !== '1';
  const keyStore: TestKeyStoreSwitch = { failing: env.LOCALPOST_TEST_KEYRING_LOCKED === '1' };
  const ports: CorePorts = {
    keyWrapper: testKeyWrapper(
      dataDir,
      env.LOCALPOST_TEST_KEYRING_BACKEND ?? 'gnome_libsecret',
      env.LOCALPOST_TEST_KEYRING_AVAILABLE !== '0',
      keyStore,
    ),
    urlOpener: { open: async (url) => void openedUrls.push(url) },
    clock: options.clock ?? { now: () => Date.now() },
    network: {
      isOnline: () => online,
      onChange(listener) {
        networkListeners.add(listener);
        return () => networkListeners.delete(listener);
      },
    },
    notifier: { notify: (title, body) => void notifications.push({ title, body }) },
    fetch: globalThis.fetch,
    preferences: jsonPreferences(path.join(dataDir, 'preferences.json')),
    locale: env.LOCALPOST_TEST_LOCALE ?? 'en-US',
    timeZone: env.LOCALPOST_TEST_TIME_ZONE ?? 'Europe/Berlin',
    folderOpener: { show: async (folder) => void shownFolders.push(folder) },
    folderPicker: {
      async chooseFolder() {
        folderDialogs += 1;
        return folderAnswers.shift() ?? null;
      },
    },
    filePicker: {
      async chooseFile({ title, filters }) {
        fileDialogs.push({ title, extensions: filters.flatMap((filter) => [...filter.extensions]) });
        return fileAnswers.shift() ?? null;
      },
    },
    appRestarter: {
      restart() {
        restarts += 1;
        restartListener();
      },
    },
  };
  const setOnline = (value: boolean) => {
    online = value;
    for (const listener of networkListeners) listener();
  };
  return {
    ports,
    openedUrls,
    notifications,
    setOnline,
    shownFolders,
    answerFolderDialog: (folder) => void folderAnswers.push(folder),
    folderDialogs: () => folderDialogs,
    answerFileDialog: (file) => void fileAnswers.push(file),
    fileDialogs,
    onRestart: (listener) => void (restartListener = listener),
    restarts: () => restarts,
    keyStore,
  };
}
