// The steps of publishing a Meta media container that Instagram and Threads share
// (src-main/core/platforms/meta/mediaContainer.ts): what a later attempt does with a saved
// container in each status, when the files leave the user's bucket, and a publish answered
// without an id. The platforms' own flows run end to end against their contract mocks in
// test/integration/instagram.test.ts and threads.test.ts, and under the crash test.
// Run: npx tsx --test test/unit/mediaContainer.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { createLogger } from '../../src-main/core/log/logger';
import {
  publishContainer,
  settleContainer,
  stillPreparing,
  type ContainerHandle,
  type ContainerStatus,
  type ContainerTarget,
} from '../../src-main/core/platforms/meta/mediaContainer';

interface Handle extends ContainerHandle {
  storageKey?: string;
}

/** A container on a platform that answers as told, recording what each step was asked. */
function containerOn(options: { status: ContainerStatus; finished?: () => Promise<'FINISHED' | 'PUBLISHED'>; publishedId?: unknown; onError?: 'start afresh' | 'fail' }) {
  const calls: string[] = [];
  const saved: Handle[] = [];
  const target: ContainerTarget<Handle> = {
    platformName: 'Threads',
    log: createLogger('test', []),
    accountId: 'acct',
    status: async (id) => (calls.push(`status ${id}`), options.status),
    awaitFinished: (id) => (calls.push(`await ${id}`), options.finished ? options.finished() : Promise.resolve('FINISHED')),
    holdsStored: (handle) => Boolean(handle.storageKey),
    dropStored: async (handle) => {
      calls.push(`drop ${handle.storageKey}`);
      const { storageKey: _dropped, ...rest } = handle;
      saved.push(rest);
      return rest;
    },
    // The two Graph API calls the shared steps make: the publish, and the permalink's read.
    call: async (method, path, form) => {
      if (method === 'POST' && path === '/user-1/threads_publish') {
        calls.push(`publish ${form?.get('creation_id')}`);
        return { id: 'publishedId' in options ? options.publishedId : 'media-1' };
      }
      const mediaId = /^\/([^?]+)\?fields=permalink$/.exec(path)?.[1];
      if (method === 'GET' && mediaId) {
        calls.push(`permalink ${mediaId}`);
        return { permalink: `https://example.com/${mediaId}` };
      }
      throw new Error(`unexpected call ${method} ${path}`);
    },
    userId: () => 'user-1',
    publishEdge: 'threads_publish',
    saveHandle: async (handle) => void saved.push(handle),
    findPublished: async (id) => (calls.push(`find ${id}`), { uri: 'found-1', cid: null, url: null }),
    onError: options.onError ?? 'fail',
  };
  return { target, calls, saved };
}

describe('Meta media containers, settled from a saved handle', () => {
  it('a handle with the post’s id reads only its permalink: nothing is published again', async () => {
    const { target, calls } = containerOn({ status: 'PUBLISHED' });
    const post = await settleContainer(target, { containerId: 'c1', mediaId: 'media-9' });
    assert.deepEqual(post, { uri: 'media-9', cid: null, url: 'https://example.com/media-9' });
    assert.deepEqual(calls, ['permalink media-9']);
  });

  it('PUBLISHED (a lost publish answer): the files leave the bucket and the post is looked up, not published again', async () => {
    const { target, calls, saved } = containerOn({ status: 'PUBLISHED' });
    const post = await settleContainer(target, { containerId: 'c1', storageKey: 'k1' });
    assert.equal(post?.uri, 'found-1');
    assert.deepEqual(calls, ['status c1', 'drop k1', 'find c1']);
    assert.deepEqual(saved, [{ containerId: 'c1' }]);
  });

  it('FINISHED: the files leave the bucket, then it is published, its id saved before the permalink is read', async () => {
    const { target, calls, saved } = containerOn({ status: 'FINISHED' });
    const post = await settleContainer(target, { containerId: 'c1', storageKey: 'k1' });
    assert.equal(post?.uri, 'media-1');
    assert.deepEqual(calls, ['status c1', 'drop k1', 'await c1', 'publish c1', 'permalink media-1']);
    assert.deepEqual(saved, [{ containerId: 'c1' }, { containerId: 'c1', mediaId: 'media-1' }]);
  });

  it('EXPIRED starts afresh (null) on every platform; its files leave the bucket', async () => {
    for (const onError of ['start afresh', 'fail'] as const) {
      const { target, calls } = containerOn({ status: 'EXPIRED', onError });
      assert.equal(await settleContainer(target, { containerId: 'c1', storageKey: 'k1' }), null);
      assert.deepEqual(calls, ['status c1', 'drop k1']);
    }
  });

  it('ERROR starts afresh where the platform says so, and otherwise ends the target with the container’s error', async () => {
    const afresh = containerOn({ status: 'ERROR', onError: 'start afresh' });
    assert.equal(await settleContainer(afresh.target, { containerId: 'c1' }), null);
    assert.deepEqual(afresh.calls, ['status c1']);

    const refused = new AppError('platform_rejected', 'Threads could not prepare the post: bad image.', { delivery: 'not_sent' });
    const fail = containerOn({ status: 'ERROR', onError: 'fail', finished: () => Promise.reject(refused) });
    await assert.rejects(settleContainer(fail.target, { containerId: 'c1' }), (error) => error === refused);
    assert.ok(!fail.calls.some((call) => call.startsWith('publish')), 'nothing published');
  });
});

describe('Meta media containers, published', () => {
  it('once FINISHED, the files leave the bucket before the post goes out', async () => {
    const { target, calls } = containerOn({ status: 'IN_PROGRESS' });
    await publishContainer(target, { containerId: 'c1', storageKey: 'k1' });
    assert.deepEqual(calls, ['await c1', 'drop k1', 'publish c1', 'permalink media-1']);
  });

  it('still IN_PROGRESS past the wait: the files stay in the bucket for the next attempt, which may yet see it fetched', async () => {
    const { target, calls } = containerOn({ status: 'IN_PROGRESS', finished: () => Promise.reject(stillPreparing('Threads')) });
    await assert.rejects(publishContainer(target, { containerId: 'c1', storageKey: 'k1' }), (error: AppError) => error.transient === true);
    assert.deepEqual(calls, ['await c1']);
  });

  it('a container that will never be published: its files leave the bucket, and the error stands', async () => {
    const refused = new AppError('platform_rejected', 'Threads could not prepare the post.', { delivery: 'not_sent' });
    const { target, calls } = containerOn({ status: 'ERROR', finished: () => Promise.reject(refused) });
    await assert.rejects(publishContainer(target, { containerId: 'c1', storageKey: 'k1' }), (error) => error === refused);
    assert.deepEqual(calls, ['await c1', 'drop k1']);
  });

  it('a publish answered without an id is a transient failure, and no id is saved: the next attempt asks the container', async () => {
    for (const publishedId of [undefined, '', 42]) {
      const { target, saved } = containerOn({ status: 'FINISHED', publishedId });
      await assert.rejects(publishContainer(target, { containerId: 'c1' }), (error: AppError) => error.code === 'platform_rejected' && error.transient === true && /without the post’s id/.test(error.message));
      assert.deepEqual(saved, [], String(publishedId));
    }
  });
});
