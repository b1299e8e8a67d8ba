// The PreferencesStore port over electron-store: small JSON preferences (the active profile,
// settings) in `<dataDir>/preferences.json`. Secrets never go here; they live in the vault.
//
// Runtime: main (shell).
import Store from 'electron-store';
import type { PreferencesStore } from '../core/ports';

export function createElectronPreferences(dataDir: string): PreferencesStore {
  const store = new Store<Record<string, unknown>>({
    cwd: dataDir,
    name: 'preferences',
    // Every file in the data folder is the user's alone (conf's default mode is 0o666 - umask).
    configFileMode: 0o600,
    // Keys are opaque names to the core: `a.b` is one key, not a path into an object.
    accessPropertiesByDotNotation: false,
  });
  return {
    get<T>(key: string): T | undefined {
      return store.get(key) as T | undefined;
    },
    set(key: string, value: unknown): void {
      // electron-store refuses undefined; for the port it means "no value".
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
  };
}
