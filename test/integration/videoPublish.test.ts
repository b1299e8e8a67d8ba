// A video through the outbox to Discord and Telegram, against their contract mocks: the file is
// streamed from the post's own folder as multipart (the mock hashes what arrives), the platforms'
// limits are preflight's before anything is sent, a scheduled post keeps its video through Edit,
// uploads show bytes sent while they run, a lost answer is left to the user as for text, and
// memory does not grow with the file.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { platformRules } from '../../src-shared/platforms';
import { smallPng } from '../fixtures/images';
import { largeMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { publishWatchingProgress } from '../harness/publishWatchingProgress';
import {
  discordWebhookUrl,
  startWebhookPlatformMocks,
  telegramBotToken,
  telegramChat,
  type RecordedRequest,
  type WebhookPlatformMocks,
} from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

const sha256 = async (file: string) => {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};
const lastPost = (platform: RecordedRequest['platform']) => [...mocks.requests].reverse().find((r) => r.platform === platform && r.method === 'POST')!;
const postFolder = (app: CoreClient, postId: string) => path.join(app.dataDir, 'media', 'posts', postId);

async function connectBoth(app: CoreClient) {
  const discord = (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account;
  const telegram = (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) })).account;
  return { discord, telegram };
}

async function draftWithVideo(app: CoreClient, accountIds: string[], text: string, file: string, images = 0) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds, langs: ['en'] });
  for (let i = 0; i < images; i++) {
    const image = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'a.png', bytes: new Uint8Array(await smallPng(120, 80)) });
    await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: image.id, alt: `Picture ${i + 1}` });
  }
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.ok(added.outcome === 'added');
  return { draftId: draft.id, video: added.video };
}

