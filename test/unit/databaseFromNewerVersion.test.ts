// A data folder written by a newer Localpost (a downgrade): the start stops with a message that
// says which version wrote it and what to do, and the database is left exactly as it was.
import '../harness/node22';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCore } from '../../src-main/core/createCore';
import { latestSchemaVersion, schemaVersion } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { AppError, toBridgeError } from '../../src-main/core/errors';
import { createTestPorts } from '../harness/testPorts';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-downgrade-'));
const start = (dataDir: string, version: string) =>
  createCore({ dataDir, ports: createTestPorts(dataDir).ports, appOrigin: 'http://127.0.0.1:1', version });

describe('a database from a newer Localpost', () => {
  it('records the version that opened it', async () => {
    const dir = tempDir();
    const core = await start(dir, '1.3.0');
    core.close();
    const db = new Database(path.join(dir, 'localpost.sqlite'), { readonly: true });
    assert.equal((db.prepare('SELECT app_version FROM opened_by').get() as { app_version: string }).app_version, '1.3.0');
    db.close();
  });

  it('stops the start with which version wrote it and what to do, and touches nothing', async () => {
    const dir = tempDir();
    // A newer Localpost opened it last and raised its schema beyond what this one knows.
    const newer = openDatabase(dir, { appVersion: '9.1.0', at: Date.now() });
    newer.prepare("INSERT INTO drafts (id, profile_id, text, target_account_ids, langs, created_at, updated_at) VALUES ('d1', 'default', 'my words', '[]', '[]', 1, 1)").run();
    newer.pragma(`user_version = ${latestSchemaVersion + 10}`);
    newer.close();
    const file = path.join(dir, 'localpost.sqlite');
    const bytesBefore = fs.readFileSync(file);

    let refused: unknown;
    await assert.rejects(
      start(dir, '1.2.0').catch((error: unknown) => {
        refused = error;
        throw error;
      }),
    );
    assert.ok(refused instanceof AppError);
    assert.equal(refused.code, 'database_from_newer_version');
    const bridge = toBridgeError(refused);
    assert.match(bridge.message, /Localpost 9\.1\.0/);
    assert.match(bridge.message, /1\.2\.0/);
    assert.match(bridge.action ?? '', /Install Localpost 9\.1\.0 or later/);

    assert.ok(fs.readFileSync(file).equals(bytesBefore), 'the database file changed');
    const db = new Database(file, { readonly: true });
    assert.equal(schemaVersion(db), latestSchemaVersion + 10);
    assert.equal((db.prepare('SELECT text FROM drafts').get() as { text: string }).text, 'my words');
    db.close();
  });
});
