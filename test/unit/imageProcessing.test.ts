import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { fitImage } from '../../src-main/core/compose/imageProcessing';
import { noisyJpeg, smallPng } from '../fixtures/images';

describe('fitting images to Bluesky', () => {
  it('brings a large photo under 1,000,000 bytes, keeping its aspect ratio', async () => {
    const fitted = await fitImage(await noisyJpeg(4000, 3000));
    assert.ok(fitted.data.length <= 1_000_000, `${fitted.data.length} bytes`);
    assert.equal(fitted.mime, 'image/jpeg');
    assert.ok(Math.abs(fitted.width / fitted.height - 4 / 3) < 0.01);
    assert.ok(Math.max(fitted.width, fitted.height) <= 2000);
  });

  it('keeps transparency as PNG and drops metadata such as GPS', async () => {
    const withExif = await sharp(await smallPng()).withMetadata({ exif: { IFD0: { Copyright: 'secret place' } } }).png().toBuffer();
    const fitted = await fitImage(withExif);
    assert.equal(fitted.mime, 'image/png');
    assert.equal((await sharp(fitted.data).metadata()).exif, undefined);
  });

  it('refuses what is not an image, or a damaged one, with media_unsupported', async () => {
    await assert.rejects(fitImage(Buffer.from('not an image at all')), { code: 'media_unsupported' });
    const png = await smallPng(200, 200);
    const damaged = Buffer.concat([png.subarray(0, 60), Buffer.alloc(200, 7)]);
    await assert.rejects(fitImage(damaged), { code: 'media_unsupported' });
  });

  it("keeps nothing in libvips' operation cache once an image is read: each is read once, reuse would only hold memory", async () => {
    await fitImage(await noisyJpeg(800, 600));
    const { memory, items, files } = sharp.cache();
    assert.deepEqual([memory.max, items.max, files.max], [0, 0, 0]);
    assert.equal(items.current, 0);
  });
});
