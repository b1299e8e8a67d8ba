import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RichText } from '@atproto/api';
import { runPreflight, type PreflightInput } from '../../src-shared/compose/preflight';
import { countGraphemes } from '../../src-shared/compose/textLength';
import { platformRules } from '../../src-shared/platforms';

const target = { accountId: 'a1', handle: 'alice.test', platform: 'bluesky' as const, status: 'connected' as const };
const base: PreflightInput = { text: 'hello', images: [], hasLinkCard: false, targets: [target], requireAltText: false };
const ruleIds = (input: Partial<PreflightInput>) => runPreflight({ ...base, ...input }).map((issue) => issue.ruleId);

describe('counting like Bluesky', () => {
  it('counts graphemes exactly as @atproto/api does', () => {
    for (const text of ['hello', '👩‍👩‍👧‍👦 family', 'e\u0301', '🇫🇷🇩🇪', 'नमस्ते', 'a'.repeat(300)]) {
      assert.equal(countGraphemes(text), new RichText({ text }).graphemeLength, text);
    }
  });

  it('allows 300 graphemes and refuses 301 with length.max', () => {
    assert.deepEqual(ruleIds({ text: '👍'.repeat(300) }), []);
    assert.equal(platformRules.bluesky.length.count('👍'.repeat(300)), 300);
    assert.deepEqual(ruleIds({ text: '👍'.repeat(301) }), ['length.max']);
  });
});

describe('preflight rules', () => {
  it('requires a target and some content', () => {
    assert.deepEqual(ruleIds({ targets: [] }), ['targets.none']);
    assert.deepEqual(ruleIds({ text: '   ' }), ['content.empty']);
  });

  it('limits images to 4 and requires alt text when the setting is on', () => {
    const image = { alt: '' };
    assert.deepEqual(ruleIds({ images: [image, image, image, image, image] }), ['media.count']);
    assert.deepEqual(ruleIds({ images: [image] }), []);
    assert.deepEqual(ruleIds({ images: [image], requireAltText: true }), ['media.alt_text']);
    assert.deepEqual(ruleIds({ images: [{ alt: 'a cat' }], requireAltText: true }), []);
  });

  it('counts each target by its own platform: Telegram captions, Discord, Slack without images', () => {
    const on = (platform: 'discord' | 'slack' | 'telegram') => [{ accountId: platform, handle: platform, platform, status: 'connected' }];
    assert.deepEqual(ruleIds({ text: 'x'.repeat(2000), targets: on('discord') }), []);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(2001), targets: on('discord') }), ['length.max']);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(4096), targets: on('telegram') }), []);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(1025), images: [{ alt: '' }], targets: on('telegram') }), ['length.max']);
    assert.deepEqual(ruleIds({ text: 'hi', images: [{ alt: '' }], targets: on('slack') }), ['media.unsupported']);
    // UTF-16: an emoji is two units on Discord, one grapheme on Bluesky.
    assert.deepEqual(ruleIds({ text: '👍'.repeat(1001), targets: on('discord') }), ['length.max']);
  });

  it('refuses a target that is not connected', () => {
    assert.deepEqual(ruleIds({ targets: [{ ...target, status: 'needs_reauth' }] }), ['account.status']);
  });
});
