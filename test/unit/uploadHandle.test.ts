// A target's upload handle (a resumable session's address, a publish id) is the outbox's promise
// that an upload cut off by a crash can be found again: it must be on disk once saved, only while
// the target is being sent, and gone once nothing will continue the upload.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { PostStore } from '../../src-main/core/outbox/postStore';

function storeWithOneTarget() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-handle-'));
  const db = openDatabase(dir);
  db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0)").run();
  db.prepare(
    `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
     VALUES ('a', 'p', 'mastodon', 'did', '@me', 'https://example.test', 'connected', 0, 0)`,
  ).run();
  const store = new PostStore(db);
  const postId = store.enqueue({
    profileId: 'p',
    draftId: 'd',
    content: { text: 'hi', langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
    targets: [{ accountId: 'a', idempotencyKey: 'k' }],
    schedule: null,
    createdAt: 1,
  });
  return { dir, db, store, postId };
}

describe('upload handles', () => {
  it('are kept only for a target being sent, survive reopening the database, and are dropped once published', () => {
    const { dir, db, store, postId } = storeWithOneTarget();
    store.saveUploadHandle(postId, 'a', { sessionUri: 'https://upload.example/s/1' });
    assert.equal(store.uploadHandle(postId, 'a'), null, 'a queued target has no upload under way');

    assert.ok(store.claim(postId, 'a', 2));
    store.saveUploadHandle(postId, 'a', { sessionUri: 'https://upload.example/s/1', uploadedBytes: 262144 });
    db.close();

    const reopened = new PostStore(openDatabase(dir));
    assert.deepEqual(reopened.uploadHandle(postId, 'a'), { sessionUri: 'https://upload.example/s/1', uploadedBytes: 262144 });
    reopened.markPublished(postId, 'a', { uri: 'v1', cid: null, url: null }, 3);
    assert.equal(reopened.uploadHandle(postId, 'a'), null, "a session's address is not kept past its use");
  });

  it('stay across a failed attempt (the next one continues the upload) and go with a cancelled target', () => {
    const { store, postId } = storeWithOneTarget();
    store.claim(postId, 'a', 2);
    store.saveUploadHandle(postId, 'a', { publishId: 'v_pub_1' });
    store.setState(postId, 'a', { from: ['publishing'], to: 'queued' });
    assert.deepEqual(store.uploadHandle(postId, 'a'), { publishId: 'v_pub_1' });
    store.setState(postId, 'a', { from: ['queued'], to: 'cancelled' });
    assert.equal(store.uploadHandle(postId, 'a'), null);
  });
});
