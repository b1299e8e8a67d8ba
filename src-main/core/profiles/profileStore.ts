// Profiles are isolation boundaries: accounts, drafts and posts belong to exactly one, and every
// query the core makes is scoped by the active profile's id.
import crypto from 'node:crypto';
import type { Profile } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import type { Clock, PreferencesStore } from '../ports';

const activeProfileKey = 'activeProfileId';
export const defaultProfileId = 'default';

export class ProfileStore {
  constructor(
    private readonly db: Db,
    private readonly preferences: PreferencesStore,
    private readonly clock: Clock,
  ) {}

  list(): Profile[] {
    return (this.db.prepare('SELECT id, name, created_at FROM profiles ORDER BY created_at, name').all() as Array<{
      id: string;
      name: string;
      created_at: number;
    }>).map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  activeId(): string {
    const id = this.preferences.get<string>(activeProfileKey);
    return id && this.exists(id) ? id : defaultProfileId;
  }

  create(name: string): Profile {
    const profile = { id: crypto.randomUUID(), name, createdAt: this.clock.now() };
    this.db.prepare('INSERT INTO profiles (id, name, created_at) VALUES (?, ?, ?)').run(profile.id, name, profile.createdAt);
    return profile;
  }

  rename(id: string, name: string): Profile {
    const changed = this.db.prepare('UPDATE profiles SET name = ? WHERE id = ?').run(name, id).changes;
    if (!changed) throw notFound();
    return this.list().find((p) => p.id === id)!;
  }

  switchTo(id: string): void {
    if (!this.exists(id)) throw notFound();
    this.preferences.set(activeProfileKey, id);
  }

  private exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM profiles WHERE id = ?').get(id) !== undefined;
  }
}

function notFound(): AppError {
  return new AppError('not_found', 'That profile does not exist.');
}
