// Facebook Pages' own rules as preflight and the adapter apply them: the message's length, photos
// over 4 MB, photos and a video never in one post, the first link in the text as the post's
// `link`, and Facebook's own refusals in plain words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { facebookRefusal, firstLink } from '../../src-main/core/platforms/facebook/facebookAdapter';
import { metaGraphErrorOf } from '../../src-main/core/platforms/meta/metaGraphErrors';
import { runPreflight, type PreflightInput } from '../../src-shared/compose/preflight';
import { facebookTextLimit } from '../../src-shared/facebook';

const page = { accountId: 'a1', handle: 'Corner Bakery', platform: 'facebook' as const, status: 'connected' };
const rulesOf = (input: Partial<PreflightInput>) =>
  runPreflight({ text: 'Hello', images: [], hasLinkCard: false, targets: [page], requireAltText: false, ...input }).map((issue) => issue.ruleId);

describe('Facebook preflight', () => {
  it('takes 63,206 characters, and refuses one more as facebook.length', () => {
    assert.deepEqual(rulesOf({ text: 'a'.repeat(facebookTextLimit) }), []);
    assert.deepEqual(rulesOf({ text: 'a'.repeat(facebookTextLimit + 1) }), ['facebook.length']);
  });

  it('refuses a photo over 4 MB as facebook.photo_size, and photos beside a video as video.mix', () => {
    assert.deepEqual(rulesOf({ images: [{ alt: '', bytes: 4 * 1024 * 1024 }] }), []);
    assert.deepEqual(rulesOf({ images: [{ alt: '', bytes: 4 * 1024 * 1024 + 1 }] }), ['facebook.photo_size']);
    const video = { container: 'mp4' as const, videoCodec: 'avc', audioCodec: 'aac', durationSeconds: 30, width: 1280, height: 720, frameRate: 30, bytes: 1_000_000, alt: '' };
    assert.deepEqual(rulesOf({ video }), []);
    assert.deepEqual(rulesOf({ video, images: [{ alt: '', bytes: 1000 }] }), ['video.mix']);
  });
});

describe('Facebook posts', () => {
  it('take the first link in the text, without the sentence’s punctuation, as `link`', () => {
    assert.equal(firstLink('See https://example.com/menu. Or http://example.org'), 'https://example.com/menu');
    assert.equal(firstLink('(https://example.com/a?b=1)'), 'https://example.com/a?b=1');
    assert.equal(firstLink('No link here, example.com is not one'), null);
  });

  it('say Facebook’s own refusals plainly, and leave the shared codes to the Meta mapping', () => {
    const refusal = (error: Record<string, unknown>) => facebookRefusal(metaGraphErrorOf({ error })!, 0);
    assert.equal(refusal({ message: 'x', code: 368, error_subcode: 1390008 })?.code, 'rate_limited');
    assert.equal(refusal({ message: 'x', code: 368, error_subcode: 1390008 })?.retryAt, 60 * 60_000);
    assert.match(refusal({ message: 'x', code: 200, error_subcode: 1404078 })?.message ?? '', /publishing authorization/);
    assert.match(refusal({ message: 'x', code: 4854002 })?.message ?? '', /publishing authorization/);
    assert.match(refusal({ message: 'x', code: 1609005 })?.message ?? '', /link/);
    assert.match(refusal({ message: 'x', code: 368 })?.message ?? '', /Community Standards/);
    assert.equal(refusal({ message: 'x', code: 190, error_subcode: 460 }), null);
    assert.equal(refusal({ message: 'x', code: 10 }), null);
  });
});