describe('a video published to Discord and Telegram', () => {
  it('goes to both, streamed from disk byte for byte, with the facts each platform asks for, and its files go once done', async () => {
    const app = await startCore({ env: mocks.env });
    const { discord, telegram } = await connectBoth(app);
    const { draftId } = await draftWithVideo(app, [discord.id, telegram.id], 'Our launch clip', videoFixtures.mp4);
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    const post = await app.call('publish.now', { draftId });
    assert.deepEqual(post.targets.map((t) => [t.platform, t.status, t.progress]).sort(), [
      ['discord', 'published', null],
      ['telegram', 'published', null],
    ]);
    const fixtureHash = await sha256(videoFixtures.mp4);
    const size = fs.statSync(videoFixtures.mp4).size;

    const toDiscord = lastPost('discord');
    assert.match(toDiscord.contentType, /^multipart\/form-data; boundary=/);
    assert.deepEqual(toDiscord.body['files[0]'], { filename: 'video.mp4', type: 'video/mp4', size, sha256: fixtureHash });
    assert.deepEqual(JSON.parse(String(toDiscord.body.payload_json)), { content: 'Our launch clip', attachments: [{ id: 0, filename: 'video.mp4' }] });
    assert.ok(toDiscord.contentLength! > size, 'sent with its exact length, not chunked');

    const toTelegram = lastPost('telegram');
    assert.match(toTelegram.path, /\/sendVideo$/);
    assert.deepEqual(toTelegram.body.video, { filename: 'video.mp4', type: 'video/mp4', size, sha256: fixtureHash });
    assert.deepEqual(
      [toTelegram.body.chat_id, toTelegram.body.caption, toTelegram.body.width, toTelegram.body.height, toTelegram.body.duration, toTelegram.body.supports_streaming],
      [String(telegramChat.id), 'Our launch clip', '160', '90', '1', 'true'],
    );
    // Published everywhere: nothing will send it again, so the post's copy of the video goes.
    assert.equal(fs.existsSync(postFolder(app, post.id)), false);
    app.close();
  });

  it('sends a video with images as one message: Discord attachments, a Telegram album', async () => {
    const app = await startCore({ env: mocks.env });
    const { discord, telegram } = await connectBoth(app);
    const { draftId } = await draftWithVideo(app, [discord.id, telegram.id], 'Pictures and a clip', videoFixtures.mp4, 2);
    const post = await app.call('publish.now', { draftId });
    assert.deepEqual(post.targets.map((t) => t.status), ['published', 'published']);
    const fixtureHash = await sha256(videoFixtures.mp4);

    const toDiscord = lastPost('discord');
    assert.deepEqual(
      JSON.parse(String(toDiscord.body.payload_json)).attachments,
      [
        { id: 0, filename: 'image-1.png', description: 'Picture 1' },
        { id: 1, filename: 'image-2.png', description: 'Picture 2' },
        { id: 2, filename: 'video.mp4' },
      ],
    );
    assert.equal((toDiscord.body['files[2]'] as { sha256: string }).sha256, fixtureHash);

    const toTelegram = lastPost('telegram');
    assert.match(toTelegram.path, /\/sendMediaGroup$/);
    assert.deepEqual(JSON.parse(String(toTelegram.body.media)), [
      { type: 'photo', media: 'attach://photo0', caption: 'Pictures and a clip' },
      { type: 'photo', media: 'attach://photo1' },
      { type: 'video', media: 'attach://video', width: '160', height: '90', duration: '1', supports_streaming: 'true' },
    ]);
    assert.equal((toTelegram.body.video as { sha256: string }).sha256, fixtureHash);
    app.close();
  });

  it('refuses a video over each platform’s upload limit in preflight, before anything is sent', async () => {
    const app = await startCore({ env: mocks.env });
    const { discord, telegram } = await connectBoth(app);
    const scratch = videoScratchDir();
    // 10 MiB and one byte: over Discord's limit for a server without boosts, well under Telegram's.
    const overDiscord = await draftWithVideo(app, [discord.id, telegram.id], 'Too big for Discord', largeMp4(scratch, 10 * 1024 * 1024 + 1, 'eleven.mp4'));
    const issues = await app.call('drafts.preflight', { id: overDiscord.draftId });
    assert.deepEqual(issues.map((i) => [i.ruleId, i.accountId]), [['video.size', discord.id]]);
    assert.match(issues[0]!.message, /The video is 10 MB, over the 10 MB Discord for announcements takes/);
    // 50 MiB and one byte: over what a bot may upload.
    const overTelegram = await draftWithVideo(app, [telegram.id], 'Too big for a bot', largeMp4(scratch, 50 * 1024 * 1024 + 1, 'fifty.mp4'));
    assert.deepEqual((await app.call('drafts.preflight', { id: overTelegram.draftId })).map((i) => [i.ruleId, i.accountId]), [['video.size', telegram.id]]);
    const before = mocks.requests.length;
    for (const { draftId } of [overDiscord, overTelegram]) await assert.rejects(app.call('publish.now', { draftId }), { code: 'preflight_failed' });
    assert.equal(mocks.requests.length, before, 'nothing was sent');
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });

  it('takes Telegram’s 413 for a file over its limit as media_too_large, failed for good, the video kept for Retry', async () => {
    // A mock whose Bot API takes less than this video: its own 413 answer, as Telegram words it.
    const strict = await startWebhookPlatformMocks({ telegramUploadLimit: 1000 });
    const app = await startCore({ env: strict.env });
    const { telegram } = await connectBoth(app);
    const { draftId } = await draftWithVideo(app, [telegram.id], 'Refused', videoFixtures.mp4);
    const post = await app.call('publish.now', { draftId });
    const target = post.targets[0]!;
    assert.equal(target.status, 'failed_permanent');
    assert.equal(target.error?.code, 'media_too_large');
    assert.match(target.error!.message, /Telegram refused the upload as too large/);
    assert.equal(target.progress, null);
    assert.ok(fs.readdirSync(postFolder(app, post.id)).some((f) => f.endsWith('.mp4')), 'kept for Retry');
    app.close();
    await strict.close();
  });
});

