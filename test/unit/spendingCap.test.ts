import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSpendingCapApplies } from '../../src-main/core/accounts/spendingCap';

describe('the spending cap rule', () => {
  it('applies to X, which bills per post, and to no other platform', () => {
    assert.doesNotThrow(() => assertSpendingCapApplies('x'));
    assert.throws(() => assertSpendingCapApplies('bluesky'), { code: 'invalid_input', message: 'Bluesky does not bill per post, so it has no spending cap.' });
    for (const platform of ['mastodon', 'discord', 'slack', 'telegram'] as const) {
      assert.throws(() => assertSpendingCapApplies(platform), { code: 'invalid_input' }, platform);
    }
  });
});
