// The media worker as a real process (test/harness/forkedMediaWorker.ts, what Electron's utility
// process is to the app): the same answers and refusals as the tools give in the core's own
// process, a worker that is killed replaced at the next job, the worker gone once idle; and the
// core publishing a photo whose every decode happened in the worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../src-main/core/errors';
import { createLogger, silentSink } from '../../src-main/core/log/logger';
import { MediaProcess } from '../../src-main/core/media/mediaProcess';
import { inProcessMediaTools } from '../../src-main/core/media/mediaTools';
import { noisyJpeg, smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';
import { startCore } from '../harness/coreClient';
import { forkedMediaWorker } from '../harness/forkedMediaWorker';
import { discordWebhookUrl, startWebhookPlatformMocks, telegramBotToken, telegramChat, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';
import { waitFor } from '../harness/waitFor';

const log = createLogger('test', [silentSink]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the media worker process', () => {
  it('fits a photo, makes previews and pictures, probes a video and finds its poster frame as the tools do here', async () => {
    const launcher = forkedMediaWorker();
    const media = new MediaProcess({ launcher, log });
    try {
      const photo = await noisyJpeg(2400, 1600);
      // What the tools give in this process first: the worker's jobs then follow one another
      // within its idle time even on a busy machine.
      const here = await inProcessMediaTools.fitImage(photo);
      const hereProbe = await inProcessMediaTools.probeVideo(videoFixtures.mp4);
      const herePoster = await inProcessMediaTools.posterSource(videoFixtures.mp4);
      const fitted = await media.tools.fitImage(photo);
      assert.ok(Buffer.isBuffer(fitted.data));
      assert.deepEqual({ mime: fitted.mime, width: fitted.width, height: fitted.height }, { mime: here.mime, width: here.width, height: here.height });
      assert.deepEqual(await sharp(fitted.data).metadata().then(({ format, width }) => ({ format, width })), { format: 'jpeg', width: 2000 });
      assert.match(await media.tools.previewDataUrl(fitted.data), /^data:image\/jpeg;base64,/);
      assert.match(await media.tools.avatarDataUrl(await smallPng()), /^data:image\/webp;base64,/);
      assert.ok(Buffer.isBuffer(await media.tools.asJpeg(await smallPng())));
      assert.deepEqual(await media.tools.probeVideo(videoFixtures.mp4), hereProbe);
      assert.deepEqual(await media.tools.posterSource(videoFixtures.mp4), herePoster);
      assert.equal(launcher.pids.length, 1, 'one worker for the whole batch');
    } finally {
      media.stop();
    }
  });

  it('refuses what is not an image, or not a video, with the same code and words as here', async () => {
    const media = new MediaProcess({ launcher: forkedMediaWorker(), log });
    try {
      const notImage = Buffer.from('not an image at all');
      const hereImage = await inProcessMediaTools.fitImage(notImage).catch((error: AppError) => error.toBridge());
      await assert.rejects(media.tools.fitImage(notImage), (error: unknown) => error instanceof AppError && assert.deepEqual(error.toBridge(), hereImage) === undefined);
      const notVideo = new URL('../fixtures/images.ts', import.meta.url).pathname;
      const hereVideo = await inProcessMediaTools.probeVideo(notVideo).catch((error: AppError) => error.toBridge());
      await assert.rejects(media.tools.probeVideo(notVideo), (error: unknown) => error instanceof AppError && assert.deepEqual(error.toBridge(), hereVideo) === undefined);
    } finally {
      media.stop();
    }
  });

  it('a worker killed from outside costs nothing but itself: the next job starts another', async () => {
    const launcher = forkedMediaWorker();
    const media = new MediaProcess({ launcher, log });
    try {
      await media.tools.avatarDataUrl(await smallPng());
      process.kill(launcher.pids[0]!, 'SIGKILL');
      await waitFor(() => (media.running ? undefined : true), 'the core to see the worker gone');
      assert.match(await media.tools.avatarDataUrl(await smallPng()), /^data:image\/webp/);
      assert.equal(launcher.pids.length, 2);
    } finally {
      media.stop();
    }
  });

  it('is gone once idle, and with it all the memory it held', async () => {
    const launcher = forkedMediaWorker();
    const media = new MediaProcess({ launcher, log, idleMs: 200 });
    try {
      await media.tools.fitImage(await noisyJpeg(1600, 1200));
      const [pid] = launcher.pids;
      assert.ok(alive(pid!));
      await waitFor(() => (alive(pid!) ? undefined : true), 'the idle worker to end', 100);
      assert.equal(media.running, false);
    } finally {
      media.stop();
    }
  });
});

describe('the core with its media in a worker process', () => {
  let mocks: WebhookPlatformMocks;
  before(async () => {
    mocks = await startWebhookPlatformMocks();
  });
  after(() => mocks.close());

  it('attaches a photo, shows its preview and publishes it, every decode done in the worker, which the core ends when it closes', async () => {
    const launcher = forkedMediaWorker();
    const app = await startCore({ env: mocks.env, mediaWorker: launcher });
    try {
      const discord = (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account;
      const telegram = (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) })).account;
      const draft = await app.call('drafts.create', {});
      await app.call('drafts.save', { id: draft.id, text: 'A photo from the worker', targetAccountIds: [discord.id, telegram.id], langs: ['en'] });
      const image = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'walk.jpg', bytes: new Uint8Array(await noisyJpeg(2400, 1600)) });
      assert.deepEqual([image.mime, image.width, image.height], ['image/jpeg', 2000, 1333]);
      assert.match(image.previewDataUrl, /^data:image\/jpeg;base64,/);
      await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: image.id, alt: 'A path through a wood' });
      const post = await app.call('publish.now', { draftId: draft.id });
      assert.deepEqual(
        post.targets.map((target) => target.status),
        ['published', 'published'],
      );
      const sentPhoto = mocks.requests.find((r) => r.platform === 'telegram' && r.path.endsWith('/sendPhoto'))!;
      assert.equal((sentPhoto.body.photo as { type: string }).type, 'image/jpeg');
      assert.equal(launcher.pids.length, 1);
      const [pid] = launcher.pids;
      assert.ok(alive(pid!));
      app.close();
      await waitFor(() => (alive(pid!) ? undefined : true), 'the worker to end with the core', 100);
    } finally {
      app.close();
    }
  });
});
