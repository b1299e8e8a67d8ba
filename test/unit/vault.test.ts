import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, openMemoryDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import { redactText } from '../../src-main/core/log/redact';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { testKeyWrapper } from '../harness/testPorts';

const log = createLogger('test', []);
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-vault-'));

function makeVault(db = openMemoryDatabase(), keyWrapper = testKeyWrapper(tempDir())) {
  let lost = 0;
  const vault = new Vault({ db, keyWrapper, clock: systemClock, log, onLostSecrets: () => lost++ });
  return { vault, db, lost: () => lost };
}

describe('vault', () => {
  it('encrypts every secret with AES-256-GCM under a wrapped data key', async () => {
    const { vault, db } = makeVault();
    const status = await vault.open();
    assert.equal(status.protection, 'keyring');
    vault.put('account:1:session', 'refresh-jwt-very-secret-value');
    assert.equal(vault.get('account:1:session'), 'refresh-jwt-very-secret-value');
    const row = db.prepare('SELECT * FROM secrets').get() as { ciphertext: Buffer; nonce: Buffer; tag: Buffer };
    assert.equal(row.nonce.length, 12);
    assert.equal(row.tag.length, 16);
    assert.ok(!row.ciphertext.toString('latin1').includes('very-secret'));
    const meta = JSON.stringify(db.prepare('SELECT * FROM vault_meta').all());
    assert.match(meta, /gnome_libsecret/);
  });

  it('survives a restart with the same OS key, and binds each ciphertext to its row', async () => {
    const dir = tempDir();
    const keyWrapper = testKeyWrapper(dir);
    const db = openDatabase(dir);
    const first = makeVault(db, keyWrapper).vault;
    await first.open();
    first.put('a', 'secret-value-a');
    first.put('b', 'secret-value-b');
    const second = makeVault(db, keyWrapper).vault;
    await second.open();
    assert.equal(second.get('a'), 'secret-value-a');
    // A ciphertext copied to another row must not decrypt there (AAD = row id): it is dropped.
    db.prepare("UPDATE secrets SET nonce = (SELECT nonce FROM secrets WHERE id = 'a'), ciphertext = (SELECT ciphertext FROM secrets WHERE id = 'a'), tag = (SELECT tag FROM secrets WHERE id = 'a') WHERE id = 'b'").run();
    assert.equal(second.get('b'), undefined);
    db.close();
  });

  it('where the OS offers basic_text it keeps secrets for the session only, and says so', async () => {
    const { vault, db } = makeVault(openMemoryDatabase(), testKeyWrapper(tempDir(), 'basic_text'));
    const status = await vault.open();
    assert.deepEqual({ protection: status.protection, keyringProtects: status.keyringProtects, backend: status.backend }, {
      protection: 'session',
      keyringProtects: false,
      backend: 'basic_text',
    });
    vault.put('x', 'session-secret-value');
    assert.equal(vault.get('x'), 'session-secret-value');
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM secrets').get() as { n: number }).n, 0);
  });

  it('a passphrase protects the key; the wrong one is refused with a stable code', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const keyWrapper = testKeyWrapper(dir, 'basic_text');
    const { vault } = makeVault(db, keyWrapper);
    await vault.open();
    vault.put('x', 'kept-across-the-switch');
    await vault.usePassphrase('correct horse battery');
    const reopened = makeVault(db, keyWrapper).vault;
    const status = await reopened.open();
    assert.equal(status.locked, true);
    assert.throws(() => reopened.get('x'), { code: 'vault_locked' });
    await assert.rejects(reopened.unlock('wrong passphrase'), { code: 'vault_passphrase_wrong' });
    await reopened.unlock('correct horse battery');
    assert.equal(reopened.get('x'), 'kept-across-the-switch');
    db.close();
  });

  it('reports a change of OS key store instead of ignoring it', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    await makeVault(db, testKeyWrapper(dir, 'kwallet5')).vault.open();
    const { vault } = makeVault(db, testKeyWrapper(dir, 'kwallet6'));
    const status = await vault.open();
    assert.deepEqual(status.backendChange, { from: 'kwallet5', to: 'kwallet6' });
    assert.equal(vault.acknowledgeBackendChange().backendChange, null);
    db.close();
  });

  it('a key the OS key store cannot unwrap now locks the vault, deletes nothing, and opens on Try again', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const first = makeVault(db, testKeyWrapper(dir));
    await first.vault.open();
    first.vault.put('account:1:oauth', '{"accessToken":"oauth-access-token-1"}');
    first.vault.put('account:2:credential', '{"webhookToken":"discord-webhook-token"}');
    const rowsBefore = db.prepare('SELECT * FROM secrets ORDER BY id').all();
    const metaBefore = db.prepare('SELECT * FROM vault_meta ORDER BY key').all();

    const keyStore = { failing: true };
    const second = makeVault(db, testKeyWrapper(dir, 'gnome_libsecret', true, keyStore));
    const locked = await second.vault.open();
    assert.equal(locked.locked, true);
    assert.equal(locked.protection, 'keyring');
    assert.equal(locked.lockedReason?.code, 'key_store_unavailable');
    assert.match(locked.lockedReason!.message, /gnome_libsecret.*Try again/s);
    assert.equal(second.lost(), 0);
    assert.deepEqual(db.prepare('SELECT * FROM secrets ORDER BY id').all(), rowsBefore);
    assert.deepEqual(db.prepare('SELECT * FROM vault_meta ORDER BY key').all(), metaBefore);
    assert.throws(() => second.vault.get('account:1:oauth'), { code: 'vault_locked', message: /key store/ });

    // Still failing: still locked, still nothing deleted.
    assert.equal((await second.vault.retryUnlock()).locked, true);
    assert.deepEqual(db.prepare('SELECT * FROM secrets ORDER BY id').all(), rowsBefore);

    keyStore.failing = false;
    const opened = await second.vault.retryUnlock();
    assert.equal(opened.locked, false);
    assert.equal(opened.lockedReason, null);
    assert.equal(second.vault.get('account:1:oauth'), '{"accessToken":"oauth-access-token-1"}');
    assert.equal(second.vault.get('account:2:credential'), '{"webhookToken":"discord-webhook-token"}');
    assert.equal(second.lost(), 0);
    db.close();
  });

  it('only "Forget my sign-ins" deletes the secrets, asks accounts to reconnect and starts a new key', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const first = makeVault(db, testKeyWrapper(dir));
    await first.vault.open();
    first.vault.put('x', 'soon-forgotten-secret');
    const keyStore = { failing: true };
    const second = makeVault(db, testKeyWrapper(dir, 'gnome_libsecret', true, keyStore));
    await second.vault.open();
    keyStore.failing = false;
    const status = await second.vault.forgetSignIns();
    assert.equal(second.lost(), 1);
    assert.equal(status.locked, false);
    assert.equal(status.protection, 'keyring');
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM secrets').get() as { n: number }).n, 0);
    assert.equal(second.vault.get('x'), undefined);
    second.vault.put('y', 'a-new-secret-value');
    const third = makeVault(db, testKeyWrapper(dir));
    await third.vault.open();
    assert.equal(third.vault.get('y'), 'a-new-secret-value');
    db.close();
  });

  it('a forgotten passphrase: "Forget my sign-ins" starts over without it', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const { vault } = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    await vault.open();
    await vault.usePassphrase('a passphrase soon forgotten');
    vault.put('x', 'behind-a-forgotten-passphrase');
    const reopened = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    assert.equal((await reopened.vault.open()).lockedReason?.code, 'passphrase_required');
    const status = await reopened.vault.forgetSignIns();
    assert.deepEqual({ locked: status.locked, protection: status.protection }, { locked: false, protection: 'session' });
    assert.equal(reopened.lost(), 1);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM secrets').get() as { n: number }).n, 0);
    db.close();
  });

  it('never re-wraps the key under a key store that protects nothing after a backend change', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    await makeVault(db, testKeyWrapper(dir, 'gnome_libsecret')).vault.open();
    const wrappedBefore = db.prepare("SELECT value FROM vault_meta WHERE key = 'wrappedKey'").get();
    // One launch with --password-store=basic: Electron's basic_text, a hard-coded key.
    const { vault } = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    const status = await vault.open();
    assert.deepEqual(status.backendChange, { from: 'gnome_libsecret', to: 'basic_text' });
    assert.equal(status.keyringProtects, false);
    assert.equal(status.protection, 'keyring');
    assert.deepEqual(db.prepare("SELECT value FROM vault_meta WHERE key = 'wrappedKey'").get(), wrappedBefore);
    assert.deepEqual(db.prepare("SELECT value FROM vault_meta WHERE key = 'backend'").get(), { value: 'gnome_libsecret' });
    // Back on the real keyring: no change to report, the key opens as before.
    const back = await makeVault(db, testKeyWrapper(dir, 'gnome_libsecret')).vault.open();
    assert.equal(back.backendChange, null);
    assert.equal(back.locked, false);
    db.close();
  });

  it('refuses a GCM tag shorter than 16 bytes', async () => {
    const { vault, db } = makeVault();
    await vault.open();
    vault.put('short-tag', 'value-with-a-cut-tag');
    db.prepare("UPDATE secrets SET tag = substr(tag, 1, 4) WHERE id = 'short-tag'").run();
    assert.equal(vault.get('short-tag'), undefined);
  });

  it('derives the passphrase key with scrypt N=2^17 and stores the parameters beside it', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const { vault } = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    await vault.open();
    await vault.usePassphrase('correct horse battery');
    const kdf = db.prepare("SELECT value FROM vault_meta WHERE key = 'kdf'").get() as { value: string };
    assert.deepEqual(JSON.parse(kdf.value), { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    db.close();
  });

  it('opens a vault sealed by an older Localpost (scrypt N=2^15, no parameters stored) and upgrades it', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const passphrase = 'an old passphrase';
    const dataKey = crypto.randomBytes(32);
    const salt = crypto.randomBytes(16);
    const kek = crypto.scryptSync(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', kek, nonce);
    cipher.setAAD(Buffer.from('vault-data-key'));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const setMeta = db.prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?)');
    setMeta.run('mode', 'passphrase');
    setMeta.run('salt', salt.toString('base64'));
    setMeta.run('wrappedKey', Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64'));
    const rowNonce = crypto.randomBytes(12);
    const rowCipher = crypto.createCipheriv('aes-256-gcm', dataKey, rowNonce);
    rowCipher.setAAD(Buffer.from('legacy'));
    const ciphertext = Buffer.concat([rowCipher.update('a-legacy-secret-value', 'utf8'), rowCipher.final()]);
    db.prepare('INSERT INTO secrets (id, nonce, ciphertext, tag, updated_at) VALUES (?, ?, ?, ?, 1)').run('legacy', rowNonce, ciphertext, rowCipher.getAuthTag());

    const { vault } = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    assert.equal((await vault.open()).lockedReason?.code, 'passphrase_required');
    await vault.unlock(passphrase);
    assert.equal(vault.get('legacy'), 'a-legacy-secret-value');
    const kdf = db.prepare("SELECT value FROM vault_meta WHERE key = 'kdf'").get() as { value: string } | undefined;
    assert.deepEqual(JSON.parse(kdf!.value), { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    // Upgraded for good: the next start opens it with the new parameters.
    const reopened = makeVault(db, testKeyWrapper(dir, 'basic_text')).vault;
    await reopened.open();
    await reopened.unlock(passphrase);
    assert.equal(reopened.get('legacy'), 'a-legacy-secret-value');
    db.close();
  });

  it('changing the passphrase needs the current one', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const { vault } = makeVault(db, testKeyWrapper(dir, 'basic_text'));
    await vault.open();
    vault.put('x', 'kept-across-changes');
    await vault.usePassphrase('first passphrase');
    await assert.rejects(vault.usePassphrase('an intruder passphrase'), { code: 'vault_passphrase_wrong' });
    await assert.rejects(vault.usePassphrase('an intruder passphrase', 'a wrong guess'), { code: 'vault_passphrase_wrong' });
    await vault.usePassphrase('second passphrase', 'first passphrase');
    const reopened = makeVault(db, testKeyWrapper(dir, 'basic_text')).vault;
    await reopened.open();
    await assert.rejects(reopened.unlock('first passphrase'), { code: 'vault_passphrase_wrong' });
    await reopened.unlock('second passphrase');
    assert.equal(reopened.get('x'), 'kept-across-changes');
    db.close();
  });

  it('a deleted secret is no longer looked for by value', async () => {
    const { vault } = makeVault();
    await vault.open();
    vault.put('gone', 'a-webhook-token-that-will-be-deleted');
    assert.equal(redactText('x a-webhook-token-that-will-be-deleted y'), 'x [redacted] y');
    vault.delete('gone');
    assert.equal(redactText('x a-webhook-token-that-will-be-deleted y'), 'x a-webhook-token-that-will-be-deleted y');
  });
});
