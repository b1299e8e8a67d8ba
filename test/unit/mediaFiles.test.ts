// Telling a dropped or pasted file's kind from its first bytes, never from its name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { describeSniffed, sniffHeadBytes, sniffMedia } from '../../src-shared/compose/mediaFiles';
import { noisyJpeg, smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';

const head = (bytes: Uint8Array) => bytes.subarray(0, sniffHeadBytes);
const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

describe('sniffMedia', () => {
  it('knows the images a post carries from their real encodings', async () => {
    const base = sharp({ create: { width: 16, height: 16, channels: 3, background: '#3366cc' } });
    assert.deepEqual(sniffMedia(head(await smallPng())), { kind: 'image', format: 'png' });
    assert.deepEqual(sniffMedia(head(await noisyJpeg(16, 16))), { kind: 'image', format: 'jpeg' });
    assert.deepEqual(sniffMedia(head(await base.clone().gif().toBuffer())), { kind: 'image', format: 'gif' });
    assert.deepEqual(sniffMedia(head(await base.clone().webp().toBuffer())), { kind: 'image', format: 'webp' });
    assert.deepEqual(sniffMedia(head(await base.clone().avif().toBuffer())), { kind: 'image', format: 'avif' });
  });

  it('knows the videos Localpost reads from the fixtures’ first bytes', () => {
    assert.deepEqual(sniffMedia(head(fs.readFileSync(videoFixtures.mp4))), { kind: 'video', container: 'mp4' });
    assert.deepEqual(sniffMedia(head(fs.readFileSync(videoFixtures.webm))), { kind: 'video', container: 'webm' });
    assert.deepEqual(sniffMedia(head(fs.readFileSync(videoFixtures.mov))), { kind: 'video', container: 'mov' });
    // An old QuickTime file opening with its movie atom, no ftyp.
    assert.deepEqual(sniffMedia(ascii('\0\0\0\x10moov\0\0\0\0')), { kind: 'video', container: 'mov' });
  });

  it('names an iPhone’s HEIC photo, which Localpost does not read, and knows nothing else', () => {
    assert.deepEqual(sniffMedia(ascii('\0\0\0\x18ftypheic\0\0\0\0')), { kind: 'other', name: 'HEIC' });
    assert.deepEqual(sniffMedia(ascii('\0\0\0\x18ftypmif1\0\0\0\0')), { kind: 'other', name: 'HEIC' });
    for (const bytes of [ascii(''), ascii('GIF8'), ascii('<svg xmlns="http://www.w3.org/2000/svg">'), ascii('RIFF\0\0\0\0WAVEfmt '), ascii('%PDF-1.7'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]), ascii('\xff\xd8')]) {
      assert.equal(sniffMedia(bytes), null, JSON.stringify([...bytes]));
    }
  });

  it('says what a refused file is', () => {
    assert.equal(describeSniffed(null), 'not an image or a video Localpost can read');
    assert.equal(describeSniffed({ kind: 'other', name: 'HEIC' }), 'a HEIC image, which Localpost cannot read');
    assert.equal(describeSniffed({ kind: 'video', container: 'mp4' }), 'a video');
  });
});
