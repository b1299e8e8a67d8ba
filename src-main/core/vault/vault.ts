// The vault: every secret (app passwords are never stored; sessions, tokens, webhook URLs are)
// is encrypted with AES-256-GCM under one random data key, and only that data key is wrapped by
// something stronger: the OS key store through the KeyWrapper port, or the user's passphrase.
//
// Policy where the OS key store protects nothing (Linux `basic_text`: Electron encrypts with a
// hard-coded password; or no encryption at all): never persist secrets under it in silence
// (VS Code's rule). The vault starts session-only there, and the settings screen says so and
// offers a passphrase instead.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { VaultStatus } from '../../../src-preload/contract';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import { registerSecret } from '../log/redact';
import type { Clock, KeyWrapper } from '../ports';
import type { Db } from '../db/openDatabase';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt cost: N = 2^15, r = 8 (RFC 7914's interactive-login figures, about 100 ms here).
const scryptOptions: crypto.ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

type Protection = VaultStatus['protection'];

/** Backends that mean "no real key store": basic_text is a hard-coded key (Electron docs). */
export function keyStoreProtects(info: { available: boolean; backend: string }): boolean {
  return info.available && info.backend !== 'basic_text' && info.backend !== 'unknown';
}

export class Vault {
  #dataKey: Buffer | null = null;
  #protection: Protection = 'session';
  #backend = 'unknown';
  #keyringProtects = false;
  #backendChange: { from: string; to: string } | null = null;
  // Session-only mode keeps secrets here and nowhere else.
  readonly #sessionSecrets = new Map<string, string>();
  readonly #db: Db;
  readonly #keyWrapper: KeyWrapper;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onLostSecrets: () => void;

  constructor(deps: { db: Db; keyWrapper: KeyWrapper; clock: Clock; log: Logger; onLostSecrets: () => void }) {
    this.#db = deps.db;
    this.#keyWrapper = deps.keyWrapper;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#onLostSecrets = deps.onLostSecrets;
  }

  /** Loads or creates the data key. Call once at start, after the OS key store is ready. */
  async open(): Promise<VaultStatus> {
    const info = await this.#keyWrapper.describe();
    this.#backend = info.backend;
    this.#keyringProtects = keyStoreProtects(info);
    const mode = this.#meta('mode') as Protection | undefined;

    if (mode === 'passphrase') {
      this.#protection = 'passphrase';
      return this.status(); // locked until the user unlocks it
    }
    if (mode === 'keyring') {
      this.#protection = 'keyring';
      const recorded = this.#meta('backend');
      if (recorded && recorded !== info.backend) {
        // On Linux the backend follows the desktop session and --password-store; a change may make
        // the key unreadable (Signal's SafeStorageBackendChangeError). Report it, never ignore it.
        this.#backendChange = { from: recorded, to: info.backend };
        this.#log.warn('OS key store changed', { from: recorded, to: info.backend });
      }
      try {
        const { plaintext, shouldRewrap } = await this.#keyWrapper.unwrap(Buffer.from(this.#meta('wrappedKey')!, 'base64'));
        this.#dataKey = Buffer.from(plaintext, 'base64');
        if (shouldRewrap || this.#backendChange) await this.#wrapWithKeyring();
        return this.status();
      } catch (error) {
        this.#log.error('The OS key store could not unwrap the vault key; secrets are lost', { error });
        this.#forgetPersistedSecrets();
      }
    }
    if (mode === 'session') {
      this.#protection = 'session';
      this.#dataKey = crypto.randomBytes(32);
      return this.status();
    }
    // First start, or the key was lost: a new data key, protected as well as this machine allows.
    this.#dataKey = crypto.randomBytes(32);
    if (this.#keyringProtects) {
      this.#protection = 'keyring';
      await this.#wrapWithKeyring();
    } else {
      this.#protection = 'session';
      this.#setMeta('mode', 'session');
      this.#log.warn('No OS key store protects secrets here; keeping them for this session only', { backend: info.backend });
    }
    return this.status();
  }

  status(): VaultStatus {
    return {
      protection: this.#protection,
      backend: this.#backend,
      keyringProtects: this.#keyringProtects,
      locked: this.#dataKey === null,
      backendChange: this.#backendChange,
    };
  }

  acknowledgeBackendChange(): VaultStatus {
    this.#backendChange = null;
    return this.status();
  }

  /** Protects the data key with a passphrase (scrypt) instead of the OS key store. */
  async usePassphrase(passphrase: string): Promise<VaultStatus> {
    const dataKey = this.#requireKey();
    const salt = crypto.randomBytes(16);
    const kek = await scrypt(passphrase, salt, 32, scryptOptions);
    const sealed = seal(kek, dataKey, 'vault-data-key');
    const persistSessionSecrets = this.#protection === 'session';
    this.#db.transaction(() => {
      this.#setMeta('mode', 'passphrase');
      this.#setMeta('salt', salt.toString('base64'));
      this.#setMeta('wrappedKey', sealed);
      this.#db.prepare("DELETE FROM vault_meta WHERE key = 'backend'").run();
      if (persistSessionSecrets) {
        for (const [id, value] of this.#sessionSecrets) this.#writeRow(id, value);
      }
    })();
    this.#sessionSecrets.clear();
    this.#protection = 'passphrase';
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    if (this.#protection !== 'passphrase') return this.status();
    const salt = Buffer.from(this.#meta('salt')!, 'base64');
    const kek = await scrypt(passphrase, salt, 32, scryptOptions);
    try {
      this.#dataKey = open(kek, this.#meta('wrappedKey')!, 'vault-data-key');
    } catch {
      throw new AppError('vault_passphrase_wrong', 'That passphrase does not unlock the vault.', {
        action: 'Type the passphrase you chose in Settings. It is never stored anywhere.',
      });
    }
    return this.status();
  }

  /** Keeps secrets in memory only: safest where no key store protects them, forgotten on quit. */
  useSessionOnly(): VaultStatus {
    this.#requireKey();
    const rows = this.#db.prepare('SELECT id FROM secrets').all() as Array<{ id: string }>;
    for (const { id } of rows) {
      const value = this.get(id);
      if (value !== undefined) this.#sessionSecrets.set(id, value);
    }
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM secrets').run();
      this.#db.prepare("DELETE FROM vault_meta WHERE key IN ('wrappedKey', 'salt', 'backend')").run();
      this.#setMeta('mode', 'session');
    })();
    this.#protection = 'session';
    return this.status();
  }

  put(id: string, value: string): void {
    this.#requireKey();
    registerSecret(value);
    if (this.#protection === 'session') this.#sessionSecrets.set(id, value);
    else this.#writeRow(id, value);
  }

  get(id: string): string | undefined {
    const key = this.#requireKey();
    if (this.#protection === 'session') return this.#sessionSecrets.get(id);
    const row = this.#db.prepare('SELECT nonce, ciphertext, tag FROM secrets WHERE id = ?').get(id) as
      | { nonce: Buffer; ciphertext: Buffer; tag: Buffer }
      | undefined;
    if (!row) return undefined;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, row.nonce);
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(row.tag);
      const value = Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
      registerSecret(value);
      return value;
    } catch {
      // An undecryptable secret is useless and would fail forever: drop it, the account will ask
      // to reconnect (VS Code deletes invalid secrets the same way).
      this.#log.warn('Dropping a secret that no longer decrypts', { id });
      this.delete(id);
      return undefined;
    }
  }

  delete(id: string): void {
    this.#sessionSecrets.delete(id);
    this.#db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
  }

  #writeRow(id: string, value: string): void {
    const key = this.#requireKey();
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
    // The row id is authenticated data: a ciphertext moved to another row does not decrypt.
    cipher.setAAD(Buffer.from(id));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    this.#db
      .prepare(
        `INSERT INTO secrets (id, nonce, ciphertext, tag, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
           tag = excluded.tag, updated_at = excluded.updated_at`,
      )
      .run(id, nonce, ciphertext, cipher.getAuthTag(), this.#clock.now());
  }

  #requireKey(): Buffer {
    if (!this.#dataKey) {
      throw new AppError('vault_locked', 'The vault is locked.', { action: 'Unlock it with your passphrase in Settings.' });
    }
    return this.#dataKey;
  }

  async #wrapWithKeyring(): Promise<void> {
    const wrapped = await this.#keyWrapper.wrap(this.#requireKey().toString('base64'));
    this.#db.transaction(() => {
      this.#setMeta('mode', 'keyring');
      this.#setMeta('wrappedKey', wrapped.toString('base64'));
      this.#setMeta('backend', this.#backend);
    })();
  }

  #forgetPersistedSecrets(): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM secrets').run();
      this.#db.prepare('DELETE FROM vault_meta').run();
    })();
    this.#onLostSecrets();
  }

  #meta(key: string): string | undefined {
    return (this.#db.prepare('SELECT value FROM vault_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  #setMeta(key: string, value: string): void {
    this.#db
      .prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
