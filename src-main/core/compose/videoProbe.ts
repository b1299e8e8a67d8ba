// What a video file is, read from its own structure by mediabunny (a maintained TypeScript media
// toolkit): container, codecs, duration, display size, frame rate and size. Only the parts the
// answer needs are read, through a file handle with a small bounded cache, so a video of several
// gigabytes is probed in a few megabytes of memory. No program is started and no native code
// parses the file: a video is untrusted input, like an image.
import fs from 'node:fs';
import type { InputFormat, InputVideoTrack } from 'mediabunny';
import type { VideoContainer } from '../../../src-shared/platforms';
import { AppError } from '../errors';

// mediabunny is loaded at the first video, not when the app starts (memory an idle app never needs).
let mediabunnyModule: Promise<typeof import('mediabunny')> | undefined;
const loadMediabunny = () => (mediabunnyModule ??= import('mediabunny'));

export interface VideoFacts {
  container: VideoContainer;
  mime: 'video/mp4' | 'video/quicktime' | 'video/webm';
  /** mediabunny's codec names: avc, hevc, vp8, vp9, av1, prores. */
  videoCodec: string;
  /** The full codec string (RFC 6381, `avc1.64001f`), what a browser's decoder is configured with. */
  videoCodecString: string | null;
  /** aac, opus, mp3, vorbis, flac, ... or null for a silent video. */
  audioCodec: string | null;
  durationSeconds: number;
  /** As shown: after the pixel aspect ratio and the rotation the file asks for. */
  width: number;
  height: number;
  /** Frames a second, averaged over the first packets (a variable-rate phone video has no one rate). */
  frameRate: number;
  bytes: number;
}

/** The video file extensions the open dialog offers; what decides is the content, never the name. */
export const videoFileExtensions = ['mp4', 'm4v', 'mov', 'webm'] as const;

// The extension matches what the content is, whatever the name the user's file had.
export const containerExtensions: Record<VideoContainer, string> = { mp4: 'mp4', mov: 'mov', webm: 'webm' };

// How many packets the frame rate is averaged over: enough to smooth a variable rate, few enough
// to stay a read of the index (MP4, MOV) or of the first clusters (WebM).
const frameRatePackets = 120;

export async function probeVideo(file: string): Promise<VideoFacts> {
  const bytes = fs.statSync(file).size;
  const media = await loadMediabunny();
  const { ALL_FORMATS, FilePathSource, Input } = media;
  const input = new Input({ formats: ALL_FORMATS, source: new FilePathSource(file, { maxCacheSize: 4 * 1024 * 1024 }) });
  try {
    let format: InputFormat;
    try {
      format = await input.getFormat();
    } catch (error) {
      throw new AppError('media_unsupported', 'That file is not a video Localpost can read.', { action: useSupported, cause: error });
    }
    const container = containerOf(media, format);
    if (!container) {
      throw new AppError('media_unsupported', `That file's format is ${format.name}, not MP4, MOV or WebM.`, { action: useSupported });
    }
    const video = await input.getPrimaryVideoTrack().catch(damaged);
    if (!video) {
      throw new AppError('media_unsupported', `That ${format.name} file has no video track Localpost can find (it may be cut short or damaged).`, {
        action: 'Use another copy of the video.',
      });
    }
    if (!video.codec) {
      const found = await video.getCodecParameterString().catch(() => null);
      throw new AppError('media_unsupported', `That video's codec (${found ?? 'unknown'}) is not one Localpost knows.`, {
        action: 'Use an H.264, HEVC, VP8, VP9 or AV1 video.',
      });
    }
    await assertPacketsReadable(video);
    const audio = await input.getPrimaryAudioTrack().catch(damaged);
    const durationSeconds = await input.computeDuration().catch(damaged);
    const stats = await video.computePacketStats(frameRatePackets).catch(damaged);
    if (!(durationSeconds > 0) || video.displayWidth <= 0 || video.displayHeight <= 0) {
      throw new AppError('media_unsupported', 'That video has no length or no picture size.', { action: 'Use another copy of the video.' });
    }
    return {
      container,
      mime: container === 'mp4' ? 'video/mp4' : container === 'mov' ? 'video/quicktime' : 'video/webm',
      videoCodec: video.codec,
      videoCodecString: await video.getCodecParameterString().catch(() => null),
      audioCodec: audio?.codec ?? null,
      durationSeconds: round(durationSeconds, 3),
      width: video.displayWidth,
      height: video.displayHeight,
      frameRate: round(stats.averagePacketRate, 2),
      bytes,
    };
  } finally {
    input.dispose();
  }
}

