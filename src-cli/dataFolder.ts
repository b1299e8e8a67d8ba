// Where the app keeps its data, found as Electron finds it (app.getPath('userData'): the OS's
// per-user application-data folder and the product name), so the command reaches the app the user
// runs without being told. LOCALPOST_DATA_DIR or --data-dir name another (a second profile, a
// development build).
import os from 'node:os';
import path from 'node:path';

const productName = 'Localpost';

export function defaultDataFolder(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LOCALPOST_DATA_DIR?.trim()) return path.resolve(env.LOCALPOST_DATA_DIR.trim());
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', productName);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), productName);
  return path.join(env.XDG_CONFIG_HOME?.trim() || path.join(home, '.config'), productName);
}
