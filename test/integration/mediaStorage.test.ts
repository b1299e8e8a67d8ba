// Public media in the user's own bucket, through the core's real dispatch and a real S3 server
// (s3rver behind a front that checks every SigV4 signature: test/harness/s3Server.ts): the bucket
// saved with its secret in the vault and never crossing the bridge or reaching a log, "Test this
// bucket" step by step against right and wrong keys, a missing bucket and a server that is down,
// and publish → a presigned address a plain fetch reads the exact bytes from, until it expires.
//
// Run: npx tsx --test test/integration/mediaStorage.test.ts
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MediaStorageInput } from '../../src-preload/contract';
import { BridgeCallError, startCore, type CoreClient } from '../harness/coreClient';
import { startS3Server, type S3Server } from '../harness/s3Server';
import { filesUnder, secretsIn, secretsInFile } from '../harness/secretScan';

describe('media storage', () => {
  let s3: S3Server;
  let app: CoreClient;
  let input: MediaStorageInput;

  before(async () => {
    s3 = await startS3Server();
    app = await startCore();
    input = { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  });
  after(async () => {
    app.close();
    await s3.close();
  });

  it('keeps the bucket with its secret in the vault, and lets only whether one is saved cross the bridge', async () => {
    assert.equal(await app.call('mediaStorage.get', {}), null);
    const saved = await app.call('mediaStorage.save', input);
    const expected = { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: true, accessKeyId: s3.accessKeyId, hasSecretAccessKey: true };
    assert.deepEqual(saved, expected);
    assert.deepEqual(await app.call('mediaStorage.get', {}), expected);
    // Saved again without a secret: the saved one stays.
    const { secretAccessKey: _, ...withoutSecret } = input;
    assert.deepEqual(await app.call('mediaStorage.save', { ...withoutSecret, region: s3.region }), expected);
    const test = await app.call('mediaStorage.test', withoutSecret);
    assert.equal(test.ok, true, JSON.stringify(test));
  });

  it('tests the bucket: writes, reads back through a presigned address, deletes, and leaves nothing', async () => {
    const result = await app.call('mediaStorage.test', input);
    assert.deepEqual(
      result.steps.map((step) => [step.step, step.outcome]),
      [['write', 'ok'], ['read', 'ok'], ['delete', 'ok']],
    );
    assert.equal(result.ok, true);
    assert.deepEqual(await s3.keys(), []);
    // The read went by a presigned GET (no Authorization header: the front saw the signature in the query).
    const reads = s3.requests.filter((request) => request.method === 'GET');
    assert.ok(reads.length > 0 && reads.every((request) => request.path.startsWith(`/${s3.bucket}/localpost/`)));
  });

  it('says the bucket refused a wrong secret, an unknown key id, another region, and skips the rest', async () => {
    const wrongSecret = await app.call('mediaStorage.test', { ...input, secretAccessKey: 'not-the-secret-0123456789' });
    assert.equal(wrongSecret.ok, false);
    assert.deepEqual(wrongSecret.steps.map((step) => step.outcome), ['failed', 'skipped', 'skipped']);
    assert.equal(wrongSecret.steps[0]!.code, 'media_storage_rejected');
    assert.match(wrongSecret.steps[0]!.message, /SignatureDoesNotMatch/);
    assert.match(wrongSecret.steps[0]!.message, /secret access key/);

    const wrongId = await app.call('mediaStorage.test', { ...input, accessKeyId: 'AKIANOTAKEY' });
    assert.equal(wrongId.steps[0]!.code, 'media_storage_rejected');
    assert.match(wrongId.steps[0]!.message, /InvalidAccessKeyId/);

    const wrongRegion = await app.call('mediaStorage.test', { ...input, region: 'us-east-1' });
    assert.equal(wrongRegion.steps[0]!.code, 'media_storage_rejected');
    assert.match(wrongRegion.steps[0]!.message, /region/);
    assert.deepEqual(await s3.keys(), []);
  });

  it('says when there is no such bucket, and when the server is not reachable', async () => {
    const missing = await app.call('mediaStorage.test', { ...input, bucket: 'no-such-bucket' });
    assert.equal(missing.ok, false);
    assert.equal(missing.steps[0]!.code, 'media_storage_rejected');
    assert.match(missing.steps[0]!.message, /no such bucket/i);

    const down = await startS3Server();
    const downEndpoint = down.endpoint;
    await down.close();
    const unreachable = await app.call('mediaStorage.test', { ...input, endpoint: downEndpoint });
    assert.equal(unreachable.steps[0]!.code, 'network_unreachable');
    assert.match(unreachable.steps[0]!.message, /Could not reach 127\.0\.0\.1/);
  });

  it('refuses an endpoint that is not https (plain http only on this computer), and a bad bucket name', async () => {
    for (const endpoint of ['http://s3.example.com', 'ftp://127.0.0.1', 'https://s3.example.com/some/path', 'https://user:pw@s3.example.com']) {
      await assert.rejects(app.call('mediaStorage.save', { ...input, endpoint }), (error: BridgeCallError) => error.code === 'invalid_input', endpoint);
    }
    await assert.rejects(app.call('mediaStorage.save', { ...input, bucket: 'Bad_Name' }), (error: BridgeCallError) => error.code === 'invalid_input');
    // A bare host is taken as https.
    const bare = await app.call('mediaStorage.test', { ...input, endpoint: 's3.invalid' });
    assert.equal(bare.steps[0]!.code, 'network_unreachable');
    // Nothing refused was saved.
    assert.equal((await app.call('mediaStorage.get', {}))?.endpoint, s3.endpoint);
  });

  it('publishes a file streamed from disk to a presigned address a plain fetch reads, and removes it', async () => {
    await app.call('mediaStorage.save', input);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-media-')), 'clip.mp4');
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    fs.writeFileSync(file, bytes);
    const before = Date.now();
    const published = await app.core.mediaStorage.publish({ path: file, size: bytes.length, mime: 'video/mp4' });
    assert.match(published.key, /^localpost\/[0-9a-f-]{36}$/);
    assert.ok(published.expiresAt > before && published.expiresAt <= before + 60 * 60 * 1000 + 1000);
    assert.deepEqual(app.core.mediaStorage.pendingKeys(), [published.key]);
    assert.deepEqual(await s3.keys(), [published.key]);

    const fetched = await fetch(published.url);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'video/mp4');
    assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(bytes));
    // Without the signature the object is private.
    const anonymous = await fetch(published.url.split('?')[0]!);
    assert.equal(anonymous.status, 403);

    await app.core.mediaStorage.remove(published.key);
    assert.deepEqual(await s3.keys(), []);
    assert.deepEqual(app.core.mediaStorage.pendingKeys(), []);
    assert.equal((await fetch(published.url)).status, 404);
    // Removing again is not an error: the object is gone either way.
    await app.core.mediaStorage.remove(published.key);
  });

  it('sweeps only what an earlier process left, never an object this one is still serving', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-media-')), 'photo.jpg');
    fs.writeFileSync(file, crypto.randomBytes(1000));
    const published = await app.core.mediaStorage.publish({ path: file, size: 1000, mime: 'image/jpeg' });
    assert.deepEqual(await app.core.mediaStorage.sweepLeftovers(), { deleted: 0, failed: 0 });
    assert.deepEqual(await s3.keys(), [published.key]);
    assert.equal((await fetch(published.url)).status, 200);
    await app.core.mediaStorage.remove(published.key);
  });

  it('says so when the file changes while it goes up, and leaves nothing in the bucket or the record', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-media-')), 'short.jpg');
    fs.writeFileSync(file, crypto.randomBytes(1000));
    await assert.rejects(app.core.mediaStorage.publish({ path: file, size: 2000, mime: 'image/jpeg' }), (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'invalid_input');
      assert.match(error.message ?? '', /changed on disk/);
      return true;
    });
    assert.deepEqual(app.core.mediaStorage.pendingKeys(), []);
    assert.deepEqual(await s3.keys(), []);
  });

  it('refuses virtual-host style on an endpoint given by its IP address', async () => {
    await assert.rejects(app.call('mediaStorage.save', { ...input, pathStyle: false }), (error: BridgeCallError) => error.code === 'invalid_input');
  });

  it('hands out an address that stops working once it expires', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-media-')), 'photo.jpg');
    fs.writeFileSync(file, crypto.randomBytes(1000));
    const published = await app.core.mediaStorage.publish({ path: file, size: 1000, mime: 'image/jpeg' }, { expiresInSeconds: 2 });
    assert.equal((await fetch(published.url)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, published.expiresAt - Date.now()) + 1100));
    const expired = await fetch(published.url);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /Request has expired/);
    await app.core.mediaStorage.remove(published.key);
  });

  it('says no storage is set up, and forgets the bucket on remove', async () => {
    await app.call('mediaStorage.remove', {});
    assert.equal(await app.call('mediaStorage.get', {}), null);
    await assert.rejects(app.core.mediaStorage.publish({ path: '/nowhere', size: 1, mime: 'image/jpeg' }), (error: { code?: string }) => error.code === 'media_storage_missing');
  });

  it('never let the secret cross the bridge or reach a file in the data folder', () => {
    const secrets = [s3.secretAccessKey];
    assert.deepEqual(secretsIn(app.traffic.join('\n'), secrets), []);
    for (const file of filesUnder(app.dataDir)) assert.deepEqual(secretsInFile(file, secrets), [], file);
  });
});