describe('a scheduled post with a video', () => {
  it('keeps its video through Edit (file, facts, poster), and the edited post sends the same bytes', async () => {
    const app = await startCore({ env: mocks.env });
    const { discord } = await connectBoth(app);
    const { draftId, video } = await draftWithVideo(app, [discord.id], 'Later', videoFixtures.mov);
    const withPoster = await app.call('drafts.setVideoPoster', { draftId, videoId: video.id, jpeg: new Uint8Array(await smallPng(90, 160)) });
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
    const scheduled = await app.call('publish.schedule', { draftId, schedule: { local: tomorrow, zone: 'UTC' } });
    assert.equal(scheduled.phase, 'scheduled');
    assert.deepEqual((await app.call('drafts.list', {})).filter((d) => d.id === draftId), [], 'the draft became the post');
    assert.deepEqual(fs.readdirSync(postFolder(app, scheduled.id)).sort(), [`${video.id}.mov`, `poster-${video.id}.png`].sort());

    const restored = await app.call('outbox.edit', { postId: scheduled.id });
    const { id: _id, posterDataUrl, ...facts } = restored.video!;
    const { id: _was, posterDataUrl: posterBefore, ...factsBefore } = withPoster;
    assert.deepEqual(facts, factsBefore);
    assert.equal(posterDataUrl, posterBefore);
    assert.equal(restored.text, 'Later');
    assert.equal(fs.existsSync(postFolder(app, scheduled.id)), false, 'the post and its folder are gone');
    const restoredFile = path.join(app.dataDir, 'media', restored.id, fs.readdirSync(path.join(app.dataDir, 'media', restored.id)).find((f) => f.endsWith('.mov'))!);
    assert.deepEqual(fs.readFileSync(restoredFile), fs.readFileSync(videoFixtures.mov));

    assert.deepEqual(restored.targetAccountIds, [discord.id]);

    const published = await app.call('publish.now', { draftId: restored.id });
    assert.equal(published.targets[0]!.status, 'published');
    assert.deepEqual(lastPost('discord').body['files[0]'], { filename: 'video.mov', type: 'video/quicktime', size: video.bytes, sha256: await sha256(videoFixtures.mov) });
    app.close();
  });

  it('exports the queued post with its video', async () => {
    const app = await startCore({ env: mocks.env });
    const { discord } = await connectBoth(app);
    const { draftId, video } = await draftWithVideo(app, [discord.id], 'Exported', videoFixtures.webm);
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
    const scheduled = await app.call('publish.schedule', { draftId, schedule: { local: tomorrow, zone: 'UTC' } });
    const target = videoScratchDir();
    app.answerFolderDialog(target);
    const summary = await app.call('data.export', {});
    assert.ok(summary.outcome === 'saved');
    const exportDir = path.join(target, summary.folderName);
    const document = JSON.parse(fs.readFileSync(path.join(exportDir, 'localpost-export.json'), 'utf8'));
    const exported = document.profiles[0].posts.find((p: { id: string }) => p.id === scheduled.id).video;
    assert.equal(exported.file, `media/posts/${scheduled.id}/${video.id}.webm`);
    assert.deepEqual(fs.readFileSync(path.join(exportDir, exported.file)), fs.readFileSync(videoFixtures.webm));
    assert.deepEqual([exported.container, exported.videoCodec, exported.bytes, exported.posterFile], ['webm', 'vp9', video.bytes, null]);
    app.close();
  });
});

