// The vault: every secret (app passwords are never stored; sessions, tokens, webhook URLs are)
// is encrypted with AES-256-GCM under one random data key, and only that data key is wrapped by
// something stronger: the OS key store through the KeyWrapper port, or the user's passphrase.
//
// Policy where the OS key store protects nothing (Linux `basic_text`: Electron encrypts with a
// hard-coded password; or no encryption at all): never persist secrets under it in silence
// (VS Code's rule). The vault starts session-only there, and the settings screen says so and
// offers a passphrase instead. A change of key store to one that protects nothing is treated the
// same way: the key is not re-wrapped under it.
//
// A key the OS key store cannot give back right now (keyring locked, prompt dismissed, one launch
// with another --password-store) destroys nothing: the ciphertext and the wrapped key stay, the
// vault reports itself locked with the reason, and Try again (or the next start) asks again. Only
// the user's explicit "Forget my sign-ins" deletes them.
import crypto from 'node:crypto';
import type { VaultStatus } from '../../../src-preload/contract';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import { forgetSecret, registerSecret } from '../log/redact';
import type { Clock, KeyStoreInfo, KeyWrapper } from '../ports';
import type { Db } from '../db/openDatabase';
import { currentKdf, deriveKey, isBelowCurrent, parseKdf } from './passphraseKdf';

type Protection = VaultStatus['protection'];
type LockedReason = NonNullable<VaultStatus['lockedReason']>;

// AES-GCM's full 128-bit tag (NIST SP 800-38D, 5.2.1.2): a shorter tag read from the database is
// refused rather than accepted as a weaker check.
const gcmTagLength = 16;

/** Backends that mean "no real key store": basic_text is a hard-coded key (Electron docs). */
export function keyStoreProtects(info: { available: boolean; backend: string }): boolean {
  return info.available && info.backend !== 'basic_text' && info.backend !== 'unknown';
}

const passphraseRequired: LockedReason = {
  code: 'passphrase_required',
  message: 'Your sign-ins are protected by your passphrase. Enter it to unlock them.',
};

export class Vault {
  #dataKey: Buffer | null = null;
  #protection: Protection = 'session';
  #backend = 'unknown';
  #keyringProtects = false;
  #backendChange: { from: string; to: string } | null = null;
  #lockedReason: LockedReason | null = null;
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
    const info = await this.#describeKeyStore();
    const mode = this.#meta('mode') as Protection | undefined;

