// The pending-authorization store: single-use, profile-bound, ten-minute states; a refusal
// changes nothing. Run: npx tsx --test test/unit/oauthPendingAuthorizations.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PendingAuthorizations, RefusedStateError } from '../../src-main/core/oauth/pendingAuthorizations';

function store() {
  let now = 1_700_000_000_000;
  const clock = { now: () => now };
  const pending = new PendingAuthorizations({ clock });
  const add = (state: string, profileId = 'p1') =>
    pending.add({ state, profileId, platform: 'x', codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:1234/callback' });
  return { pending, add, advance: (ms: number) => void (now += ms) };
}

function refusal(run: () => unknown): RefusedStateError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof RefusedStateError, String(error));
    assert.equal(error.code, 'platform_rejected');
    return error;
  }
  assert.fail('expected a refusal');
}

describe('pending authorizations', () => {
  it('gives back what was stored, once', () => {
    const { pending, add } = store();
    add('s1');
    const taken = pending.take('s1', 'p1');
    assert.equal(taken.codeVerifier, 'verifier-s1');
    assert.equal(taken.platform, 'x');
    assert.equal(taken.expiresAt - taken.createdAt, 10 * 60 * 1000);
    assert.equal(refusal(() => pending.take('s1', 'p1')).reason, 'reused');
  });

  it('refuses a state it never issued, and the pending ones stay', () => {
    const { pending, add } = store();
    add('s1');
    assert.equal(refusal(() => pending.take('nope', 'p1')).reason, 'unknown');
    assert.ok(pending.peek('s1'));
    assert.equal(pending.take('s1', 'p1').state, 's1');
  });

  it('refuses another profile and leaves the state for the right one', () => {
    const { pending, add } = store();
    add('s1', 'p1');
    assert.equal(refusal(() => pending.take('s1', 'p2')).reason, 'wrong_profile');
    assert.equal(pending.take('s1', 'p1').profileId, 'p1');
  });

  it('expires after 10 minutes', () => {
    const { pending, add, advance } = store();
    add('s1');
    add('s2');
    advance(10 * 60 * 1000 - 1);
    assert.equal(pending.take('s1', 'p1').state, 's1', 'still valid just before');
    advance(1);
    assert.equal(pending.peek('s2'), undefined);
    assert.equal(refusal(() => pending.take('s2', 'p1')).reason, 'expired');
  });

  it('refuses to issue the same state twice', () => {
    const { pending, add } = store();
    add('s1');
    assert.throws(() => add('s1'));
    pending.take('s1', 'p1');
    assert.throws(() => add('s1'), 'not even after it was used');
  });

  it('forgets a cancelled sign-in', () => {
    const { pending, add } = store();
    add('s1');
    pending.cancel('s1');
    assert.equal(refusal(() => pending.take('s1', 'p1')).reason, 'unknown');
  });
});