describe('upload progress', () => {
  it('shows bytes sent of the whole request while a video uploads, throttled, and nothing once it is done', async () => {
    const app = await startCore({ env: mocks.env });
    const { telegram } = await connectBoth(app);
    const scratch = videoScratchDir();
    const file = largeMp4(scratch, 24 * 1024 * 1024, 'progress.mp4');
    const { draftId } = await draftWithVideo(app, [telegram.id], 'Watch it go', file);
    // 12 MB a second: about two seconds for the upload, long enough to be seen.
    mocks.throttleUploads(12 * 1024 * 1024);
    const count = (event: string) => app.traffic.filter((t) => t.includes(`"event":"${event}"`)).length;
    const before = { progress: count('upload.progress'), history: count('history.changed'), outbox: count('outbox.changed') };
    const { post, seen } = await publishWatchingProgress(app, draftId, 50);
    mocks.throttleUploads(null);
    assert.equal(post.targets[0]!.status, 'published');
    assert.equal(post.targets[0]!.progress, null, 'reset on completion');
    const declared = lastPost('telegram').contentLength!;
    assert.ok(seen.length >= 5, `progress seen ${seen.length} times`);
    assert.ok(seen.every((p) => p.totalBytes === declared), 'of the whole request, as sent');
    assert.ok(seen.some((p) => p.sentBytes > 0 && p.sentBytes < declared / 2), 'seen early');
    assert.ok(
      seen.every((p, i) => i === 0 || p.sentBytes >= seen[i - 1]!.sentBytes),
      'never backwards',
    );
    // Hundreds of pieces, a few progress events: at most one every 100 ms, and the upload took
    // seconds. The post itself changed only a few times (claimed, published): History and the
    // queue are told of those, not of each tick.
    const progressEvents = count('upload.progress') - before.progress;
    assert.ok(progressEvents > 5 && progressEvents < 60, `${progressEvents} upload.progress events`);
    const ticks = app.traffic.filter((t) => t.includes('"event":"upload.progress"')).map((t) => (JSON.parse(t) as { payload: Record<string, unknown> }).payload);
    assert.deepEqual(Object.keys(ticks.at(-1)!).sort(), ['accountId', 'postId', 'sentBytes', 'totalBytes']);
    assert.ok(ticks.every((tick) => tick.postId === post.id && tick.accountId === telegram.id && tick.totalBytes === declared));
    const historyEvents = count('history.changed') - before.history;
    const outboxEvents = count('outbox.changed') - before.outbox;
    assert.ok(historyEvents <= 3 && outboxEvents <= 3, `${historyEvents} history.changed and ${outboxEvents} outbox.changed events during the upload`);
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });
});

describe('a slow upload', () => {
  it('is not cut off while it moves: the request timeout runs from the last chunk sent', async () => {
    // A one-second timeout, and an upload of about three seconds that never stalls.
    const app = await startCore({ env: mocks.env, httpTimeoutMs: 1000 });
    const { telegram } = await connectBoth(app);
    const scratch = videoScratchDir();
    const { draftId } = await draftWithVideo(app, [telegram.id], 'Slow but steady', largeMp4(scratch, 24 * 1024 * 1024, 'slow.mp4'));
    mocks.throttleUploads(8 * 1024 * 1024);
    const started = Date.now();
    const post = await app.call('publish.now', { draftId }).finally(() => mocks.throttleUploads(null));
    assert.ok(Date.now() - started > 1500, `took ${Date.now() - started} ms, longer than the timeout`);
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });
});

describe('a lost answer after a video upload', () => {
  for (const platform of ['discord', 'telegram'] as const) {
    it(`leaves the ${platform} target unknown for the user to settle, and sends nothing again by itself`, async () => {
      const app = await startCore({ env: mocks.env });
      const accounts = await connectBoth(app);
      const account = accounts[platform];
      const { draftId } = await draftWithVideo(app, [account.id], `Lost on ${platform}`, videoFixtures.mp4);
      mocks.loseNextAnswer(platform);
      const before = mocks.requests.length;
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'unknown');
      assert.equal(post.targets[0]!.progress, null);
      assert.equal(mocks.requests.length, before + 1, 'one upload reached the platform');
      // The video stays for "send again"; the user decides.
      assert.ok(fs.existsSync(postFolder(app, post.id)));
      app.core.outbox.wake();
      await app.core.outbox.idle();
      assert.equal(mocks.requests.length, before + 1, 'not sent twice');
      const resent = await app.call('outbox.resolveUnknown', { postId: post.id, accountId: account.id, resolution: 'send_again' });
      await app.core.outbox.idle();
      assert.equal((await app.call('history.list', {})).find((p) => p.id === resent.id)!.targets[0]!.status, 'published');
      assert.equal(fs.existsSync(postFolder(app, post.id)), false);
      app.close();
    });
  }
});

