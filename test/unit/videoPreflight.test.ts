import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPreflight, type PreflightInput, type PreflightVideo } from '../../src-shared/compose/preflight';
import { formatBytes, formatDuration, videoLimitFindings } from '../../src-shared/compose/videoLimits';
import { platformIds, platformRules, type PlatformId, type VideoLimits } from '../../src-shared/platforms';

/** A phone video every platform with video limits takes: 20 s, 720 × 1280, H.264 and AAC, 8 MB. */
const phoneVideo: PreflightVideo = {
  container: 'mp4',
  videoCodec: 'avc',
  audioCodec: 'aac',
  durationSeconds: 20,
  width: 720,
  height: 1280,
  frameRate: 30,
  bytes: 8 * 1024 * 1024,
  alt: '',
};

const targetOn = (platform: PlatformId) => ({ accountId: `${platform}-1`, handle: `${platform}-account`, platform, status: 'connected' });
const base: PreflightInput = { text: 'hello', images: [], hasLinkCard: false, targets: [], requireAltText: false };
const limitsOf = (platform: PlatformId): VideoLimits => {
  const limits = platformRules[platform].video;
  assert.ok(limits, `${platform} has video limits`);
  return limits;
};
const findings = (platform: PlatformId, video: Partial<PreflightVideo>) =>
  videoLimitFindings({ ...phoneVideo, ...video }, limitsOf(platform), platformRules[platform].name).map((finding) => finding.ruleId);

/** Runs preflight as it will run once Localpost uploads video to the platform. */
function withVideoPublishable<T>(platform: PlatformId, run: () => T): T {
  const limits = limitsOf(platform);
  const was = limits.publishable;
  limits.publishable = true;
  try {
    return run();
  } finally {
    limits.publishable = was;
  }
}

/** Where Localpost uploads video today. */
const publishesVideo: readonly PlatformId[] = ['bluesky', 'discord', 'telegram', 'mastodon', 'x', 'linkedin', 'pinterest', 'tiktok', 'youtube', 'threads', 'facebook', 'instagram'];

describe('video in preflight, where Localpost does not post video yet', () => {
  it('refuses a video on every other platform with video.unsupported, saying so plainly', () => {
    for (const platform of platformIds.filter((p) => !publishesVideo.includes(p))) {
      const issues = runPreflight({ ...base, video: phoneVideo, targets: [targetOn(platform)] });
      const video = issues.filter((issue) => issue.ruleId.startsWith('video.'));
      assert.deepEqual(
        video.map((issue) => issue.ruleId),
        ['video.unsupported'],
        platform,
      );
      assert.equal(video[0]!.accountId, `${platform}-1`);
      assert.match(video[0]!.message, platform === 'slack' ? /Slack takes no video from this computer/ : /Localpost cannot post video to .+ yet: remove the video or untick/);
    }
  });

  it('counts a video as content: a post with only a video is not empty', () => {
    const ruleIds = runPreflight({ ...base, text: '', video: phoneVideo, targets: [targetOn('mastodon')] }).map((issue) => issue.ruleId);
    assert.ok(!ruleIds.includes('content.empty'));
  });

  it('has documented limits for every platform but Slack, whose webhooks take no file, publishable on Bluesky, Discord, Telegram, Mastodon, X, LinkedIn, Pinterest, TikTok, YouTube, Threads, Facebook and Instagram only', () => {
    for (const platform of platformIds) {
      const limits = platformRules[platform].video;
      if (platform === 'slack') assert.equal(limits, null);
      else {
        assert.ok(limits && limits.maxBytes > 0 && limits.containers.length > 0, platform);
        assert.equal(limits.publishable, publishesVideo.includes(platform), `${platform}: publishable exactly where its upload exists`);
      }
    }
  });
});

