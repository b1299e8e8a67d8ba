// "Delete everything": what Localpost keeps in its data folder goes, after each platform was
// asked to end the session where it can. The caller closes the core first (database, log file,
// timers), so nothing is open or written while the files go, then has the app started afresh.
import fs from 'node:fs';
import path from 'node:path';
import type { Account, Platform } from '../../../src-preload/contract';
import { loopbackCertificateFolder } from '../oauth/loopbackCertificate';
import type { PlatformAdapter } from '../platforms/adapter';

/**
 * Everything Localpost writes in its data folder, by owner: the database (db/openDatabase.ts,
 * with SQLite's WAL and shared-memory files), which also holds the vault's encrypted secrets and
 * its wrapped data key; images of drafts and posts (compose, outbox); the log (log/logger.ts);
 * the preferences file (the PreferencesStore port: electron-store's `preferences.json`); the https
 * loopback listener's certificate and key (oauth/loopbackCertificate.ts).
 * Chromium's own folder is the shell's to clear, through Chromium.
 */
export const dataFolderEntries = ['localpost.sqlite', 'localpost.sqlite-wal', 'localpost.sqlite-shm', 'media', 'logs', 'preferences.json', loopbackCertificateFolder] as const;

/**
 * Ends every account's session at its platform (Bluesky: deleteSession; Mastodon and X: token
 * revocation, RFC 7009) through the adapters' own disconnect, which never throws for a platform's
 * failure. Webhooks and bot tokens have nothing to revoke from here: their copy is forgotten with
 * the vault. All at once: one slow platform does not hold up the others.
 */
export async function endSessionsAtPlatforms(accounts: Account[], adapters: Record<Platform, PlatformAdapter>): Promise<void> {
  await Promise.allSettled(accounts.map((account) => adapters[account.platform].disconnect(account)));
}

/** Removes what Localpost wrote in `dataDir` (above), and any temporary file a write left. */
export function eraseDataFolder(dataDir: string): void {
  for (const entry of dataFolderEntries) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  // writePrivateFile's `<name>.<pid>.tmp`, left by a crash between write and rename.
  for (const entry of fs.readdirSync(dataDir)) {
    if (entry.endsWith('.tmp')) fs.rmSync(path.join(dataDir, entry), { force: true });
  }
}