describe('a connection dropped mid-upload', () => {
  it('was surely not sent (the body never arrived whole), so the outbox sends it again by itself, and it posts once', async () => {
    const app = await startCore({ env: mocks.env });
    const { telegram } = await connectBoth(app);
    const scratch = videoScratchDir();
    // Far larger than the loopback's socket buffers, so the cut comes while the body still flows.
    const file = largeMp4(scratch, 40 * 1024 * 1024, 'cut.mp4');
    const { draftId } = await draftWithVideo(app, [telegram.id], 'Cut off once', file);
    mocks.dropNextUploadMidway('telegram');
    const before = mocks.requests.filter((r) => r.path.endsWith('/sendVideo')).length;
    const post = await app.call('publish.now', { draftId });
    const first = post.targets[0]!;
    // Under load the outbox may already be sending it again when publish.now answers; either
    // way it is never `unknown`, since nothing can have been posted.
    assert.ok(first.status === 'queued' || first.status === 'publishing', `not unknown: nothing can have been posted (${first.status})`);
    if (first.status === 'queued') {
      assert.equal(first.error?.code, 'network_unreachable');
      assert.ok(first.nextAttemptAt !== null);
    }
    for (let i = 0; i < 400 && (await app.call('history.list', {})).find((p) => p.id === post.id)?.targets[0]?.status !== 'published'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const done = (await app.call('history.list', {})).find((p) => p.id === post.id)!.targets[0]!;
    assert.equal(done.status, 'published', JSON.stringify(done.error));
    assert.equal(done.attempts, 2);
    const arrived = mocks.requests.filter((r) => r.path.endsWith('/sendVideo')).slice(before);
    assert.equal(arrived.length, 1, 'one whole upload, one message');
    assert.equal((arrived[0]!.body.video as { sha256: string }).sha256, await sha256(file));
    fs.rmSync(scratch, { recursive: true, force: true });
    app.close();
  });
});

describe('a video upload refused on the way', () => {
  const sendsVideo = (platform: 'discord' | 'telegram') => (r: RecordedRequest) =>
    r.platform === platform && r.method === 'POST' && (platform === 'discord' || r.path.endsWith('/sendVideo'));
  const target = async (app: CoreClient, postId: string) => (await app.call('history.list', {})).find((p) => p.id === postId)!.targets[0]!;
  async function until(app: CoreClient, postId: string, status: string) {
    for (let i = 0; i < 400 && (await target(app, postId)).status !== status; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    return target(app, postId);
  }

  const failures = {
    discord: {
      unavailable: { status: 503, body: { message: 'Service Unavailable', code: 0 } },
      limited: { status: 429, body: { message: 'You are being rate limited.', retry_after: 1.2, global: false }, headers: { 'retry-after': '2' } },
    },
    telegram: {
      unavailable: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } },
      limited: { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } },
    },
  } as const;

  for (const platform of ['discord', 'telegram'] as const) {
    it(`${platform}: a 5xx and a rate limit are tried again when their time comes, with the video kept, and it posts once`, async () => {
      const app = await startCore({ env: mocks.env });
      const account = (await connectBoth(app))[platform];
      const { draftId } = await draftWithVideo(app, [account.id], `Flaky ${platform}`, videoFixtures.mp4);
      mocks.answerNext(platform, failures[platform].unavailable);
      mocks.answerNext(platform, failures[platform].limited);
      const before = mocks.requests.filter(sendsVideo(platform)).length;
      const started = Date.now();
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'queued');
      assert.ok(fs.existsSync(postFolder(app, post.id)), 'the video waits in the post’s folder');
      const limited = await (async () => {
        for (let i = 0; i < 400; i++) {
          const t = await target(app, post.id);
          if (t.error?.code === 'rate_limited') return t;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        assert.fail('the rate limit was never reported');
      })();
      assert.ok(limited.nextAttemptAt! >= started + 1000, 'not before the platform said');
      const done = await until(app, post.id, 'published');
      assert.equal(done.status, 'published', JSON.stringify(done.error));
      assert.equal(done.attempts, 3);
      const sent = mocks.requests.filter(sendsVideo(platform)).slice(before);
      assert.equal(sent.length, 3, 'two refused, one accepted');
      assert.equal(fs.existsSync(postFolder(app, post.id)), false, 'the video goes once posted');
      app.close();
    });
  }

  it('a revoked bot token holds the video post until the account is reconnected, then it posts once', async () => {
    const local = await startWebhookPlatformMocks();
    const app = await startCore({ env: local.env });
    try {
      const telegram = (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) })).account;
      const { draftId } = await draftWithVideo(app, [telegram.id], 'After the revoke', videoFixtures.mp4);
      local.revoke('telegram');
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'queued');
      assert.equal(post.targets[0]!.error?.code, 'platform_auth_failed');
      const account = (await app.call('accounts.list', {})).find((a) => a.id === telegram.id)!;
      assert.notEqual(account.status, 'connected');
      assert.ok(fs.existsSync(postFolder(app, post.id)), 'the video is kept for when it can go');
      assert.equal(local.requests.filter((r) => r.path.endsWith('/sendVideo')).length, 1, 'the refused one only');

      local.restore('telegram');
      await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) });
      const done = await until(app, post.id, 'published');
      assert.equal(done.status, 'published', JSON.stringify(done.error));
      const sent = local.requests.filter((r) => r.path.endsWith('/sendVideo'));
      assert.equal(sent.length, 2, 'the refused one, then the one that posted');
      assert.equal((sent[1]!.body.video as { sha256: string }).sha256, await sha256(videoFixtures.mp4));
    } finally {
      app.close();
      await local.close();
    }
  });
});

