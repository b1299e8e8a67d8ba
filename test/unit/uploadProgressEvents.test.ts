// An upload's progress reaches the renderer apart from the outbox's changes: throttled per target
// to its latest figures, only for the active profile, and checked against the contract on the way out.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { createEventHub, throttledProgressAnnouncer } from '../../src-main/core/coreEvents';

describe('upload.progress', () => {
  it('sends each uploading target of the active profile at most every 100 ms, with its latest figures', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const hub = createEventHub();
      const heard: Array<{ event: string; payload: unknown }> = [];
      hub.onEvent((event, payload) => heard.push({ event, payload }));
      let active = 'profile-a';
      const progress = throttledProgressAnnouncer(hub.emit, () => active);
      for (let sent = 1; sent <= 500; sent++) progress.announce('profile-a', { postId: 'post-1', accountId: 'acc-1', sentBytes: sent * 1000, totalBytes: 500_000 });
      progress.announce('profile-a', { postId: 'post-1', accountId: 'acc-2', sentBytes: 7, totalBytes: 9 });
      progress.announce('profile-b', { postId: 'post-2', accountId: 'acc-3', sentBytes: 1, totalBytes: 2 });
      assert.deepEqual(heard, [], 'nothing before the first 100 ms are up');
      mock.timers.tick(100);
      assert.deepEqual(heard, [
        { event: 'upload.progress', payload: { postId: 'post-1', accountId: 'acc-1', sentBytes: 500_000, totalBytes: 500_000 } },
        { event: 'upload.progress', payload: { postId: 'post-1', accountId: 'acc-2', sentBytes: 7, totalBytes: 9 } },
      ]);
      // Another profile's upload is sent once it is the active one.
      active = 'profile-b';
      progress.announce('profile-b', { postId: 'post-2', accountId: 'acc-3', sentBytes: 2, totalBytes: 2 });
      mock.timers.tick(100);
      assert.deepEqual(heard.at(-1), { event: 'upload.progress', payload: { postId: 'post-2', accountId: 'acc-3', sentBytes: 2, totalBytes: 2 } });
      assert.equal(heard.length, 3);
      assert.ok(heard.every(({ event }) => event === 'upload.progress'), 'no history.changed or outbox.changed for a tick');
    } finally {
      mock.timers.reset();
    }
  });
});