/** The key frame the poster is made from, with what a decoder needs to show it. */
export interface PosterSource {
  codec: string;
  codedWidth: number;
  codedHeight: number;
  /** The codec's setup bytes (avcC, hvcC...), when the codec has them. */
  description: Uint8Array<ArrayBuffer> | null;
  keyFrame: Uint8Array<ArrayBuffer>;
  /** Degrees clockwise the frame is turned to be shown upright. */
  rotation: number;
}

/** A key frame is a single picture; anything larger than this is not one a poster should cost. */
const maxPosterFrameBytes = 16 * 1024 * 1024;

/**
 * The key frame at about a tenth of the video (at most one second in): a first frame is often
 * black or a fade. Read alone, never the video around it.
 */
export async function posterSource(file: string): Promise<PosterSource> {
  const { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } = await loadMediabunny();
  const input = new Input({ formats: ALL_FORMATS, source: new FilePathSource(file, { maxCacheSize: 4 * 1024 * 1024 }) });
  try {
    const video = await input.getPrimaryVideoTrack().catch(damaged);
    const config = video && (await video.getDecoderConfig().catch(damaged));
    if (!video || !config) throw new AppError('media_unsupported', 'That video has no picture Localpost can read.', { action: 'Use another copy of the video.' });
    const duration = await input.computeDuration().catch(damaged);
    const sink = new EncodedPacketSink(video);
    const packet = (await sink.getKeyPacket(Math.min(1, duration / 10)).catch(damaged)) ?? (await sink.getFirstKeyPacket().catch(damaged));
    if (!packet || packet.byteLength === 0) throw damaged();
    if (packet.byteLength > maxPosterFrameBytes) {
      throw new AppError('media_too_large', 'That video\u2019s pictures are too large to preview.', { action: 'The video is kept; only its preview is missing.' });
    }
    const description = config.description ? toBytes(config.description) : null;
    return { codec: config.codec, codedWidth: video.codedWidth, codedHeight: video.codedHeight, description, keyFrame: Uint8Array.from(packet.data), rotation: video.rotation };
  } finally {
    input.dispose();
  }
}

const useSupported = 'Use an MP4, MOV or WebM video.';

function containerOf({ MP4, QTFF, WEBM }: typeof import('mediabunny'), format: InputFormat): VideoContainer | null {
  if (format === MP4) return 'mp4';
  if (format === QTFF) return 'mov';
  if (format === WEBM) return 'webm';
  return null;
}

/**
 * The index can be whole while the data it points to is not (a copy cut short after the MP4's
 * `moov`): the first key frame and the last packet must both be there to read.
 */
async function assertPacketsReadable(video: InputVideoTrack): Promise<void> {
  const { EncodedPacketSink } = await loadMediabunny();
  const sink = new EncodedPacketSink(video);
  const first = await sink.getFirstKeyPacket().catch(damaged);
  const last = await sink.getPacket(Infinity).catch(damaged);
  if (!first || !last || first.byteLength === 0) throw damaged();
}

function damaged(cause?: unknown): never {
  throw new AppError('media_unsupported', 'That video is damaged or cut short: Localpost cannot read all of it.', {
    action: 'Use another copy of the video.',
    cause,
  });
}

/** A copy in a buffer of its own, whatever view of whatever buffer the decoder setup came as. */
function toBytes(source: ArrayBufferLike | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const view = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  return Uint8Array.from(view);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