describe('memory while uploading', () => {
  it('stays flat: a 200 MB video reaches Telegram byte for byte with little RSS growth', async (t) => {
    // Over the Bot API's 50 MB: as through a local Bot API server, which takes files up to
    // 2000 MB (the mock's limit and preflight's, for this test only).
    const limits = platformRules.telegram.video!;
    const documented = limits.maxBytes;
    limits.maxBytes = 2000 * 1024 * 1024;
    const local = await startWebhookPlatformMocks({ telegramUploadLimit: limits.maxBytes });
    const app = await startCore({ env: local.env });
    const scratch = videoScratchDir();
    try {
      const telegram = (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) })).account;
      const size = 200 * 1024 * 1024;
      const file = largeMp4(scratch, size, 'big.mp4');
      const expected = await sha256(file);
      const { draftId } = await draftWithVideo(app, [telegram.id], 'Big one', file);
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const started = performance.now();
      const post = await app.call('publish.now', { draftId }).finally(() => clearInterval(sampler));
      const seconds = (performance.now() - started) / 1000;
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      const received = [...local.requests].reverse().find((r) => r.path.endsWith('/sendVideo'))!;
      assert.deepEqual(received.body.video, { filename: 'video.mp4', type: 'video/mp4', size, sha256: expected });
      const growthMb = (peak - before) / 1024 / 1024;
      t.diagnostic(`200 MB to the Telegram mock in ${seconds.toFixed(2)} s; RSS ${(before / 1048576).toFixed(0)} MB, peak growth ${growthMb.toFixed(1)} MB`);
      // Loose on purpose (the mock shares the process, the allocator keeps what it got): reading
      // the file whole would add 200 MB at least. bench/video-upload-memory.ts measures precisely.
      assert.ok(growthMb < 100, `RSS grew ${growthMb.toFixed(1)} MB`);
    } finally {
      limits.maxBytes = documented;
      fs.rmSync(scratch, { recursive: true, force: true });
      app.close();
      await local.close();
    }
  });
});
