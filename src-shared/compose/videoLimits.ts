// A video against one platform's documented limits (platformRules[...].video): size, length,
// picture size and shape, frame rate, container and codecs. Each finding names what the video
// has and what the platform takes, so the user knows what to change.
//
// Runtime: std (no DOM, no Node).
import type { VideoContainer, VideoLimits } from '../platforms';

/** What preflight knows of a draft's video: the probe's facts. */
export interface PreflightVideo {
  container: VideoContainer;
  videoCodec: string;
  audioCodec: string | null;
  durationSeconds: number;
  width: number;
  height: number;
  frameRate: number;
  bytes: number;
  /** Its alt text (empty for none). */
  alt: string;
}

export const videoRuleIds = {
  unsupported: 'video.unsupported',
  mix: 'video.mix',
  size: 'video.size',
  duration: 'video.duration',
  dimensions: 'video.dimensions',
  frameRate: 'video.frame_rate',
  format: 'video.format',
  codec: 'video.codec',
} as const;

export type VideoRuleId = (typeof videoRuleIds)[keyof typeof videoRuleIds];

export interface VideoFinding {
  ruleId: VideoRuleId;
  message: string;
}

const containerNames: Record<VideoContainer, string> = { mp4: 'MP4', mov: 'MOV', webm: 'WebM' };
const codecNames: Record<string, string> = {
  avc: 'H.264',
  hevc: 'HEVC (H.265)',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
  prores: 'ProRes',
  aac: 'AAC',
  opus: 'Opus',
  mp3: 'MP3',
  vorbis: 'Vorbis',
  flac: 'FLAC',
};

export function codecName(codec: string): string {
  return codecNames[codec] ?? codec;
}

export function containerName(container: VideoContainer): string {
  return containerNames[container];
}

/** Checks the video against the limits; `where` names the platform and target ("X for @alice"). */
export function videoLimitFindings(video: PreflightVideo, limits: VideoLimits, where: string): VideoFinding[] {
  const findings: VideoFinding[] = [];
  const add = (ruleId: VideoRuleId, message: string) => findings.push({ ruleId, message });

  if (!limits.containers.includes(video.container)) {
    add(videoRuleIds.format, `${where} takes ${list(limits.containers.map(containerName))} video, and this one is ${containerName(video.container)}: convert it.`);
  }
  if (limits.videoCodecs && !limits.videoCodecs.includes(video.videoCodec)) {
    add(videoRuleIds.codec, `${where} takes ${list(limits.videoCodecs.map(codecName))} video, and this one is ${codecName(video.videoCodec)}: convert it.`);
  } else if (limits.audioCodecs && video.audioCodec !== null && !limits.audioCodecs.includes(video.audioCodec)) {
    add(videoRuleIds.codec, `${where} takes ${list(limits.audioCodecs.map(codecName))} sound, and this video's is ${codecName(video.audioCodec)}: convert it.`);
  }
  if (video.bytes > limits.maxBytes) {
    add(videoRuleIds.size, `The video is ${formatBytes(video.bytes)}, over the ${formatBytes(limits.maxBytes)} ${where} takes: make it shorter or smaller.`);
  } else if (limits.minBytes !== undefined && video.bytes < limits.minBytes) {
    add(videoRuleIds.size, `The video is ${formatBytes(video.bytes)}, under the ${formatBytes(limits.minBytes)} ${where} needs at least.`);
  }
  if (limits.maxSeconds !== undefined && video.durationSeconds > limits.maxSeconds) {
    add(videoRuleIds.duration, `The video lasts ${formatDuration(video.durationSeconds)}, longer than the ${formatDuration(limits.maxSeconds)} ${where} takes: trim it.`);
  } else if (limits.minSeconds !== undefined && video.durationSeconds < limits.minSeconds) {
    add(videoRuleIds.duration, `The video lasts ${formatDuration(video.durationSeconds)}, shorter than the ${formatDuration(limits.minSeconds)} ${where} needs at least.`);
  }
  const long = Math.max(video.width, video.height);
  const short = Math.min(video.width, video.height);
  const size = `${video.width} × ${video.height}`;
  if (limits.maxLongSide !== undefined && (long > limits.maxLongSide || short > (limits.maxShortSide ?? limits.maxLongSide))) {
    add(videoRuleIds.dimensions, `The video is ${size} pixels, larger than the ${limits.maxLongSide} × ${limits.maxShortSide ?? limits.maxLongSide} ${where} takes: scale it down.`);
  } else if (limits.maxPixels !== undefined && video.width * video.height > limits.maxPixels) {
    add(videoRuleIds.dimensions, `The video is ${size} pixels, more than the ${limits.maxPixels.toLocaleString('en-US')} pixels ${where} takes: scale it down.`);
  } else if (limits.minSide !== undefined && short < limits.minSide) {
    add(videoRuleIds.dimensions, `The video is ${size} pixels, smaller than ${where} takes (at least ${limits.minSide} pixels a side).`);
  }
  const ratio = video.width / video.height;
  if (limits.aspectRatio && (ratio < limits.aspectRatio.min - 0.005 || ratio > limits.aspectRatio.max + 0.005)) {
    add(videoRuleIds.dimensions, `The video's shape (${size}) is outside what ${where} takes, ${limits.aspectRatio.label}: crop it.`);
  }
  if (limits.maxFrameRate !== undefined && video.frameRate > limits.maxFrameRate + 0.5) {
    add(videoRuleIds.frameRate, `The video has ${formatRate(video.frameRate)} frames a second, more than the ${limits.maxFrameRate} ${where} takes.`);
  } else if (limits.minFrameRate !== undefined && video.frameRate < limits.minFrameRate - 0.5) {
    add(videoRuleIds.frameRate, `The video has ${formatRate(video.frameRate)} frames a second, fewer than the ${limits.minFrameRate} ${where} needs.`);
  }
  return findings;
}

/** 1.5 GB, 512 MB, 75 KB, in binary multiples (1 MB = 1,048,576 bytes), the unit most platforms
 *  state their limits in. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** 0:07, 2:20, 1:00:05; under 10 seconds with tenths (0.5 s) where a limit needs them. */
export function formatDuration(seconds: number): string {
  const tenths = Math.round(seconds * 10) / 10;
  if (seconds < 10 && !Number.isInteger(tenths)) return `${tenths} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function formatRate(rate: number): string {
  return String(Math.round(rate * 100) / 100);
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
