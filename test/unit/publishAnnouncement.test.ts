// The sentence a screen reader hears after Publish or Schedule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Post, PostTarget, TargetStatus } from '../../src-preload/contract';
import { announcePost } from '../../src-renderer/features/composer/publishAnnouncement';

const target = (handle: string, status: TargetStatus, error: string | null = null): PostTarget => ({
  accountId: handle,
  handle,
  platform: 'bluesky',
  status,
  uri: null,
  url: null,
  error: error ? { code: 'platform_rejected' as never, message: error } : null,
  attemptedAt: 0,
  attempts: 1,
  nextAttemptAt: null,
  progress: null,
  chain: null,
});
const post = (targets: PostTarget[], extra: Partial<Post> = {}): Post => ({
  id: 'p1',
  draftId: null,
  text: 'Hello',
  createdAt: 0,
  phase: 'done',
  scheduledAt: null,
  scheduleZone: null,
  scheduleLocal: null,
  targets,
  ...extra,
});
const when = (epochMs: number, zone: string) => `${new Date(epochMs).toISOString()} ${zone}`;

describe('announcePost', () => {
  it('counts the accounts and names each failure with its reason, at once', () => {
    const result = announcePost(
      post([target('a.test', 'published'), target('b.test', 'published'), target('c.test', 'published'), target('d.test', 'failed_permanent', 'The post is too long.')]),
      when,
    );
    assert.deepEqual(result, { text: 'Published to 3 of 4 accounts; 1 failed: @d.test: The post is too long.', urgent: true });
  });

  it('says all went well politely, naming a single account', () => {
    assert.deepEqual(announcePost(post([target('a.test', 'published')]), when), { text: 'Published to @a.test.', urgent: false });
    assert.deepEqual(announcePost(post([target('a.test', 'published'), target('b.test', 'published')]), when), { text: 'Published to all 2 accounts.', urgent: false });
  });

  it('says what waits, what is unsure and what was cancelled', () => {
    const result = announcePost(post([target('a.test', 'published'), target('b.test', 'queued'), target('c.test', 'unknown'), target('d.test', 'cancelled')], { phase: 'needs_attention' }), when);
    assert.deepEqual(result, { text: 'Published to 1 of 4 accounts; 1 not sure, check the Queue: @c.test; 1 waiting in the queue; 1 cancelled.', urgent: true });
  });

  it('says a schedule with its time and accounts, and nothing while the post is still going out', () => {
    const scheduled = post([target('a.test', 'queued')], { phase: 'scheduled', scheduledAt: Date.UTC(2030, 5, 3, 9), scheduleZone: 'Europe/Paris' });
    assert.deepEqual(announcePost(scheduled, when), { text: 'Scheduled for 2030-06-03T09:00:00.000Z Europe/Paris, to 1 account.', urgent: false });
    assert.equal(announcePost(post([target('a.test', 'publishing'), target('b.test', 'queued')], { phase: 'sending' }), when), null);
    assert.deepEqual(announcePost(post([target('a.test', 'queued')], { phase: 'sending' }), when), { text: 'Queued for 1 account: it goes out by itself as soon as it can.', urgent: false });
  });
});
