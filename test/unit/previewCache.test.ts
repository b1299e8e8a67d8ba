// The composer's preview cache: made once per file, bounded, and a draft's previews forgotten with
// its folder (a published draft's files are gone; their previews would only hold memory).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PreviewCache } from '../../src-main/core/compose/previewCache';

function counting(limit?: number) {
  const made: string[] = [];
  const cache = new PreviewCache(async (file) => {
    made.push(file);
    return `data:image/jpeg;base64,${Buffer.from(file).toString('base64')}`;
  }, limit);
  return { cache, made };
}

const media = path.join(path.sep, 'data', 'media');
const inDraft = (draft: string, file: string) => path.join(media, draft, file);

describe('PreviewCache', () => {
  it('makes a file\u2019s preview once and answers again from memory', async () => {
    const { cache, made } = counting();
    const first = await cache.of(inDraft('d1', 'a.jpeg'));
    assert.equal(await cache.of(inDraft('d1', 'a.jpeg')), first);
    assert.deepEqual(made, [inDraft('d1', 'a.jpeg')]);
  });

  it('keeps at most its limit, dropping the one unused longest', async () => {
    const { cache, made } = counting(2);
    await cache.of(inDraft('d1', 'a.jpeg'));
    await cache.of(inDraft('d1', 'b.jpeg'));
    await cache.of(inDraft('d1', 'a.jpeg'));
    await cache.of(inDraft('d1', 'c.jpeg'));
    assert.equal(cache.size, 2);
    await cache.of(inDraft('d1', 'a.jpeg'));
    await cache.of(inDraft('d1', 'b.jpeg'));
    assert.deepEqual(made.map((file) => path.basename(file)), ['a.jpeg', 'b.jpeg', 'c.jpeg', 'b.jpeg']);
  });

  it('forgets every preview of a draft\u2019s folder, and only those', async () => {
    const { cache, made } = counting();
    await cache.of(inDraft('d1', 'a.jpeg'));
    await cache.of(inDraft('d1', 'card-1.jpeg'));
    await cache.of(inDraft('d10', 'a.jpeg'));
    cache.forgetFolder(path.join(media, 'd1'));
    assert.equal(cache.size, 1, 'd10 is another draft, though its name starts like d1');
    await cache.of(inDraft('d10', 'a.jpeg'));
    assert.equal(made.length, 3);
  });

  it('forgets one file whose content changed', async () => {
    const { cache, made } = counting();
    await cache.of(inDraft('d1', 'poster.jpeg'));
    cache.forget(inDraft('d1', 'poster.jpeg'));
    await cache.of(inDraft('d1', 'poster.jpeg'));
    assert.equal(made.length, 2);
  });
});
