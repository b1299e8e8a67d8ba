import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, openMemoryDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
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

  it('a key the OS can no longer unwrap drops the secrets and asks every account to reconnect', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const first = makeVault(db, testKeyWrapper(dir));
    await first.vault.open();
    first.vault.put('x', 'will-be-unreadable');
    const otherKeyring = testKeyWrapper(tempDir());
    const second = makeVault(db, otherKeyring);
    const status = await second.vault.open();
    assert.equal(status.locked, false);
    assert.equal(second.lost(), 1);
    assert.equal(second.vault.get('x'), undefined);
    db.close();
  });
});
