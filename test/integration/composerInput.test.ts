// What the composer's drop, paste and reorder hand the real core: a dropped video's path (taken as
// the open dialog's answer is, and checked as strictly), an image's bytes (sniffed, capped), and
// a new order of the images, kept in draft_images.position and published in that order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { maxImageFileBytes } from '../../src-shared/compose/mediaFiles';
import { smallPng } from '../fixtures/images';
import { textNamedMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { discordWebhookUrl, startWebhookPlatformMocks, type RecordedRequest, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

const lastPost = (platform: RecordedRequest['platform']) => [...mocks.requests].reverse().find((r) => r.platform === platform && r.method === 'POST')!;
const draftFiles = (app: CoreClient, draftId: string) => {
  const dir = path.join(app.dataDir, 'media', draftId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message ?? '', message);
    return true;
  });
}

describe('a video dropped on the composer', () => {
  it('is taken by its path exactly as the open dialog’s answer is: probed, copied byte for byte', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const added = await app.call('drafts.addVideoFile', { draftId: draft.id, path: videoFixtures.webm });
    assert.ok(added.outcome === 'added');
    assert.equal(added.video.container, 'webm');
    assert.equal(app.fileDialogs.length, 0, 'no dialog was opened');
    const stored = path.join(app.dataDir, 'media', draft.id, `${added.video.id}.webm`);
    assert.deepEqual(fs.readFileSync(stored), fs.readFileSync(videoFixtures.webm));
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).video, added.video);
    // A second one is refused as a second picked one is.
    await rejectsWith(app.call('drafts.addVideoFile', { draftId: draft.id, path: videoFixtures.mp4 }), 'preflight_failed', /one video/);
    app.close();
  });

  it('refuses a path the open dialog could never have answered, with media_unsupported, the draft untouched', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const scratch = videoScratchDir();
    fs.mkdirSync(path.join(scratch, 'folder.mp4'));
    fs.copyFileSync(videoFixtures.mp4, path.join(scratch, 'clip.txt'));
    const refused: Array<[string, RegExp]> = [
      ['test/fixtures/video/clip.mp4', /no usable place/],
      [`${path.dirname(videoFixtures.mp4)}/../video/clip.mp4`, /no usable place/],
      [path.join(scratch, 'clip.txt'), /not named as an MP4, MOV or WebM/],
      ['/etc/passwd', /not named as an MP4, MOV or WebM/],
      [path.join(scratch, 'gone.mp4'), /cannot be found/],
      [path.join(scratch, 'folder.mp4'), /is not a file/],
      [textNamedMp4(scratch), /not a video Localpost can read/],
    ];
    for (const [file, message] of refused) {
      await rejectsWith(app.call('drafts.addVideoFile', { draftId: draft.id, path: file }), 'media_unsupported', message);
    }
    assert.equal((await app.call('drafts.get', { id: draft.id })).video, null);
    assert.deepEqual(draftFiles(app, draft.id), []);
    app.close();
  });
});

describe('an image dropped or pasted on the composer (bytes)', () => {
  it('is told by its first bytes, not its name, and refused above the size cap with media_too_large', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    // A PNG named as a text file is still a PNG.
    const png = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'notes.txt', bytes: new Uint8Array(await smallPng(80, 60)) });
    assert.equal(png.width, 80);
    await rejectsWith(
      app.call('drafts.addImage', { draftId: draft.id, fileName: 'photo.png', bytes: new Uint8Array(fs.readFileSync(videoFixtures.mp4)) }),
      'media_unsupported',
      /is a video, not an image/,
    );
    await rejectsWith(app.call('drafts.addImage', { draftId: draft.id, fileName: 'photo.png', bytes: new TextEncoder().encode('not a picture at all') }), 'media_unsupported', /not an image or a video/);
    const heic = new Uint8Array(64);
    heic.set(new TextEncoder().encode('\0\0\0\x18ftypheic'));
    await rejectsWith(app.call('drafts.addImage', { draftId: draft.id, fileName: 'IMG_0001.HEIC', bytes: heic }), 'media_unsupported', /HEIC/);
    const huge = new Uint8Array(maxImageFileBytes + 1);
    huge.set(await smallPng(10, 10));
    await rejectsWith(app.call('drafts.addImage', { draftId: draft.id, fileName: 'huge.png', bytes: huge }), 'media_too_large', /up to 50 MB/);
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).images.map((image) => image.id), [png.id]);
    app.close();
  });
});

describe('the images’ order', () => {
  it('is kept in the core, survives a restart, and is the order published', async () => {
    let app = await startCore({ env: mocks.env });
    const discord = (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account;
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: 'In the order I chose', targetAccountIds: [discord.id], langs: ['en'] });
    const ids: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      const image = await app.call('drafts.addImage', { draftId: draft.id, fileName: `${name}.png`, bytes: new Uint8Array(await smallPng(60 + ids.length, 40)) });
      await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: image.id, alt: name });
      ids.push(image.id);
    }
    const [first, second, third] = ids as [string, string, string];
    await app.call('drafts.reorderImages', { draftId: draft.id, imageIds: [third, first, second] });
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).images.map((image) => image.alt), ['third', 'first', 'second']);

    app.close();
    app = await startCore({ env: mocks.env, dataDir: app.dataDir });
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).images.map((image) => image.alt), ['third', 'first', 'second']);

    const post = await app.call('publish.now', { draftId: draft.id });
    assert.deepEqual(post.targets.map((target) => target.status), ['published']);
    assert.deepEqual(
      JSON.parse(String(lastPost('discord').body.payload_json)).attachments.map((attachment: { description: string }) => attachment.description),
      ['third', 'first', 'second'],
    );
    app.close();
  });

  it('is refused with invalid_input unless it names each of the draft’s images exactly once', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const a = (await app.call('drafts.addImage', { draftId: draft.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(30, 30)) })).id;
    const b = (await app.call('drafts.addImage', { draftId: draft.id, fileName: 'b.png', bytes: new Uint8Array(await smallPng(31, 30)) })).id;
    const other = await app.call('drafts.create', {});
    const elsewhere = (await app.call('drafts.addImage', { draftId: other.id, fileName: 'c.png', bytes: new Uint8Array(await smallPng(32, 30)) })).id;
    for (const imageIds of [[a], [a, a], [b, a, a], [a, elsewhere], [a, b, elsewhere], []]) {
      await rejectsWith(app.call('drafts.reorderImages', { draftId: draft.id, imageIds }), 'invalid_input', /each of the draft’s images once/);
    }
    await rejectsWith(app.call('drafts.reorderImages', { draftId: 'no-such-draft', imageIds: [a, b] }), 'not_found');
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).images.map((image) => image.id), [a, b]);
    assert.deepEqual((await app.call('drafts.get', { id: other.id })).images.map((image) => image.id), [elsewhere]);
    app.close();
  });
});
