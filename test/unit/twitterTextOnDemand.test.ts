// The core's twitter-text (the main build's alias for the package): the same counts as the
// library's own, and the library loads at the first count, not when the module is imported.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type TwitterText from 'twitter-text';

const require = createRequire(import.meta.url);
const twitterTextFile = require.resolve('twitter-text');

describe('twitter-text on demand', () => {
  it('counts as the library does, loading it at the first count', async () => {
    assert.equal(require.cache[twitterTextFile], undefined, 'nothing loaded it before');
    const { default: onDemand } = await import('../../src-main/core/compose/twitterTextOnDemand');
    assert.equal(require.cache[twitterTextFile], undefined, 'not loaded by the import');
    assert.equal(onDemand.parseTweet('a').weightedLength, 1);
    assert.ok(require.cache[twitterTextFile], 'loaded by the first count');
    const twitterText = require('twitter-text') as typeof TwitterText;
    for (const text of ['hello', 'héllo 東京 🎉', `see https://example.com/${'x'.repeat(200)}`, '👩‍👩‍👧'.repeat(50), '']) {
      assert.equal(onDemand.parseTweet(text).weightedLength, twitterText.parseTweet(text).weightedLength, JSON.stringify(text));
    }
  });
});
