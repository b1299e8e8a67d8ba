// A video in a draft through the real core: chosen in the OS dialog (the test port answers it),
// probed, streamed into the data folder, refused by preflight where the platform takes no video,
// kept across a restart, removed with its draft, and exported.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it, mock } from 'node:test';
import { smallPng } from '../fixtures/images';
import { cutShort, textNamedMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { slackWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

/** Every file under the draft's media folder, hidden ones (a partial copy) included. */
const draftFiles = (app: CoreClient, draftId: string) => {
  const dir = path.join(app.dataDir, 'media', draftId);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

async function addVideo(app: CoreClient, draftId: string, file: string | null) {
  app.answerFileDialog(file);
  return app.call('drafts.addVideo', { draftId });
}

describe('a video in a draft', () => {
  it('is copied byte for byte after the OS dialog, probed, and shown with the draft', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const added = await addVideo(app, draft.id, videoFixtures.mp4);
    assert.equal(added.outcome, 'added');
    assert.ok(added.outcome === 'added');
    assert.deepEqual(app.fileDialogs.at(-1), { title: 'Add a video', extensions: ['mp4', 'm4v', 'mov', 'webm'] });
    const { video } = added;
    assert.deepEqual(
      { container: video.container, videoCodec: video.videoCodec, audioCodec: video.audioCodec, width: video.width, height: video.height, frameRate: video.frameRate, durationSeconds: video.durationSeconds },
      { container: 'mp4', videoCodec: 'avc', audioCodec: 'aac', width: 160, height: 90, frameRate: 24, durationSeconds: 1 },
    );
    assert.equal(video.bytes, fs.statSync(videoFixtures.mp4).size);
    assert.equal(video.posterDataUrl, null);
    const files = draftFiles(app, draft.id);
    assert.deepEqual(files, [`${video.id}.mp4`]);
    const stored = path.join(app.dataDir, 'media', draft.id, files[0]!);
    assert.deepEqual(fs.readFileSync(stored), fs.readFileSync(videoFixtures.mp4));
    assert.equal(fs.statSync(stored).mode & 0o777, 0o600);
    assert.deepEqual((await app.call('drafts.get', { id: draft.id })).video, video);
    // Nothing of the file crossed: the answer is facts, a few hundred bytes.
    assert.ok(JSON.stringify(added).length < 1000);
    app.close();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    assert.deepEqual(await addVideo(app, draft.id, null), { outcome: 'cancelled' });
    assert.equal((await app.call('drafts.get', { id: draft.id })).video, null);
    assert.deepEqual(draftFiles(app, draft.id), []);
    app.close();
  });

  it('refuses a text file named .mp4 and a damaged video with media_unsupported, the draft untouched', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: 'my words', targetAccountIds: [], langs: ['en'] });
    const image = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    const before = await app.call('drafts.get', { id: draft.id });
    const filesBefore = draftFiles(app, draft.id);
    const scratch = videoScratchDir();
    const damaged = cutShort(videoFixtures.mp4, Math.floor(fs.statSync(videoFixtures.mp4).size * 0.6), scratch, 'holiday.mp4');
    for (const [file, message] of [
      [textNamedMp4(scratch), /not a video Localpost can read/],
      [damaged, /damaged or cut short/],
    ] as const) {
      await assert.rejects(addVideo(app, draft.id, file), (error: any) => {
        assert.equal(error.code, 'media_unsupported');
        assert.match(error.message, message);
        assert.ok(error.error.action, 'says what to do');
        return true;
      });
    }
    const afterRefusals = await app.call('drafts.get', { id: draft.id });
    assert.deepEqual({ ...afterRefusals, updatedAt: 0 }, { ...before, updatedAt: 0 });
    assert.deepEqual(afterRefusals.images.map((i) => i.id), [image.id]);
    assert.deepEqual(draftFiles(app, draft.id), filesBefore, 'no copy, not even a partial one');
    app.close();
  });

  it('takes one video a draft', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    await addVideo(app, draft.id, videoFixtures.webm);
    await assert.rejects(addVideo(app, draft.id, videoFixtures.mp4), { code: 'preflight_failed' });
    assert.equal((await app.call('drafts.get', { id: draft.id })).video?.container, 'webm');
    app.close();
  });

  it('is refused by preflight on a target that cannot take it, and publish.now sends nothing', async () => {
    const app = await startCore({ env: mocks.env });
    const { account } = await app.call('accounts.connect', { platform: 'slack', webhookUrl: slackWebhookUrl, label: '#general' });
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: 'a clip', targetAccountIds: [account.id], langs: ['en'] });
    await addVideo(app, draft.id, videoFixtures.mp4);
    const issues = await app.call('drafts.preflight', { id: draft.id });
    assert.deepEqual(
      issues.map((issue) => [issue.ruleId, issue.accountId]),
      [['video.unsupported', account.id]],
    );
    assert.match(issues[0]!.message, /Slack takes no video from this computer/);
    const requestsBefore = mocks.requests.length;
    await assert.rejects(app.call('publish.now', { draftId: draft.id }), { code: 'preflight_failed' });
    assert.equal(mocks.requests.length, requestsBefore);
    assert.ok((await app.call('drafts.get', { id: draft.id })).video, 'the draft keeps its video');
    app.close();
  });

  it('keeps its video and poster across a restart, loses them with Remove, and with Delete draft', async () => {
    const first = await startCore({ env: mocks.env });
    const draft = await first.call('drafts.create', {});
    const added = await addVideo(first, draft.id, videoFixtures.mov);
    assert.ok(added.outcome === 'added');
    const poster = await first.call('drafts.setVideoPoster', { draftId: draft.id, videoId: added.video.id, jpeg: new Uint8Array(await smallPng(90, 160)) });
    assert.match(poster.posterDataUrl ?? '', /^data:image\/jpeg;base64,/);
    first.close();

    const second = await startCore({ env: mocks.env, dataDir: first.dataDir });
    const reopened = await second.call('drafts.get', { id: draft.id });
    assert.deepEqual(reopened.video, poster);
    await second.call('drafts.removeVideo', { draftId: draft.id, videoId: added.video.id });
    assert.equal((await second.call('drafts.get', { id: draft.id })).video, null);
    assert.deepEqual(draftFiles(second, draft.id), []);

    await addVideo(second, draft.id, videoFixtures.mp4);
    assert.equal(draftFiles(second, draft.id).length, 1);
    await second.call('drafts.delete', { id: draft.id });
    assert.equal(fs.existsSync(path.join(second.dataDir, 'media', draft.id)), false);
    second.close();
  });

  it('gives one key frame for the poster, and refuses a poster that is not an image', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const added = await addVideo(app, draft.id, videoFixtures.webm);
    assert.ok(added.outcome === 'added');
    const source = await app.call('drafts.videoPosterSource', { draftId: draft.id, videoId: added.video.id });
    assert.match(source.codec, /^vp09/);
    assert.ok(source.keyFrame.byteLength > 0 && source.keyFrame.byteLength < added.video.bytes);
    await assert.rejects(
      app.call('drafts.setVideoPoster', { draftId: draft.id, videoId: added.video.id, jpeg: new TextEncoder().encode('<svg/>') }),
      { code: 'media_unsupported' },
    );
    await assert.rejects(app.call('drafts.videoPosterSource', { draftId: draft.id, videoId: 'nope' }), { code: 'not_found' });
    app.close();
  });

  it('goes into Export my data with its facts, file and poster', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    const added = await addVideo(app, draft.id, videoFixtures.mp4);
    assert.ok(added.outcome === 'added');
    await app.call('drafts.setVideoPoster', { draftId: draft.id, videoId: added.video.id, jpeg: new Uint8Array(await smallPng(160, 90)) });
    const target = videoScratchDir();
    app.answerFolderDialog(target);
    const summary = await app.call('data.export', {});
    assert.ok(summary.outcome === 'saved');
    const exportDir = path.join(target, summary.folderName);
    const document = JSON.parse(fs.readFileSync(path.join(exportDir, 'localpost-export.json'), 'utf8'));
    const exported = document.profiles[0].drafts.find((d: { id: string }) => d.id === draft.id).video;
    assert.equal(exported.file, `media/drafts/${draft.id}/${added.video.id}.mp4`);
    assert.deepEqual(fs.readFileSync(path.join(exportDir, exported.file)), fs.readFileSync(videoFixtures.mp4));
    assert.ok(fs.existsSync(path.join(exportDir, exported.posterFile)));
    assert.deepEqual(
      [exported.container, exported.videoCodec, exported.audioCodec, exported.width, exported.height, exported.bytes],
      ['mp4', 'avc', 'aac', 160, 90, added.video.bytes],
    );
    assert.equal(summary.mediaFiles, 2);
    app.close();
  });
});

