// Migrations by `user_version`, one file each (Signal's model): every pending step runs inside
// one transaction, and a database written by a newer Localpost is refused rather than damaged.
import type { Database } from 'better-sqlite3';
import updateToSchemaVersion10 from './0010-initial';
import updateToSchemaVersion20 from './0020-account-remote-id';
import updateToSchemaVersion30 from './0030-target-error-details';
import updateToSchemaVersion40 from './0040-account-limits';
import updateToSchemaVersion50 from './0050-spending-cap-and-mastodon-options';
import updateToSchemaVersion60 from './0060-outbox';
import updateToSchemaVersion70 from './0070-account-identity-per-server';
import updateToSchemaVersion80 from './0080-opened-by-version';
import updateToSchemaVersion90 from './0090-post-options-and-boards';
import updateToSchemaVersion100 from './0100-draft-videos';
import updateToSchemaVersion110 from './0110-target-upload-handle';
import updateToSchemaVersion120 from './0120-video-alt-text';
import updateToSchemaVersion130 from './0130-account-avatar';
import updateToSchemaVersion140 from './0140-media-storage-objects';
import updateToSchemaVersion150 from './0150-ai-assistants';
import updateToSchemaVersion160 from './0160-history-search';
import updateToSchemaVersion170 from './0170-posting-slots-and-calendar';
import updateToSchemaVersion180 from './0180-variants-and-reply-chains';
import updateToSchemaVersion190 from './0190-paged-lists';
import updateToSchemaVersion200 from './0200-search-replies-and-variants';
import updateToSchemaVersion210 from './0210-next-target-order';
import updateToSchemaVersion220 from './0220-publish-reads-in-index-order';
import updateToSchemaVersion230 from './0230-search-index-after-the-commit';

export interface Migration {
  version: number;
  update(db: Database): void;
}

export const migrations: readonly Migration[] = [
  { version: 10, update: updateToSchemaVersion10 },
  { version: 20, update: updateToSchemaVersion20 },
  { version: 30, update: updateToSchemaVersion30 },
  { version: 40, update: updateToSchemaVersion40 },
  { version: 50, update: updateToSchemaVersion50 },
  { version: 60, update: updateToSchemaVersion60 },
  { version: 70, update: updateToSchemaVersion70 },
  { version: 80, update: updateToSchemaVersion80 },
  { version: 90, update: updateToSchemaVersion90 },
  { version: 100, update: updateToSchemaVersion100 },
  { version: 110, update: updateToSchemaVersion110 },
  { version: 120, update: updateToSchemaVersion120 },
  { version: 130, update: updateToSchemaVersion130 },
  { version: 140, update: updateToSchemaVersion140 },
  { version: 150, update: updateToSchemaVersion150 },
  { version: 160, update: updateToSchemaVersion160 },
  { version: 170, update: updateToSchemaVersion170 },
  { version: 180, update: updateToSchemaVersion180 },
  { version: 190, update: updateToSchemaVersion190 },
  { version: 200, update: updateToSchemaVersion200 },
  { version: 210, update: updateToSchemaVersion210 },
  { version: 220, update: updateToSchemaVersion220 },
  { version: 230, update: updateToSchemaVersion230 },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;

export class DatabaseFromFutureError extends Error {
  override name = 'DatabaseFromFutureError';
  /** The app version that last opened the database, when it recorded one. */
  lastOpenedBy: string | undefined;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs every migration above the database's version, up to `target` (tests stop earlier). */
export function migrate(db: Database, target = latestSchemaVersion): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('Migration versions are not monotonic');
  }
  const current = schemaVersion(db);
  if (current > latestSchemaVersion) {
    throw new DatabaseFromFutureError(`The database is at schema ${current}; this Localpost knows up to ${latestSchemaVersion}.`);
  }
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  // Foreign keys are off while the steps run, so that a step may rebuild a table others refer to
  // (sqlite.org/lang_altertable.html#otheralter: the pragma is a no-op inside a transaction, hence
  // outside it), and every reference is checked before the commit.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.update(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`A migration left ${broken.length} rows referring to rows that do not exist`);
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  db.pragma('optimize');
}