describe('video limits, as preflight applies them once a platform takes video', () => {
  it('passes a phone video on every platform that takes MP4 H.264 of that size', () => {
    for (const platform of ['bluesky', 'mastodon', 'x', 'telegram', 'linkedin', 'pinterest', 'discord'] as const) {
      assert.deepEqual(findings(platform, {}), [], platform);
    }
  });

  it('video.size: over the maximum, and under LinkedIn\u2019s minimum', () => {
    assert.deepEqual(findings('discord', { bytes: 10 * 1024 * 1024 + 1 }), ['video.size']);
    assert.deepEqual(findings('discord', { bytes: 10 * 1024 * 1024 }), []);
    assert.deepEqual(findings('bluesky', { bytes: 100_000_001 }), ['video.size']);
    assert.deepEqual(findings('telegram', { bytes: 51 * 1024 * 1024 }), ['video.size']);
    assert.deepEqual(findings('linkedin', { bytes: 70 * 1024 }), ['video.size']);
    const [message] = videoLimitFindings({ ...phoneVideo, bytes: 600 * 1024 * 1024 }, limitsOf('x'), 'X for @alice');
    assert.equal(message?.message, 'The video is 600 MB, over the 512 MB X for @alice takes: make it shorter or smaller.');
  });

  it('video.duration: X 0.5 to 140 s, Bluesky 3 minutes, LinkedIn at least 3 s, Pinterest at least 4 s', () => {
    assert.deepEqual(findings('x', { durationSeconds: 140 }), []);
    assert.deepEqual(findings('x', { durationSeconds: 141 }), ['video.duration']);
    assert.deepEqual(findings('x', { durationSeconds: 0.4 }), ['video.duration']);
    assert.deepEqual(findings('bluesky', { durationSeconds: 181 }), ['video.duration']);
    assert.deepEqual(findings('linkedin', { durationSeconds: 2.9 }), ['video.duration']);
    assert.deepEqual(findings('pinterest', { durationSeconds: 3 }), ['video.duration']);
    assert.deepEqual(findings('mastodon', { durationSeconds: 3 * 3600 }), [], 'Mastodon sets no length');
    const [finding] = videoLimitFindings({ ...phoneVideo, durationSeconds: 200 }, limitsOf('x'), 'X');
    assert.equal(finding?.message, 'The video lasts 3:20, longer than the 2:20 X takes: trim it.');
  });

  it('video.dimensions: pixel size in either orientation, Mastodon\u2019s pixel count, and each platform\u2019s shape', () => {
    assert.deepEqual(findings('x', { width: 1920, height: 1200 }), []);
    assert.deepEqual(findings('x', { width: 1080, height: 1920 }), [], 'an upright 1080p phone video');
    assert.deepEqual(findings('x', { width: 2560, height: 1440 }), ['video.dimensions']);
    assert.deepEqual(findings('x', { width: 1920, height: 1300 }), ['video.dimensions']);
    assert.deepEqual(findings('x', { width: 300, height: 1000 }), ['video.dimensions'], 'taller than 1:3');
    assert.deepEqual(findings('x', { width: 20, height: 40 }), ['video.dimensions']);
    assert.deepEqual(findings('mastodon', { width: 3840, height: 2160 }), []);
    assert.deepEqual(findings('mastodon', { width: 4096, height: 2160 }), ['video.dimensions']);
    assert.deepEqual(findings('linkedin', { width: 3000, height: 1000 }), ['video.dimensions'], 'wider than 2.4:1');
    assert.deepEqual(findings('pinterest', { width: 400, height: 1000 }), ['video.dimensions'], 'taller than 1:2');
    assert.deepEqual(findings('pinterest', { width: 1000, height: 2000 }), [], '1:2 itself');
  });

  it('video.frame_rate: X at most 60, LinkedIn 10 to 60, Mastodon 120', () => {
    assert.deepEqual(findings('x', { frameRate: 59.94 }), []);
    assert.deepEqual(findings('x', { frameRate: 120 }), ['video.frame_rate']);
    assert.deepEqual(findings('linkedin', { frameRate: 8 }), ['video.frame_rate']);
    assert.deepEqual(findings('mastodon', { frameRate: 120 }), []);
  });

  it('video.format and video.codec: the container, then the video codec, then the sound', () => {
    assert.deepEqual(findings('bluesky', { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' }), ['video.format']);
    assert.deepEqual(findings('mastodon', { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' }), []);
    assert.deepEqual(findings('x', { container: 'mov', videoCodec: 'hevc' }), ['video.codec']);
    assert.deepEqual(findings('pinterest', { container: 'mov', videoCodec: 'hevc' }), []);
    assert.deepEqual(findings('x', { audioCodec: 'opus' }), ['video.codec']);
    assert.deepEqual(findings('x', { audioCodec: null }), [], 'a silent video');
    const [finding] = videoLimitFindings({ ...phoneVideo, container: 'webm' }, limitsOf('linkedin'), 'LinkedIn');
    assert.equal(finding?.message, 'LinkedIn takes MP4 video, and this one is WebM: convert it.');
  });

  it('video.mix: images and a video together only where the platform puts both in one post', () => {
    const image = { alt: 'a cat' };
    const mixIds = (platform: PlatformId) =>
      withVideoPublishable(platform, () => runPreflight({ ...base, images: [image], video: phoneVideo, targets: [targetOn(platform)] }))
        .map((issue) => issue.ruleId)
        .filter((id) => id.startsWith('video.'));
    assert.deepEqual(mixIds('bluesky'), ['video.mix']);
    assert.deepEqual(mixIds('mastodon'), ['video.mix']);
    assert.deepEqual(mixIds('x'), ['video.mix']);
    assert.deepEqual(mixIds('linkedin'), ['video.mix']);
    assert.deepEqual(mixIds('telegram'), []);
    assert.deepEqual(mixIds('discord'), []);
  });

  it('counts the video as one of the files where images and a video mix (Discord: 10 attachments)', () => {
    const ids = (images: number) =>
      withVideoPublishable('discord', () =>
        runPreflight({ ...base, images: Array.from({ length: images }, () => ({ alt: 'a' })), video: phoneVideo, targets: [targetOn('discord')] }),
      ).map((issue) => issue.ruleId);
    assert.deepEqual(ids(9), []);
    assert.deepEqual(ids(10), ['media.count']);
  });

  it('counts the images with the video against Discord\u2019s upload limit, which is for the whole message', () => {
    const mixed = (platform: PlatformId, imageBytes: number) =>
      runPreflight({ ...base, images: [{ alt: 'a', bytes: imageBytes }], video: { ...phoneVideo, bytes: 9 * 1024 * 1024 }, targets: [targetOn(platform)] });
    assert.deepEqual(mixed('discord', 512 * 1024).map((issue) => issue.ruleId), []);
    const over = mixed('discord', 1536 * 1024);
    assert.deepEqual(over.map((issue) => [issue.ruleId, issue.accountId]), [['video.size', 'discord-1']]);
    assert.equal(over[0]!.message, "The video and images come to 10.5 MB, over the 10 MB Discord for discord-account takes for one message's files: remove an image or make the video smaller.");
    // Telegram's limit is per file: a big photo next to the video is fine.
    assert.deepEqual(mixed('telegram', 1536 * 1024).map((issue) => issue.ruleId), []);
  });

  it('once a platform takes video, its limits replace the refusal, and a video pin needs no image', () => {
    const ids = withVideoPublishable('pinterest', () =>
      runPreflight({ ...base, video: { ...phoneVideo, durationSeconds: 2 }, targets: [targetOn('pinterest')] }).map((issue) => issue.ruleId),
    );
    assert.ok(ids.includes('video.duration'), ids.join());
    assert.ok(!ids.includes('video.unsupported'));
    assert.ok(!ids.includes('media.required'));
  });

  it('counts the text as a caption under a video (Telegram: 1024)', () => {
    const ids = runPreflight({ ...base, text: 'x'.repeat(1025), video: phoneVideo, targets: [targetOn('telegram')] }).map((issue) => issue.ruleId);
    assert.ok(ids.includes('length.max'));
  });
});

describe('how sizes and lengths read', () => {
  it('formats bytes and durations as a person reads them', () => {
    assert.equal(formatBytes(900), '900 bytes');
    assert.equal(formatBytes(75 * 1024), '75 KB');
    assert.equal(formatBytes(1.5 * 1024 * 1024 * 1024), '1.5 GB');
    assert.equal(formatDuration(0.5), '0.5 s');
    assert.equal(formatDuration(7), '0:07');
    assert.equal(formatDuration(1.007), '0:01');
    assert.equal(formatDuration(2.94), '2.9 s');
    assert.equal(formatDuration(3725), '1:02:05');
  });
});

describe('an instance\u2019s own video limits', () => {
  const onInstance = (limits: Record<string, number>, video: Partial<PreflightVideo>) =>
    runPreflight({
      ...base,
      video: { ...phoneVideo, ...video },
      targets: [{ ...targetOn('mastodon'), limits: { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23, ...limits } }],
    })
      .filter((issue) => issue.ruleId.startsWith('video.'))
      .map((issue) => issue.ruleId);

  it('replace Mastodon\u2019s defaults where the instance says them (video_size_limit, video_matrix_limit, video_frame_rate_limit)', () => {
    const big = { bytes: 150 * 1024 * 1024, width: 3840, height: 2160, frameRate: 120 };
    assert.deepEqual(onInstance({}, big), ['video.size'], 'Mastodon\u2019s 99 MiB without a word from the instance');
    assert.deepEqual(onInstance({ videoMaxBytes: 200 * 1024 * 1024 }, big), [], 'an instance that takes 200 MiB');
    assert.deepEqual(onInstance({ videoMaxBytes: 40 * 1024 * 1024 }, { bytes: 41 * 1024 * 1024 }), ['video.size']);
    assert.deepEqual(onInstance({ videoMaxPixels: 2_073_600 }, { width: 2560, height: 1440 }), ['video.dimensions']);
    assert.deepEqual(onInstance({ videoMaxFrameRate: 60 }, { frameRate: 120 }), ['video.frame_rate']);
  });

  it('say the instance\u2019s size in the message', () => {
    const [issue] = runPreflight({
      ...base,
      video: { ...phoneVideo, bytes: 41 * 1024 * 1024 },
      targets: [{ ...targetOn('mastodon'), limits: { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23, videoMaxBytes: 40 * 1024 * 1024 } }],
    });
    assert.match(issue!.message, /over the 40 MB Mastodon for /);
  });
});

describe('alt text for a video', () => {
  const altIssues = (input: Partial<PreflightInput>) =>
    runPreflight({ ...base, ...input }).filter((issue) => issue.ruleId.startsWith('media.alt_text'));

  it('is held to the platform’s limit where it shows one (Bluesky’s embed: 1,000; Mastodon’s description: the instance’s)', () => {
    const long = { ...phoneVideo, alt: 'a'.repeat(1001) };
    assert.deepEqual(altIssues({ video: long, targets: [targetOn('bluesky')] }).map((i) => [i.ruleId, i.accountId]), [['media.alt_text_length', 'bluesky-1']]);
    assert.deepEqual(altIssues({ video: long, targets: [targetOn('mastodon')] }), [], 'Mastodon takes 1,500 by default');
    const smallInstance = { ...targetOn('mastodon'), limits: { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23, altTextLimit: 420 } };
    assert.match(altIssues({ video: { ...phoneVideo, alt: 'a'.repeat(421) }, targets: [smallInstance] })[0]!.message, /at most 420 characters/);
    assert.deepEqual(altIssues({ video: long, targets: [targetOn('telegram')] }), [], 'Telegram shows no alt text, so none is too long');
  });

  it('is asked for under "require alt text" only where a target would show it', () => {
    assert.deepEqual(altIssues({ video: phoneVideo, requireAltText: true, targets: [targetOn('bluesky')] }).map((i) => i.ruleId), ['media.alt_text']);
    assert.match(altIssues({ video: phoneVideo, requireAltText: true, targets: [targetOn('bluesky')] })[0]!.message, /image and video/);
    assert.deepEqual(altIssues({ video: phoneVideo, requireAltText: true, targets: [targetOn('telegram')] }), []);
    assert.deepEqual(altIssues({ video: { ...phoneVideo, alt: 'A cat jumps.' }, requireAltText: true, targets: [targetOn('bluesky')] }), []);
  });
});
