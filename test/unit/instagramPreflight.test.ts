// Instagram's preflight rules, as the composer and the core run them (src-shared/instagram.ts and
// its entry in src-shared/platforms.ts): media required, the caption's 2,200 characters, 5
// hashtags, a carousel of at most 10 photos and videos, and Reels' video limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPreflight, type PreflightInput, type PreflightVideo } from '../../src-shared/compose/preflight';
import { instagramHashtagCount } from '../../src-shared/instagram';

const target = { accountId: 'ig-1', handle: 'localpost.gram', platform: 'instagram' as const, status: 'connected' };
const base: PreflightInput = { text: 'hello', images: [{ alt: 'a cat' }], hasLinkCard: false, targets: [target], requireAltText: false, mediaStorageSaved: true };
const ruleIds = (input: Partial<PreflightInput>) => runPreflight({ ...base, ...input }).map((issue) => issue.ruleId);
const reel: PreflightVideo = { container: 'mp4', videoCodec: 'avc', audioCodec: 'aac', durationSeconds: 20, width: 1080, height: 1920, frameRate: 30, bytes: 20 * 1024 * 1024, alt: '' };
const image = { alt: 'x' };

describe('Instagram preflight', () => {
  it('passes a photo, a Reel, and a carousel of photos and a video', () => {
    assert.deepEqual(ruleIds({}), []);
    assert.deepEqual(ruleIds({ images: [], video: reel }), []);
    assert.deepEqual(ruleIds({ images: [image, image, image], video: reel }), []);
  });

  it('refuses text alone with instagram.media_required', () => {
    const issues = runPreflight({ ...base, images: [] });
    assert.deepEqual(issues.map((i) => i.ruleId), ['instagram.media_required']);
    assert.equal(issues[0]!.accountId, 'ig-1');
    assert.match(issues[0]!.message, /@localpost\.gram needs an image or a video/);
  });

  it('counts the caption to 2,200 characters (instagram.caption_length)', () => {
    assert.deepEqual(ruleIds({ text: 'a'.repeat(2200) }), []);
    assert.deepEqual(ruleIds({ text: 'a'.repeat(2201) }), ['instagram.caption_length']);
  });

  it('takes 5 hashtags and refuses a sixth (instagram.hashtag_limit), counting only what Instagram links', () => {
    assert.equal(instagramHashtagCount('#one #two, #three word#four'), 3, 'a tag right after a word character is not one');
    assert.equal(instagramHashtagCount('C# and F# #123 #a1 #über'), 2, 'digits alone are no tag; letters in any script are');
    assert.deepEqual(ruleIds({ text: '#a #b #c #d #e' }), []);
    const issues = runPreflight({ ...base, text: '#a #b #c #d #e #f' });
    assert.deepEqual(issues.map((i) => i.ruleId), ['instagram.hashtag_limit']);
    assert.match(issues[0]!.message, /at most 5 hashtags.*has 6/);
  });

  it('takes a carousel of up to 10 items, the video included (instagram.carousel_size)', () => {
    assert.deepEqual(ruleIds({ images: Array(10).fill(image) }), []);
    assert.deepEqual(ruleIds({ images: Array(11).fill(image) }), ['instagram.carousel_size']);
    assert.deepEqual(ruleIds({ images: Array(9).fill(image), video: reel }), []);
    assert.deepEqual(ruleIds({ images: Array(10).fill(image), video: reel }), ['instagram.carousel_size']);
  });

  it('holds a Reel to 3 seconds to 15 minutes, MP4 or MOV, 300 MB; no alt text asked for a video', () => {
    assert.deepEqual(ruleIds({ images: [], video: { ...reel, durationSeconds: 2 } }), ['video.duration']);
    assert.deepEqual(ruleIds({ images: [], video: { ...reel, durationSeconds: 16 * 60 } }), ['video.duration']);
    assert.deepEqual(ruleIds({ images: [], video: { ...reel, container: 'webm' } }), ['video.format']);
    assert.deepEqual(ruleIds({ images: [], video: { ...reel, bytes: 301 * 1024 * 1024 } }), ['video.size']);
    assert.deepEqual(ruleIds({ images: [], video: reel, requireAltText: true }), [], 'Reels take no alt_text');
  });

  it('needs media storage for any media (media.storage_missing)', () => {
    assert.deepEqual(ruleIds({ mediaStorageSaved: false }), ['media.storage_missing']);
  });
});