describe('two Add video at once for one draft', () => {
  it('keeps one video and one file, and refuses the other with preflight_failed', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    app.answerFileDialog(videoFixtures.mp4);
    app.answerFileDialog(videoFixtures.webm);
    const results = await Promise.allSettled([app.call('drafts.addVideo', { draftId: draft.id }), app.call('drafts.addVideo', { draftId: draft.id })]);
    const added = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(added.length, 1);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.reason.code, 'preflight_failed');
    const video = (await app.call('drafts.get', { id: draft.id })).video;
    assert.deepEqual(draftFiles(app, draft.id), [`${video!.id}.${video!.container}`]);
    app.close();
  });
});

describe('a copy that fails half-way', () => {
  it('leaves no partial file and the draft as it was', async () => {
    const app = await startCore({ env: mocks.env });
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: 'kept', targetAccountIds: [], langs: ['en'] });
    const before = await app.call('drafts.get', { id: draft.id });
    // The disk goes away after the first kilobyte: a USB stick pulled out, a network share lost.
    const failingRead = mock.method(fs, 'createReadStream', () => {
      let sent = false;
      return new Readable({
        read() {
          if (sent) {
            this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
          } else {
            sent = true;
            this.push(Buffer.alloc(1024, 1));
          }
        },
      });
    });
    try {
      await assert.rejects(addVideo(app, draft.id, videoFixtures.mp4), (error: any) => {
        assert.equal(error.code, 'media_copy_failed');
        assert.match(error.message, /could not be copied into Localpost’s data folder \(EIO\); nothing of it was kept/);
        return true;
      });
    } finally {
      failingRead.mock.restore();
    }
    assert.equal(failingRead.mock.callCount(), 1, 'the copy was really attempted');
    assert.deepEqual(draftFiles(app, draft.id), []);
    assert.deepEqual(await app.call('drafts.get', { id: draft.id }), before);
    app.close();
  });
});
