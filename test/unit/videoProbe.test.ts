import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posterSource, probeVideo } from '../../src-main/core/compose/videoProbe';
import { AppError } from '../../src-main/core/errors';
import { cutShort, textNamedMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';

const unsupported = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, 'media_unsupported');
  assert.match(error.message, pattern);
  return true;
};

describe('probeVideo', () => {
  it('reads an MP4: H.264 and AAC, its length, size and frame rate', async () => {
    const facts = await probeVideo(videoFixtures.mp4);
    assert.deepEqual(facts, {
      container: 'mp4',
      mime: 'video/mp4',
      videoCodec: 'avc',
      videoCodecString: facts.videoCodecString,
      audioCodec: 'aac',
      durationSeconds: 1,
      width: 160,
      height: 90,
      frameRate: 24,
      bytes: fs.statSync(videoFixtures.mp4).size,
    });
    assert.match(facts.videoCodecString ?? '', /^avc1\./);
  });

  it('reads a WebM: VP9 and Opus', async () => {
    const facts = await probeVideo(videoFixtures.webm);
    assert.equal(facts.container, 'webm');
    assert.equal(facts.mime, 'video/webm');
    assert.equal(facts.videoCodec, 'vp9');
    assert.equal(facts.audioCodec, 'opus');
    assert.equal(facts.frameRate, 25);
    assert.ok(Math.abs(facts.durationSeconds - 1.007) < 0.01, String(facts.durationSeconds));
    assert.deepEqual([facts.width, facts.height], [160, 90]);
  });

  it('reads a silent portrait MOV whose index comes after its data', async () => {
    const facts = await probeVideo(videoFixtures.mov);
    assert.equal(facts.container, 'mov');
    assert.equal(facts.mime, 'video/quicktime');
    assert.equal(facts.audioCodec, null);
    assert.deepEqual([facts.width, facts.height, facts.frameRate], [90, 160, 30]);
  });

  it('decides by content, not by name: a WebM named .mp4 is a WebM', async () => {
    const dir = videoScratchDir();
    const misnamed = path.join(dir, 'really-webm.mp4');
    fs.copyFileSync(videoFixtures.webm, misnamed);
    assert.equal((await probeVideo(misnamed)).container, 'webm');
  });

  it('refuses a text file named .mp4 with media_unsupported', async () => {
    await assert.rejects(probeVideo(textNamedMp4(videoScratchDir())), unsupported(/not a video Localpost can read/));
  });

  it('refuses an MP4 cut short after its index: its frames are missing', async () => {
    const dir = videoScratchDir();
    const size = fs.statSync(videoFixtures.mp4).size;
    await assert.rejects(probeVideo(cutShort(videoFixtures.mp4, Math.floor(size * 0.6), dir, 'cut.mp4')), unsupported(/damaged or cut short/));
  });

  it('refuses a MOV cut before its index: no video track to find', async () => {
    const dir = videoScratchDir();
    await assert.rejects(probeVideo(cutShort(videoFixtures.mov, 3000, dir, 'cut.mov')), unsupported(/no video track/));
  });

  it('refuses a WebM cut inside its first frame', async () => {
    const dir = videoScratchDir();
    await assert.rejects(probeVideo(cutShort(videoFixtures.webm, 600, dir, 'cut.webm')), unsupported(/./));
  });

  it('names what it found when the container is not MP4, MOV or WebM', async () => {
    const dir = videoScratchDir();
    // A WAV file: RIFF header, PCM format chunk, a little silence.
    const wav = Buffer.alloc(44 + 800);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(36 + 800, 4);
    wav.write('WAVEfmt ', 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36);
    wav.writeUInt32LE(800, 40);
    const file = path.join(dir, 'sound.mp4');
    fs.writeFileSync(file, wav);
    await assert.rejects(probeVideo(file), unsupported(/^That file's format is WAVE, not MP4, MOV or WebM\.$/));
  });
});

describe('posterSource', () => {
  it('gives one key frame and the decoder setup of an H.264 video, not the video', async () => {
    const source = await posterSource(videoFixtures.mp4);
    assert.match(source.codec, /^avc1\./);
    assert.deepEqual([source.codedWidth, source.codedHeight, source.rotation], [160, 90, 0]);
    assert.ok(source.description && source.description.byteLength > 0, 'avcC');
    assert.ok(source.keyFrame.byteLength > 0 && source.keyFrame.byteLength < fs.statSync(videoFixtures.mp4).size);
  });

  it('gives a VP9 key frame without setup bytes', async () => {
    const source = await posterSource(videoFixtures.webm);
    assert.match(source.codec, /^vp09\./);
    assert.equal(source.description, null);
    assert.ok(source.keyFrame.byteLength > 0);
  });
});