    if (mode === 'passphrase') {
      this.#protection = 'passphrase';
      this.#lockedReason = passphraseRequired;
      return this.status(); // locked until the user unlocks it
    }
    if (mode === 'keyring') {
      this.#protection = 'keyring';
      return this.#unwrapWithKeyring(info);
    }
    if (mode === 'session') {
      this.#protection = 'session';
      this.#dataKey = crypto.randomBytes(32);
      return this.status();
    }
    // First start, or the user chose to forget: a new data key, protected as well as this
    // machine allows.
    await this.#startNewKey(info);
    return this.status();
  }

  status(): VaultStatus {
    return {
      protection: this.#protection,
      backend: this.#backend,
      keyringProtects: this.#keyringProtects,
      locked: this.#dataKey === null,
      backendChange: this.#backendChange,
      lockedReason: this.#dataKey === null ? this.#lockedReason : null,
    };
  }

  acknowledgeBackendChange(): VaultStatus {
    this.#backendChange = null;
    return this.status();
  }

  /** Asks the OS key store for the key again: the user unlocked the keyring, or it came up late. */
  async retryUnlock(): Promise<VaultStatus> {
    if (this.#dataKey || this.#protection !== 'keyring') return this.status();
    return this.#unwrapWithKeyring(await this.#describeKeyStore());
  }

  /**
   * The user's explicit choice when the key cannot be had (a keyring that stays locked, a
   * forgotten passphrase): every saved secret is deleted, every account asks to be reconnected,
   * and a new key starts. Never done without that choice.
   */
  async forgetSignIns(): Promise<VaultStatus> {
    for (const id of this.#secretIds()) this.#forgetRegistered(id);
    for (const value of this.#sessionSecrets.values()) forgetSecret(value);
    this.#sessionSecrets.clear();
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM secrets').run();
      this.#db.prepare('DELETE FROM vault_meta').run();
    })();
    this.#onLostSecrets();
    this.#dataKey = null;
    this.#backendChange = null;
    this.#lockedReason = null;
    this.#log.warn('Saved sign-ins forgotten at the user\'s request');
    await this.#startNewKey(await this.#describeKeyStore());
    return this.status();
  }

  /**
   * Protects the data key with a passphrase (scrypt) instead of the OS key store. Changing the
   * passphrase of a vault it already protects needs the current one: an unlocked session alone
   * must not be enough to lock its owner out.
   */
  async usePassphrase(passphrase: string, currentPassphrase?: string): Promise<VaultStatus> {
    const dataKey = this.#requireKey();
    if (this.#protection === 'passphrase') {
      if (currentPassphrase === undefined) {
        throw new AppError('vault_passphrase_wrong', 'Changing the passphrase needs the current one.', {
          action: 'Type your current passphrase, then the new one.',
        });
      }
      await this.#openWithPassphrase(currentPassphrase);
    }
    const persistSessionSecrets = this.#protection === 'session';
    const sealed = await this.#sealWithPassphrase(passphrase, dataKey);
    this.#db.transaction(() => {
      this.#writePassphraseMeta(sealed);
      this.#db.prepare("DELETE FROM vault_meta WHERE key = 'backend'").run();
      if (persistSessionSecrets) {
        for (const [id, value] of this.#sessionSecrets) this.#writeRow(id, value);
      }
    })();
    this.#sessionSecrets.clear();
    this.#protection = 'passphrase';
    this.#lockedReason = passphraseRequired;
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    if (this.#protection !== 'passphrase') return this.status();
    const { dataKey, params } = await this.#openWithPassphrase(passphrase);
    this.#dataKey = dataKey;
    if (isBelowCurrent(params)) {
      // Sealed under weaker parameters (an older Localpost): sealed again under today's.
      this.#db.transaction((sealed: SealedWithPassphrase) => this.#writePassphraseMeta(sealed))(
        await this.#sealWithPassphrase(passphrase, dataKey),
      );
      this.#log.info('Vault passphrase key re-derived with stronger parameters', { from: params.N, to: currentKdf.N });
    }
    return this.status();
  }

  /** Keeps secrets in memory only: safest where no key store protects them, forgotten on quit. */
  useSessionOnly(): VaultStatus {
    this.#requireKey();
    for (const id of this.#secretIds()) {
      const value = this.get(id);
      if (value !== undefined) this.#sessionSecrets.set(id, value);
    }
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM secrets').run();
      this.#db.prepare("DELETE FROM vault_meta WHERE key IN ('wrappedKey', 'salt', 'kdf', 'backend')").run();
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
    this.#requireKey();
    if (this.#protection === 'session') return this.#sessionSecrets.get(id);
    try {
      const value = this.#readRow(id);
      if (value !== undefined) registerSecret(value);
      return value;
    } catch {
      // An undecryptable secret is useless and would fail forever: drop it, the account will ask
      // to reconnect (VS Code deletes invalid secrets the same way).
      this.#log.warn('Dropping a secret that no longer decrypts', { id });
      this.delete(id);
      return undefined;
    }
  }

  /** Deletes a secret (works while locked too), and stops redacting its value from logs. */
  delete(id: string): void {
    this.#forgetRegistered(id);
    this.#sessionSecrets.delete(id);
    this.#db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
  }

  /** Throws `vault_locked` with the reason and what to do, unless the key is loaded. */
  requireOpen(): void {
    this.#requireKey();
  }

  async #describeKeyStore(): Promise<KeyStoreInfo> {
    const info = await this.#keyWrapper.describe();
    this.#backend = info.backend;
    this.#keyringProtects = keyStoreProtects(info);
    return info;
  }

  /** Unwraps the data key with the OS key store; on failure the vault stays locked, intact. */
  async #unwrapWithKeyring(info: KeyStoreInfo): Promise<VaultStatus> {
    const recorded = this.#meta('backend');
    if (recorded && recorded !== info.backend) {
      // On Linux the backend follows the desktop session and --password-store; a change may make
      // the key unreadable (Signal's SafeStorageBackendChangeError). Report it, never ignore it.
      if (this.#backendChange?.to !== info.backend) this.#log.warn('OS key store changed', { from: recorded, to: info.backend });
      this.#backendChange = { from: recorded, to: info.backend };
    }
    let unwrapped: { plaintext: string; shouldRewrap: boolean };
    try {
      unwrapped = await this.#keyWrapper.unwrap(Buffer.from(this.#meta('wrappedKey') ?? '', 'base64'));
    } catch (error) {
      this.#log.warn('The OS key store did not give back the vault key; the vault stays locked, nothing deleted', { error });
      this.#lockedReason = {
        code: 'key_store_unavailable',
        message:
          `Your system's key store (${info.backend}) did not give Localpost the key to your sign-ins. It may be locked, ` +
          'a prompt may have been dismissed, or Localpost was started with another password store. Your sign-ins are kept: ' +
          'unlock the key store, then choose Try again.',
      };
      return this.status();
    }
    this.#dataKey = Buffer.from(unwrapped.plaintext, 'base64');
    this.#lockedReason = null;
    if (unwrapped.shouldRewrap || this.#backendChange) {
      if (this.#keyringProtects) await this.#wrapWithKeyring();
      // A key store that protects nothing must never become the key's guard in silence: the old
      // wrapped key stays as it is (the real keyring opens it again next time), and Settings says
      // so and offers a passphrase or session-only storage.
      else this.#log.warn('Not re-wrapping the vault key under a key store that protects nothing', { backend: info.backend });
    }
    return this.status();
  }

  async #startNewKey(info: KeyStoreInfo): Promise<void> {
    this.#dataKey = crypto.randomBytes(32);
    if (!this.#keyringProtects) {
      this.#protection = 'session';
      this.#setMeta('mode', 'session');
      this.#log.warn('No OS key store protects secrets here; keeping them for this session only', { backend: info.backend });
      return;
    }
    this.#protection = 'keyring';
    try {
      await this.#wrapWithKeyring();
    } catch (error) {
      // The key store refuses even a new key right now: keep secrets in memory for this run
      // without recording a mode, so the next start offers the key store again.
      this.#protection = 'session';
      this.#log.warn('The OS key store refused to wrap a new vault key; keeping secrets for this session', { error });
    }
  }

  async #openWithPassphrase(passphrase: string): Promise<{ dataKey: Buffer; params: ReturnType<typeof parseKdf> }> {
    const params = parseKdf(this.#meta('kdf'));
    const kek = await deriveKey(passphrase, Buffer.from(this.#meta('salt') ?? '', 'base64'), params);
    try {
      return { dataKey: open(kek, this.#meta('wrappedKey') ?? '', 'vault-data-key'), params };
    } catch {
      throw new AppError('vault_passphrase_wrong', 'That passphrase does not unlock the vault.', {
        action: 'Type the passphrase you chose in Settings. It is never stored anywhere.',
      });
    }
  }

  async #sealWithPassphrase(passphrase: string, dataKey: Buffer): Promise<SealedWithPassphrase> {
    const salt = crypto.randomBytes(16);
    const kek = await deriveKey(passphrase, salt, currentKdf);
    return { salt: salt.toString('base64'), wrappedKey: seal(kek, dataKey, 'vault-data-key'), kdf: JSON.stringify(currentKdf) };
  }

  #writePassphraseMeta(sealed: SealedWithPassphrase): void {
    this.#setMeta('mode', 'passphrase');
    this.#setMeta('salt', sealed.salt);
    this.#setMeta('wrappedKey', sealed.wrappedKey);
    this.#setMeta('kdf', sealed.kdf);
  }

  #secretIds(): string[] {
    return (this.#db.prepare('SELECT id FROM secrets').all() as Array<{ id: string }>).map((row) => row.id);
  }

  /** Decrypts a row without side effects; throws when it does not decrypt. */
  #readRow(id: string): string | undefined {
    const key = this.#requireKey();
    const row = this.#db.prepare('SELECT nonce, ciphertext, tag FROM secrets WHERE id = ?').get(id) as
      | { nonce: Buffer; ciphertext: Buffer; tag: Buffer }
      | undefined;
    if (!row) return undefined;
    if (row.tag.length !== gcmTagLength) throw new Error('GCM tag is not full length');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, row.nonce, { authTagLength: gcmTagLength });
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  /**
   * Stops redacting the exact value of a secret that is being deleted. Only the whole value: a
   * token inside it may live on in another secret (a Mastodon client secret is in the app
   * registration and in every account's credential), so those stay until the bound drops them.
   */
  #forgetRegistered(id: string): void {
    let value = this.#sessionSecrets.get(id);
    if (value === undefined && this.#dataKey && this.#protection !== 'session') {
      try {
        value = this.#readRow(id);
      } catch {
        value = undefined;
      }
    }
    if (value !== undefined) forgetSecret(value);
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
      const keyStore = this.#lockedReason?.code === 'key_store_unavailable';
      throw new AppError('vault_locked', keyStore ? 'Your sign-ins are locked: the system key store did not give Localpost their key.' : 'The vault is locked.', {
        action: keyStore
          ? 'Unlock your system key store, then choose Try again in Settings → Sign-in storage. Nothing was deleted.'
          : 'Unlock it with your passphrase in Settings.',
      });
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

  #meta(key: string): string | undefined {
    return (this.#db.prepare('SELECT value FROM vault_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  #setMeta(key: string, value: string): void {
    this.#db
      .prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}

interface SealedWithPassphrase {
  salt: string;
  wrappedKey: string;
  kdf: string;
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
  const tag = raw.subarray(12, 28);
  if (tag.length !== gcmTagLength) throw new Error('GCM tag is not full length');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: gcmTagLength });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
