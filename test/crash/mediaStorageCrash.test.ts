// Public media left in the user's bucket by a crash is deleted at the next start: a child process
// publishing a file is killed with SIGKILL (mid-upload, and after the upload but before its delete),
// and a fresh core over the same data folder sweeps the bucket clean on its own.
//
// Run: npx tsx --test test/crash/mediaStorageCrash.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startCore } from '../harness/coreClient';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { waitFor } from '../harness/waitFor';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('media storage after a crash', () => {
  let s3: S3Server;
  let file: string;

  before(async () => {
    s3 = await startS3Server();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-media-crash-'));
    file = path.join(scratch, 'clip.mp4');
    fs.writeFileSync(file, crypto.randomBytes(8 * 1024 * 1024));
  });
  after(() => s3.close());

  async function dataDirWithBucket(): Promise<string> {
    const app = await startCore();
    await app.call('mediaStorage.save', { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
    app.close();
    return app.dataDir;
  }

  function startChild(dataDir: string) {
    // Node itself with tsx's loader, not the tsx CLI, so that the SIGKILL reaches the core's process.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/harness/mediaStorageChild.ts')], {
      cwd: repoRoot,
      env: { ...process.env, LOCALPOST_MEDIA_CHILD_DATA_DIR: dataDir, LOCALPOST_MEDIA_CHILD_FILE: file },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString('utf8')));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return { child, exited, output: () => out };
  }

  function recordedKeys(dataDir: string): string[] {
    const db = new Database(path.join(dataDir, 'localpost.sqlite'));
    try {
      return (db.prepare('SELECT key FROM media_storage_objects').all() as { key: string }[]).map((row) => row.key);
    } finally {
      db.close();
    }
  }

  it('records the key before the upload starts, and a restart deletes what a kill mid-upload left', { timeout: 120_000 }, async () => {
    const dataDir = await dataDirWithBucket();
    const requestsBefore = s3.requests.length;
    s3.stallPutsAfter(1024 * 1024);
    const { child, exited } = startChild(dataDir);
    await waitFor(() => (s3.requests.slice(requestsBefore).some((r) => r.method === 'PUT' && r.bytes >= 1024 * 1024) ? true : undefined), 'the upload to be part-way', 2400);
    child.kill('SIGKILL');
    await exited;
    s3.stallPutsAfter(null);
    const recorded = recordedKeys(dataDir);
    assert.equal(recorded.length, 1, 'the key was recorded before its upload');

    const restarted = await startCore({ dataDir });
    try {
      await waitFor(() => (restarted.core.mediaStorage.pendingKeys().length === 0 ? true : undefined), 'the sweep at start');
      assert.deepEqual(await s3.keys(), []);
      const deletes = s3.requests.filter((r) => r.method === 'DELETE' && r.path === `/${s3.bucket}/${recorded[0]}`);
      assert.ok(deletes.length > 0 && deletes.every((r) => r.status === 204), 'the sweep asked the bucket to delete the key');
    } finally {
      restarted.close();
    }
  });

  it('deletes at the next start an object whose process died between its upload and its delete', { timeout: 120_000 }, async () => {
    const dataDir = await dataDirWithBucket();
    const { child, exited, output } = startChild(dataDir);
    const key = await waitFor(() => /published (\S+)/.exec(output())?.[1], 'the publish', 2400);
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(await s3.keys(), [key], 'the object was in the bucket when the process died');
    assert.deepEqual(recordedKeys(dataDir), [key]);

    const restarted = await startCore({ dataDir });
    try {
      await waitFor(() => (restarted.core.mediaStorage.pendingKeys().length === 0 ? true : undefined), 'the sweep at start');
      assert.deepEqual(await s3.keys(), []);
    } finally {
      restarted.close();
    }
  });

  it('waits for a locked vault (it holds the bucket’s keys), and sweeps once it opens', { timeout: 120_000 }, async () => {
    const dataDir = await dataDirWithBucket();
    const { child, exited, output } = startChild(dataDir);
    const key = await waitFor(() => /published (\S+)/.exec(output())?.[1], 'the publish', 2400);
    child.kill('SIGKILL');
    await exited;

    const restarted = await startCore({ dataDir, env: { LOCALPOST_TEST_KEYRING_LOCKED: '1' } });
    try {
      await assert.rejects(restarted.call('mediaStorage.get', {}), { code: 'vault_locked' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await s3.keys(), [key], 'nothing is swept while the keys are locked away');
      assert.deepEqual(restarted.core.mediaStorage.pendingKeys(), [key]);

      restarted.keyStore.failing = false;
      assert.equal((await restarted.call('vault.retryUnlock', {})).locked, false);
      await waitFor(() => (restarted.core.mediaStorage.pendingKeys().length === 0 ? true : undefined), 'the sweep once the vault opened');
      assert.deepEqual(await s3.keys(), []);
    } finally {
      restarted.close();
    }
  });
});
