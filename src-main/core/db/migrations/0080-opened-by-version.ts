// Which Localpost last opened this database, so that an older one refused by `user_version` can
// say which version wrote the data and what to install (Signal shows the same on a downgrade).
import type { Database } from 'better-sqlite3';

export default function updateToSchemaVersion80(db: Database): void {
  db.exec(`
    CREATE TABLE opened_by (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      app_version TEXT NOT NULL,
      opened_at INTEGER NOT NULL
    ) STRICT;
  `);
}
